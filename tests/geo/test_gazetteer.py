from __future__ import annotations

import pytest

from doemee.geo.gazetteer import clean_municipality_name, load_gazetteer
from doemee.geo.names import PROVINCES


@pytest.fixture(scope="module")
def gazetteer(geo_dir):
    return load_gazetteer(geo_dir)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Gemeente Amsterdam", "Amsterdam"),
        ("Assen Municipality", "Assen"),
        ("Groningen. Municipality", "Groningen"),
        ("Ameland Municipalitye", "Ameland"),
        ("Katwijk Municipalty", "Katwijk"),
        ("Gemeente 's-Hertogenbosch", "'s-Hertogenbosch"),
        ("Noardeast-Fryslân", "Noardeast-Fryslân"),
    ],
)
def test_municipality_names_lose_gemeente_and_municipality(raw, clean):
    assert clean_municipality_name(raw) == clean


def test_no_municipality_name_contains_gemeente_or_municipality(gazetteer):
    for municipality in gazetteer.municipalities.values():
        lowered = municipality.name.lower()
        assert "municip" not in lowered and "gemeente" not in lowered, municipality


def test_municipalities_are_keyed_on_their_cbs_code(gazetteer):
    assert gazetteer.municipalities["0344"].name == "Utrecht"
    assert gazetteer.municipalities["0363"].name == "Amsterdam"
    assert gazetteer.municipalities["0106"].name == "Assen"


def test_two_municipalities_called_bergen_are_told_apart_by_province(gazetteer):
    assert gazetteer.municipalities["0373"].name == "Bergen (NH)"
    assert gazetteer.municipalities["0893"].name == "Bergen (L)"


def test_every_province_has_its_dutch_name(gazetteer):
    provinces = {pc4.province for pc4 in gazetteer.pc4s.values()}
    assert provinces == set(PROVINCES.values())
    assert "North Holland" not in provinces and "Noord-Holland" in provinces


def test_every_pc4_has_a_municipality_and_province(gazetteer):
    for pc4 in gazetteer.pc4s.values():
        assert pc4.municipality_code in gazetteer.municipalities, pc4
        assert pc4.province, pc4


def test_rows_with_empty_admin_fields_get_the_municipality_of_their_place(gazetteer):
    # GeoNames leaves these Voorne aan Zee postcodes without municipality;
    # the nearest PC4 alone would have put Brielle in Rotterdam.
    for code in ("3221", "3227", "3231", "3233", "3235", "3238"):
        pc4 = gazetteer.pc4s[code]
        assert gazetteer.municipalities[pc4.municipality_code].name == "Voorne aan Zee", code
        assert pc4.province == "Zuid-Holland"


def test_a_pc4_keeps_only_the_rows_in_its_own_region(gazetteer):
    assert gazetteer.pc4s["3523"].place == "Utrecht"
    assert gazetteer.pc4s["2324"].place == "Leiden"
    assert 52.0 < gazetteer.pc4s["3523"].lat < 52.2


def test_all_pc4_codes_and_neighbourhoods_are_loaded(gazetteer):
    assert len(gazetteer.pc4s) == 4086
    assert sum(place.neighbourhood for place in gazetteer.places) == 727


def test_historical_places_are_left_out(gazetteer):
    names = {place.name for place in gazetteer.places}
    assert "Former Roman Catholic diocese of Maastricht" not in names
    assert "Frisia (historical region)" not in names


def test_the_hague_gets_its_dutch_name(gazetteer):
    names = {place.name for place in gazetteer.places}
    assert "Den Haag" in names and "The Hague" not in names
