from nlu.places import PlaceExtractor


def test_a_town_typed_in_lower_case_gets_its_geonames_name(run):
    assert run(PlaceExtractor, "ik woon in utrecht") == [("utrecht", "place", "Utrecht")]


def test_a_neighbourhood_is_a_place(run):
    assert run(PlaceExtractor, "is er iets in overvecht?") == [("overvecht", "place", "Overvecht")]


def test_den_bosch_is_reported_as_s_hertogenbosch(run):
    assert run(PlaceExtractor, "vrijwilligerswerk in den bosch") == [("den bosch", "place", "'s-Hertogenbosch")]


def test_names_of_several_words_are_taken_whole(run):
    assert run(PlaceExtractor, "ik woon in bergen op zoom") == [("bergen op zoom", "place", "Bergen op Zoom")]


def test_a_typo_in_a_long_name_is_forgiven(run):
    assert run(PlaceExtractor, "ik zoek iets in amsterdm") == [("amsterdm", "place", "Amsterdam")]


def test_a_place_that_is_a_common_word_needs_a_preposition(run):
    assert run(PlaceExtractor, "dat is best leuk") == []
    assert run(PlaceExtractor, "ik woon in best") == [("best", "place", "Best")]


def test_a_known_word_alone_as_the_answer_is_a_place(run):
    assert run(PlaceExtractor, "lombok") == [("lombok", "place", "Lombok")]
    assert run(PlaceExtractor, "iets met dieren") == []


def test_buurt_and_mijn_are_never_places(run):
    assert run(PlaceExtractor, "hoe kan ik helpen in mijn buurt?") == []


def test_chat_words_are_never_places(run):
    for text in ("meer", "top", "echt?", "hee", "ok 👍", "nee joh", "ben je een echte"):
        assert run(PlaceExtractor, text) == [], text


def test_everyday_phrases_with_an_article_are_not_places(run):
    for text in ("ik help in de winkel", "ik ga met de bus", "in de hoop dat het lukt", "bij de kerk"):
        assert run(PlaceExtractor, text) == [], text


def test_a_capital_in_mid_sentence_marks_a_place(run):
    assert run(PlaceExtractor, "ik woon vlakbij Hoek") == [("Hoek", "place", "Hoek")]


def test_interest_words_are_not_corrected_into_places(run):
    assert run(PlaceExtractor, "iets met tuinieeren") == []


def test_where_someone_lives_is_a_place_even_when_it_is_a_word(run):
    assert run(PlaceExtractor, "ik woon in dieren") == [("dieren", "place", "Dieren")]


def test_a_place_listed_after_a_place_counts(run):
    assert run(PlaceExtractor, "zwolle of kampen") == [("zwolle", "place", "Zwolle"), ("kampen", "place", "Kampen")]
