"""Places named with their town ("Zwolle-Zuid", "Amsterdam Noord"), names typed as one word, and regions."""

from __future__ import annotations

import pytest

from doemee import messages
from doemee.geo.types import Kind, Outcome
from doemee.geo.wording import explain


@pytest.mark.parametrize(
    "typed, town",
    [("zwolle-zuid", "Zwolle"), ("Zwolle Zuid", "Zwolle"), ("utrecht-oost", "Utrecht"), ("rotterdam zuid", "Rotterdam"),
     ("groningen stad", "Groningen"), ("centrum van utrecht", "Utrecht"), ("in nijmegen-oost", "Nijmegen")],
)
def test_a_town_with_a_direction_or_centrum_is_the_town_itself(geo, typed, town):
    result = geo.resolve(typed)
    assert result.outcome is Outcome.FOUND
    assert result.location.kind is Kind.PLACE
    assert result.location.name == town
    assert result.corrected is False


@pytest.mark.parametrize("typed", ["amsterdam noord", "Amsterdam-Noord", "noord amsterdam"])
def test_amsterdam_noord_is_the_neighbourhood_noord_not_the_village(geo, typed):
    location = geo.resolve(typed).location
    assert location.kind is Kind.NEIGHBOURHOOD
    assert (location.name, location.municipality) == ("Noord", "Amsterdam")


def test_den_haag_centrum_is_the_neighbourhood_centrum_of_den_haag(geo):
    location = geo.resolve("den haag centrum").location
    assert location.kind is Kind.NEIGHBOURHOOD
    assert (location.name, location.municipality) == ("Centrum", "Den Haag")


@pytest.mark.parametrize("typed", ["lombok utrecht", "Utrecht Lombok", "Lombok in Utrecht", "Lombok (Utrecht)"])
def test_a_shared_neighbourhood_name_with_its_town_needs_no_question(geo, typed):
    result = geo.resolve(typed)
    assert result.outcome is Outcome.FOUND
    assert result.location.kind is Kind.NEIGHBOURHOOD
    assert result.location.municipality == "Utrecht"


def test_a_village_named_with_its_municipality_is_that_village(geo):
    location = geo.resolve("utrecht vleuten").location
    assert (location.name, location.municipality) == ("Vleuten", "Utrecht")


def test_two_towns_side_by_side_are_not_one_place(geo):
    assert geo.resolve("zwolle kampen").outcome is Outcome.UNKNOWN


@pytest.mark.parametrize(
    "typed, name", [("denhaag", "Den Haag"), ("denbosch", "'s-Hertogenbosch"), ("sgravenhage", "Den Haag"),
                    ("debilt", "De Bilt")],
)
def test_a_name_of_several_words_typed_as_one_is_found_without_guessing(geo, typed, name):
    result = geo.resolve(typed)
    assert result.location.name == name
    assert result.corrected is False


@pytest.mark.parametrize(
    "typed", ["friesland", "Fryslân", "Zeeland", "Limburg", "Gelderland", "Noord-Holland", "brabant",
              "provincie Utrecht", "Nederland", "holland", "de Veluwe", "het Gooi", "'t gooi", "Achterhoek",
              "in friesland", "op de Veluwe", "in de provincie Groningen"],
)
def test_a_province_a_region_or_the_country_is_no_hamlet_of_that_name(geo, typed):
    result = geo.resolve(typed)
    assert result.outcome is Outcome.UNKNOWN
    assert result.candidates == ()


def test_the_cities_utrecht_and_groningen_are_not_their_provinces(geo):
    assert geo.resolve("utrecht").location.name == "Utrecht"
    assert geo.resolve("in utrecht").location.name == "Utrecht"
    assert geo.resolve("Groningen").location.kind is Kind.PLACE


def test_a_region_gets_asked_for_a_place_inside_it(geo):
    assert explain(geo.resolve("friesland")) == messages.geo_region("Friesland")
    assert explain(geo.resolve("holland")) == messages.geo_region("Nederland")
    assert explain(geo.resolve("op de veluwe")) == messages.geo_region("De Veluwe")
    assert "postcode" in messages.geo_region("Friesland")


def test_regions_are_not_offered_as_names(geo):
    names = set(geo.names())
    assert not {"Friesland", "Nederland", "Holland", "Zeeland"} & names
    assert {"Utrecht", "Groningen"} <= names


def test_without_typos_only_names_as_written_are_found(geo):
    assert geo.resolve("amsterdm", typos=False).outcome is Outcome.UNKNOWN
    assert geo.resolve("amsterdam", typos=False).location.name == "Amsterdam"


def test_within_town_finds_only_a_town_with_a_part(geo):
    assert geo.within_town("zwolle-zuid").location.name == "Zwolle"
    assert geo.within_town("Amsterdam Noord").location.kind is Kind.NEIGHBOURHOOD
    for typed in ("zwolle", "in zwolle", "3511 zwolle", "amsterdm noord", "", "x" * 500):
        assert geo.within_town(typed).outcome is Outcome.UNKNOWN, typed


@pytest.mark.parametrize(
    "typed, name", [("Overvecht", "Overvecht"), ("amsterdam noord", "Noord (Amsterdam)"),
                    ("lombok in utrecht", "Lombok (Utrecht)"), ("den haag centrum", "Centrum (Den Haag)"),
                    ("Hengelo (Gld)", "Hengelo (Bronckhorst)")],
)
def test_the_unambiguous_name_resolves_back_to_the_same_place(geo, typed, name):
    location = geo.resolve(typed).location
    assert geo.unambiguous_name(location) == name
    assert geo.resolve(name).location == location


def test_qualified_names_of_shared_neighbourhoods_are_offered_as_names(geo):
    assert {"Noord (Amsterdam)", "Lombok (Utrecht)", "Centrum (Den Haag)"} <= set(geo.names())
