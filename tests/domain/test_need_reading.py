"""Reading a need from one message, and answers that belong to another field (issue 16)."""

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
