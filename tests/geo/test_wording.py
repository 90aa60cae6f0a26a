from __future__ import annotations

from doemee import messages
from doemee.geo.wording import explain, label


def test_an_ambiguous_name_becomes_a_question_naming_each_candidate(geo):
    question = explain(geo.resolve("Lombok"))
    assert question.startswith("Bedoel je de wijk Lombok in Utrecht")
    assert "Lombok in de gemeente Utrechtse Heuvelrug" in question
    assert question.endswith("?")


def test_an_unknown_place_gets_the_postcode_hint(geo):
    assert explain(geo.resolve("Nergenshuizen-aan-Zee")) == messages.GEO_UNKNOWN_PLACE
    assert "3511" in messages.GEO_UNKNOWN_PLACE


def test_an_unknown_postcode_is_named_back(geo):
    assert explain(geo.resolve("9990")) == messages.geo_unknown_postcode("9990")


def test_a_corrected_typo_says_which_place_was_taken(geo):
    assert explain(geo.resolve("amsterdm")) == "Ik denk dat je Amsterdam in Noord-Holland bedoelt."


def test_a_plain_find_needs_no_sentence(geo):
    assert explain(geo.resolve("3511")) is None


def test_namesake_towns_are_told_apart_by_municipality_or_province(geo):
    assert label(geo.resolve("Bergen (NH)").location) == "Bergen in Noord-Holland"
    assert label(geo.resolve("Hengelo (Gld)").location) == "Hengelo in de gemeente Bronckhorst"


def test_two_candidates_are_joined_with_of():
    assert messages.geo_ambiguous(["de wijk Lombok in Utrecht", "het dorp Lombok"]) == (
        "Bedoel je de wijk Lombok in Utrecht of het dorp Lombok?"
    )
