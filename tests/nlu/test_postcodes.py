from nlu.postcodes import PostcodeExtractor


def test_four_digits_are_a_pc4(run):
    assert run(PostcodeExtractor, "3511") == [("3511", "postcode", "3511")]


def test_letters_written_in_any_way_are_normalised(run):
    for written in ("3511ab", "3511 AB", "3511-ab", "3511 ab", "3511AB"):
        assert run(PostcodeExtractor, f"ik woon op {written}") == [(written, "postcode", "3511 AB")]


def test_a_dutch_word_after_the_digits_is_not_taken_as_letters(run):
    assert run(PostcodeExtractor, "ik woon in 3512 en wil iets met ouderen doen") == [("3512", "postcode", "3512")]


def test_letters_postnl_never_issues_leave_the_pc4(run):
    assert run(PostcodeExtractor, "3511 SS") == [("3511", "postcode", "3511")]


def test_years_times_amounts_and_phone_numbers_are_not_postcodes(run):
    for text in ("sinds 2019 woon ik hier", "om 1900 uur", "€1500", "bel 0612345678", "12345", "1000 mensen"):
        assert run(PostcodeExtractor, text) == [], text


def test_postcode_next_to_a_place_is_found(run):
    assert run(PostcodeExtractor, "3511AB Utrecht") == [("3511AB", "postcode", "3511 AB")]


def test_postcode_extractor_survives_a_huge_message(run):
    assert run(PostcodeExtractor, "3511 " + "x" * 100_000)[0] == ("3511", "postcode", "3511")
