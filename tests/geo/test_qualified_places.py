"""A place qualified the way people tell namesakes apart: "Schalkwijk bij Houten", "Hengelo, Gelderland"."""

from __future__ import annotations

import pytest

from doemee import messages
from doemee.geo.types import Kind, Outcome
from doemee.geo.wording import explain, label


def _is_schalkwijk_in_houten(location) -> bool:
    return (location.kind, location.name, location.municipality) == (Kind.PLACE, "Schalkwijk", "Houten")


@pytest.mark.parametrize(
    "typed",
    ["Schalkwijk bij Houten", "Schalkwijk, Houten", "Schalkwijk (Houten)", "Schalkwijk gemeente Houten",
     "Schalkwijk in de gemeente Houten", "Schalkwijk, gemeente Houten", "Schalkwijk (gem. Houten)",
     "Schalkwijk - Houten", "Schalkwijk – Houten", "Schalkwijk/Houten", "Schalkwijk vlakbij Houten",
     "Schalkwijk in de buurt van Houten"],
)
def test_every_way_to_qualify_a_village_with_its_municipality_finds_the_village(geo, typed):
    result = geo.resolve(typed)
    assert result.outcome is Outcome.FOUND
    assert _is_schalkwijk_in_houten(result.location), result.location
    assert result.corrected is False


@pytest.mark.parametrize("typed", ["schalkwijk bij houten", "SCHALKWIJK BIJ HOUTEN", "in schalkwijk bij houten",
                                   "schalkwijk, gemeente houten"])
def test_a_qualified_place_is_found_in_any_case_and_after_a_filler_word(geo, typed):
    assert _is_schalkwijk_in_houten(geo.resolve(typed).location)


@pytest.mark.parametrize("typed", ["Schalkwjk bij Houten", "schalkwijk bij houtn", "Schalkwijk, Houtn",
                                   "Schalkwjk in Houten"])
def test_a_typo_in_either_name_is_forgiven_and_marked_as_corrected(geo, typed):
    result = geo.resolve(typed)
    assert result.outcome is Outcome.FOUND
    assert _is_schalkwijk_in_houten(result.location)
    assert result.corrected is True


def test_the_qualifier_is_never_the_answer_whichever_comes_first(geo):
    for typed in ("Schalkwijk, Houten", "Houten, Schalkwijk", "Houten Schalkwijk", "Schalkwijk Houten"):
        assert _is_schalkwijk_in_houten(geo.resolve(typed).location), typed
    for typed in ("Vleuten, Utrecht", "vleuten utrecht", "Utrecht, Vleuten"):
        assert (geo.resolve(typed).location.name, geo.resolve(typed).location.municipality) == ("Vleuten", "Utrecht")
    for typed in ("Haren, Groningen", "Groningen, Haren"):
        assert (geo.resolve(typed).location.name, geo.resolve(typed).location.municipality) == ("Haren", "Groningen")


def test_the_qualifier_picks_the_namesake_in_its_municipality(geo):
    assert geo.resolve("Schalkwijk").outcome is Outcome.AMBIGUOUS
    haarlem = geo.resolve("Schalkwijk, Haarlem").location
    assert (haarlem.kind, haarlem.municipality) == (Kind.NEIGHBOURHOOD, "Haarlem")
    assert _is_schalkwijk_in_houten(geo.resolve("Schalkwijk bij Houten").location)


def test_a_municipality_named_otherwise_than_its_towns_qualifies_them(geo):
    for typed in ("Driebergen, gemeente Utrechtse Heuvelrug", "Driebergen in de gemeente Utrechtse Heuvelrug"):
        location = geo.resolve(typed).location
        assert (location.name, location.municipality) == ("Driebergen", "Utrechtse Heuvelrug"), typed


@pytest.mark.parametrize("typed", ["Cothen in de gemeente Wijk bij Duurstede", "Cothen bij Wijk bij Duurstede",
                                   "Cothen, Wijk bij Duurstede"])
def test_a_qualifier_whose_name_holds_a_joining_word_is_read_whole(geo, typed):
    location = geo.resolve(typed).location
    assert (location.name, location.municipality) == ("Cothen", "Wijk bij Duurstede")


def test_a_bigger_place_nearby_picks_the_namesake_within_reach(geo):
    assert geo.resolve("Hengelo").location.municipality == "Hengelo"
    location = geo.resolve("Hengelo bij Zutphen").location
    assert (location.name, location.municipality) == ("Hengelo", "Bronckhorst")
    maarn = geo.resolve("Maarn bij Utrecht").location
    assert (maarn.name, maarn.municipality) == ("Maarn", "Utrechtse Heuvelrug")


def test_namesakes_equally_near_the_qualifier_are_asked_about_not_guessed(geo):
    result = geo.resolve("Achterveld bij Amersfoort")
    assert result.outcome is Outcome.AMBIGUOUS
    assert {c.municipality for c in result.candidates} == {"Leusden", "Barneveld"}


@pytest.mark.parametrize("typed", ["Hengelo, Gelderland", "Hengelo in Gelderland", "Hengelo in de provincie Gelderland",
                                   "Hengelo, Achterhoek", "Hengelo (Achterhoek)"])
def test_a_province_or_a_region_in_one_province_qualifies_like_gld(geo, typed):
    location = geo.resolve(typed).location
    assert (location.name, location.municipality) == ("Hengelo", "Bronckhorst")


def test_a_city_qualified_by_its_province_is_the_city(geo):
    location = geo.resolve("Utrecht, Utrecht").location
    assert (location.kind, location.name) == (Kind.PLACE, "Utrecht")


@pytest.mark.parametrize("typed", ["Schalkwijk bij Zwolle", "Schalkwijk, Zwolle", "Schalkwijk in de gemeente Zwolle"])
def test_a_place_nowhere_near_its_qualifier_asks_between_its_namesakes_and_the_qualifier(geo, typed):
    result = geo.resolve(typed)
    assert result.outcome is Outcome.AMBIGUOUS
    assert {(c.name, c.municipality) for c in result.candidates} == {
        ("Schalkwijk", "Haarlem"), ("Schalkwijk", "Houten"), ("Zwolle", "Zwolle")}


def test_a_unique_place_named_with_the_wrong_town_is_asked_about_not_sent_to_either(geo):
    result = geo.resolve("Vleuten bij Zwolle")
    assert result.outcome is Outcome.AMBIGUOUS
    assert [(c.name, c.municipality) for c in result.candidates] == [("Vleuten", "Utrecht"), ("Zwolle", "Zwolle")]
    assert explain(result) == messages.geo_ambiguous([label(c) for c in result.candidates])


def test_an_unknown_name_with_a_known_qualifier_is_unknown_not_the_qualifier(geo):
    assert geo.resolve("Xqzwyk bij Houten").outcome is Outcome.UNKNOWN


def test_a_village_sharing_its_name_gets_an_unambiguous_name_that_resolves_back(geo):
    location = geo.resolve("Schalkwijk bij Houten").location
    assert geo.unambiguous_name(location) == "Schalkwijk (Houten)"
    assert geo.resolve("Schalkwijk (Houten)").location == location
    assert "Schalkwijk (Houten)" in geo.names()


def test_every_offered_qualified_name_resolves_to_one_place(geo):
    for name in geo.names():
        if "(" in name:
            assert geo.resolve(name, typos=False).outcome is Outcome.FOUND, name
