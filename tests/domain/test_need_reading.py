"""Reading a need from one message, and answers that belong to another field (issue 16)."""

from doemee import messages
from doemee.geo.index import get_geo_index
from doemee.needs import check_field, read_need


def test_a_whole_need_in_one_message_gives_every_field_it_names():
    found = read_need("Wij zijn Repair Café Houten en zoeken iemand die op zaterdag kapotte fietsen wil repareren, "
                      "in 3991, mail naar info@repaircafehouten.nl", get_geo_index())
    assert found == {
        "need_initiative": "Repair Café Houten",
        "need_title": "Kapotte fietsen repareren",
        "need_description": "Iemand die op zaterdag kapotte fietsen wil repareren.",
        "need_postcode": "3991",
        "need_email": "info@repaircafehouten.nl",
    }


def test_category_and_frequency_are_taken_only_when_said():
    found = read_need("Namens Buurttuin Oost: we zoeken vrijwilligers om elke week de moestuin te wieden. "
                      "Onderwerp groen, postcode 3511, tuin@example.org", get_geo_index())
    assert (found["need_initiative"], found["need_category"], found["need_commitment"]) == (
        "Buurttuin Oost", "groen", "wekelijks")
    assert found["need_title"] == "De moestuin wieden"


def test_a_message_that_only_asks_for_volunteers_gives_nothing():
    assert read_need("wij zoeken vrijwilligers", get_geo_index()) == {}


def test_an_unknown_postcode_in_the_message_is_not_taken():
    assert "need_postcode" not in read_need("we zoeken iemand die kookt, in 1001", get_geo_index())


def test_an_answer_of_another_kind_is_refused_and_kept_only_where_it_is_still_needed():
    geo = get_geo_index()
    kept = check_field("need_title", "3511 AB", geo)
    assert (kept.value, kept.elsewhere) == (None, ("need_postcode", "3511 AB"))
    not_needed = check_field("need_title", "3511 AB", geo, still_open=frozenset({"need_email"}))
    assert (not_needed.value, not_needed.elsewhere) == (None, None)
    assert "postcode" in not_needed.problem


def test_a_valid_answer_of_the_asked_kind_is_not_refused():
    geo = get_geo_index()
    assert check_field("need_postcode", "3511 AB", geo).value == "3511 AB"
    assert check_field("need_email", "Info@Club.nl", geo).value == "info@club.nl"


def test_a_club_that_seeks_a_role_names_itself_and_the_title():
    found = read_need("onze tennisclub TC De Lob zoekt een penningmeester", get_geo_index())
    assert found["need_initiative"] == "TC De Lob"
    assert found["need_title"] == "Penningmeester bij TC De Lob"


def test_a_kind_word_alone_names_no_initiative():
    found = read_need("onze tennisclub zoekt een trainer voor de jeugd", get_geo_index())
    assert "need_initiative" not in found
    assert found["need_title"] == "Trainer"


def test_seeking_volunteers_in_general_is_no_title():
    assert read_need("Buurthuis De Kroon zoekt vrijwilligers", get_geo_index()) == {}


def test_a_subject_with_a_typing_error_is_understood_when_only_one_fits():
    geo = get_geo_index()
    assert check_field("need_category", "vervoerr", geo).value == "vervoer"
    assert check_field("need_category", "ouderne", geo).value == "ouderen"
    assert check_field("need_category", "xyzzyq", geo).problem == messages.NEED_UNKNOWN_CATEGORY


def test_yes_or_no_is_no_free_text_answer():
    geo = get_geo_index()
    assert check_field("need_title", "ja", geo).problem == messages.NEED_NOT_AN_ANSWER["need_title"]
    assert check_field("need_title", "Jaarfeest", geo).value == "Jaarfeest"


def test_a_one_word_title_must_name_a_role_or_a_task():
    geo = get_geo_index()
    for title in ("Moestuinhulp", "Bardienst", "Boodschappenhulp", "Penningmeester", "Taalmaatje", "Voorlezen",
                  "Gastvrouw", "Hulp bij de moestuin", "Zwemmen"):
        assert check_field("need_title", title, geo).value == title, title
    for title in ("Sanne", "Zwolle", "Hallo"):
        assert check_field("need_title", title, geo).problem == messages.NEED_TITLE_SAYS_NOTHING, title
