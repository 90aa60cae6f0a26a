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


def test_help_typed_as_spoken_is_not_the_village_hellum(run):
    for text in ("hellup", "hellup!!", "hellupp", "heeeelp", "hullup"):
        assert run(PlaceExtractor, text) == [], text


def test_chat_words_and_greetings_never_become_a_place_by_a_typo(run):
    for text in ("hallo", "hallooo", "help", "hoi", "doei!", "oke", "top", "super", "thanks", "thanx", "meer info",
                 "info", "ja graag", "nee", "graag", "dankjewel", "hallootjes"):
        assert run(PlaceExtractor, text) == [], text


def test_english_words_are_not_places(run):
    for text in ("starting next week", "met mijn friends", "thanks for the help", "can you help me"):
        assert run(PlaceExtractor, text) == [], text


def test_a_typo_of_an_ordinary_word_is_not_a_village_one_typo_away(run):
    assert run(PlaceExtractor, "moet ik betlen?") == []
    assert run(PlaceExtractor, "kan ik s ochtens") == []


def test_typos_in_town_names_are_still_forgiven(run):
    assert run(PlaceExtractor, "rotterdm") == [("rotterdm", "place", "Rotterdam")]
    assert run(PlaceExtractor, "eindhovn") == [("eindhovn", "place", "Eindhoven")]
    assert run(PlaceExtractor, "ik woon in apeldorn") == [("apeldorn", "place", "Apeldoorn")]
    assert run(PlaceExtractor, "amsterdamm") == [("amsterdamm", "place", "Amsterdam")]


def test_a_village_named_like_a_chat_word_counts_where_someone_says_they_live(run):
    assert run(PlaceExtractor, "ik woon in ee") == [("ee", "place", "Ee")]
    assert run(PlaceExtractor, "ik woon in hem") == [("hem", "place", "Hem")]
    assert run(PlaceExtractor, "woonplaats: ee") == [("ee", "place", "Ee")]
    assert run(PlaceExtractor, "ik kom uit echt") == [("echt", "place", "Echt")]
    assert run(PlaceExtractor, "ik woon in monster") == [("monster", "place", "Monster")]
    assert run(PlaceExtractor, "ik woon in ee, friesland") == [("ee", "place", "Ee")]
    assert run(PlaceExtractor, "ik woon in de meern") == [("de meern", "place", "De Meern")]


def test_saying_where_one_lives_does_not_make_any_word_a_place(run):
    for text in ("ik woon in een flat", "ik woon in het centrum", "ik woon in nederland", "ik woon in meer dan een stad",
                 "ik help hem", "ee", "echt wel", "het kwam uit, echt", "ik woon in de bergen", "ik woon in de hei"):
        assert run(PlaceExtractor, text) == [], text


def test_a_province_or_region_is_not_a_place(run):
    for text in ("ik woon in friesland", "zeeland", "iets in limburg", "ik woon in de veluwe", "in t gooi"):
        assert run(PlaceExtractor, text) == [], text


def test_a_name_of_three_letters_that_is_no_town_needs_context(run):
    assert run(PlaceExtractor, "erm ik weet het niet") == []
    assert run(PlaceExtractor, "ik woon in erm") == [("erm", "place", "Erm")]
    assert run(PlaceExtractor, "ede") == [("ede", "place", "Ede")]


def test_a_town_with_a_direction_is_the_town(run):
    assert run(PlaceExtractor, "ik woon in zwolle-zuid") == [("zwolle", "place", "Zwolle")]
    assert run(PlaceExtractor, "utrecht-oost") == [("utrecht", "place", "Utrecht")]
    assert run(PlaceExtractor, "rotterdam zuid") == [("rotterdam", "place", "Rotterdam")]
    assert run(PlaceExtractor, "iets in nijmegen-oost") == [("nijmegen", "place", "Nijmegen")]


def test_a_town_with_a_neighbourhood_of_its_own_is_that_neighbourhood(run):
    assert run(PlaceExtractor, "amsterdam noord") == [("amsterdam noord", "place", "Noord (Amsterdam)")]
    assert run(PlaceExtractor, "ik woon in amsterdam-noord") == [("amsterdam-noord", "place", "Noord (Amsterdam)")]
    assert run(PlaceExtractor, "den haag centrum") == [("den haag centrum", "place", "Centrum (Den Haag)")]
    assert run(PlaceExtractor, "iets in Utrecht Overvecht") == [("Utrecht Overvecht", "place", "Overvecht")]


def test_a_shared_neighbourhood_name_with_its_town_is_one_place(run):
    assert run(PlaceExtractor, "ik woon in Lombok in Utrecht") == [("Lombok in Utrecht", "place", "Lombok (Utrecht)")]


def test_a_name_of_several_words_typed_as_one_is_found(run):
    assert run(PlaceExtractor, "denhaag") == [("denhaag", "place", "Den Haag")]
    assert run(PlaceExtractor, "ik woon in debilt") == [("debilt", "place", "De Bilt")]
    assert run(PlaceExtractor, "sgravenhage") == [("sgravenhage", "place", "Den Haag")]


def test_a_village_qualified_in_every_usual_way_is_one_place_named_unambiguously(run):
    for text in ("Schalkwijk bij Houten", "schalkwijk in houten", "schalkwijk, houten", "Schalkwijk (Houten)",
                 "schalkwijk gemeente houten", "schalkwijk in de gemeente houten", "schalkwijk, gemeente houten",
                 "schalkwijk - houten", "schalkwijk/houten", "houten, schalkwijk"):
        assert run(PlaceExtractor, text) == [(text, "place", "Schalkwijk (Houten)")], text


def test_a_qualified_village_inside_a_sentence_is_found_whole(run):
    assert run(PlaceExtractor, "ik woon in schalkwijk bij houten en wil helpen") == [
        ("schalkwijk bij houten", "place", "Schalkwijk (Houten)")]


def test_a_typo_in_a_qualified_village_is_forgiven(run):
    assert run(PlaceExtractor, "ik woon in schalkwjk bij houten") == [
        ("schalkwjk bij houten", "place", "Schalkwijk (Houten)")]


def test_a_unique_place_with_a_long_qualifier_keeps_its_own_name(run):
    assert run(PlaceExtractor, "ik woon in cothen in de gemeente wijk bij duurstede") == [
        ("cothen in de gemeente wijk bij duurstede", "place", "Cothen")]


def test_a_province_after_a_name_counts_where_it_picks_the_namesake(run):
    assert run(PlaceExtractor, "ik woon in hengelo, gelderland") == [
        ("hengelo, gelderland", "place", "Hengelo (Bronckhorst)")]


def test_namesakes_equally_near_the_qualifier_leave_the_bare_name_to_ask_about(run):
    assert run(PlaceExtractor, "achterveld, amersfoort") == [("achterveld, amersfoort", "place", "Achterveld")]


def test_a_name_with_an_article_where_someone_lives_keeps_its_qualifier(run):
    assert run(PlaceExtractor, "ik woon in de meern bij utrecht") == [("de meern bij utrecht", "place", "De Meern")]
    assert run(PlaceExtractor, "ik woon in de bergen bij utrecht") == [("utrecht", "place", "Utrecht")]


def test_a_town_after_bij_does_not_make_an_ordinary_word_a_village(run):
    assert run(PlaceExtractor, "dat is best bij eindhoven") == [("eindhoven", "place", "Eindhoven")]
    assert run(PlaceExtractor, "ik woon in best bij eindhoven") == [("best bij eindhoven", "place", "Best")]


def test_names_in_two_sentences_are_not_one_qualified_place(run):
    assert run(PlaceExtractor, "ik woon in houten. schalkwijk is ook goed") == [
        ("houten", "place", "Houten"), ("schalkwijk", "place", "Schalkwijk")]


def test_a_place_named_with_a_town_far_away_is_not_joined_to_it(run):
    assert run(PlaceExtractor, "ik woon in vleuten bij zwolle") == [
        ("vleuten", "place", "Vleuten"), ("zwolle", "place", "Zwolle")]


def test_a_name_with_den_needs_no_preposition(run):
    assert run(PlaceExtractor, "vrijwilligerswerk den haag") == [("den haag", "place", "Den Haag")]
    assert run(PlaceExtractor, "iets met dieren den helder") == [("den helder", "place", "Den Helder")]


def test_one_typo_in_a_five_letter_town_is_forgiven_where_a_place_is_meant(run):
    assert run(PlaceExtractor, "ik woon in zwole") == [("zwole", "place", "Zwolle")]
    assert run(PlaceExtractor, "zwole") == [("zwole", "place", "Zwolle")]
    assert run(PlaceExtractor, "vrijwilligerswerk zwole") == []
