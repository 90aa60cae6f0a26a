from __future__ import annotations

import os
import subprocess
import pytest

from doemee.geo.index import get_geo_index
from doemee.geo.types import Kind, Outcome
from doemee.settings import PROJECT_ROOT, Settings

CONTRACT_KEYS = {"pc4", "place", "municipality", "municipality_code", "lat", "lon"}


@pytest.mark.parametrize("typed", ["3511", "3511 AB", "3511ab", "3511-AB", " 3511AB "])
def test_a_postcode_in_any_form_resolves_to_its_pc4(geo, typed):
    result = geo.resolve(typed)
    assert result.outcome is Outcome.FOUND
    assert result.location.kind is Kind.POSTCODE
    assert result.location.pc4 == "3511"
    assert result.location.municipality == "Utrecht"
    assert result.location.municipality_code == "0344"


def test_a_full_postcode_keeps_its_letters_in_the_name_but_uses_the_pc4_centre(geo):
    full = geo.resolve("3511ab").location
    pc4 = geo.resolve("3511").location
    assert full.name == "3511 AB"
    assert (full.lat, full.lon) == (pc4.lat, pc4.lon)


def test_a_postcode_at_the_start_of_an_address_is_used(geo):
    assert geo.resolve("3511 AB Utrecht").location.pc4 == "3511"


@pytest.mark.parametrize("typed", ["utrecht", "Utrecht", "UTRECHT", "  utrecht  "])
def test_a_place_name_resolves_whatever_its_case(geo, typed):
    result = geo.resolve(typed)
    assert result.outcome is Outcome.FOUND
    assert result.location.kind is Kind.PLACE
    assert result.location.name == "Utrecht"
    assert result.location.municipality_code == "0344"
    assert result.corrected is False


def test_a_neighbourhood_lies_in_its_city_with_its_own_coordinates(geo):
    overvecht = geo.resolve("Overvecht").location
    utrecht = geo.resolve("Utrecht").location
    assert overvecht.kind is Kind.NEIGHBOURHOOD
    assert overvecht.name == "Overvecht"
    assert overvecht.place == "Utrecht"
    assert overvecht.municipality == "Utrecht"
    assert (overvecht.lat, overvecht.lon) != (utrecht.lat, utrecht.lon)
    assert overvecht.pc4.startswith("35")


@pytest.mark.parametrize("typed", ["Den Bosch", "den bosch", "'s-Hertogenbosch", "s-Hertogenbosch", "’s-Hertogenbosch"])
def test_den_bosch_and_s_hertogenbosch_are_the_same_place(geo, typed):
    location = geo.resolve(typed).location
    assert location is not None
    assert location.name == "'s-Hertogenbosch"
    assert location.municipality_code == "0796"


@pytest.mark.parametrize("typed", ["Den Haag", "'s-Gravenhage", "The Hague", "den haag"])
def test_den_haag_answers_to_all_its_names(geo, typed):
    location = geo.resolve(typed).location
    assert location.name == "Den Haag"
    assert location.municipality == "Den Haag"


def test_a_province_suffix_picks_the_right_namesake(geo):
    assert geo.resolve("Hengelo (Ov)").location.province == "Overijssel"
    assert geo.resolve("Hengelo (Gld)").location.province == "Gelderland"
    assert geo.resolve("Hengelo Gld").location.municipality == "Bronckhorst"
    assert geo.resolve("Haren Gn").location.municipality == "Groningen"


def test_a_city_far_bigger_than_its_namesakes_is_taken_without_asking(geo):
    result = geo.resolve("Hengelo")
    assert result.outcome is Outcome.FOUND
    assert result.location.province == "Overijssel"


def test_a_small_typo_is_forgiven_and_marked_as_corrected(geo):
    result = geo.resolve("amsterdm")
    assert result.outcome is Outcome.FOUND
    assert result.location.name == "Amsterdam"
    assert result.corrected is True


def test_a_swapped_pair_of_letters_is_a_small_typo(geo):
    assert geo.resolve("Rotetrdam").location.name == "Rotterdam"


@pytest.mark.parametrize("typed", ["Amst", "Edee", "Utr", "Zw"])
def test_very_short_inputs_are_never_guessed(geo, typed):
    assert geo.resolve(typed).outcome is Outcome.UNKNOWN


def test_a_shared_name_returns_the_candidates_to_ask_about(geo):
    result = geo.resolve("Lombok")
    assert result.outcome is Outcome.AMBIGUOUS
    assert result.location is None
    first, *others = result.candidates
    assert first.kind is Kind.NEIGHBOURHOOD and first.municipality == "Utrecht"
    assert any(c.kind is Kind.PLACE for c in others)
    assert all(c.name == "Lombok" for c in result.candidates)


def test_candidates_are_distinct_and_at_most_five(geo):
    result = geo.resolve("Heikant")
    assert result.outcome is Outcome.AMBIGUOUS
    assert 2 <= len(result.candidates) <= 5
    spots = [(c.municipality_code, round(c.lat, 2), round(c.lon, 2)) for c in result.candidates]
    assert len(set(spots)) == len(spots)


def test_a_town_and_its_municipality_are_one_candidate_not_two(geo):
    assert geo.resolve("Groningen").outcome is Outcome.FOUND
    assert geo.resolve("Ede").outcome is Outcome.FOUND


def test_a_municipality_without_a_town_of_its_name_resolves_to_the_municipality(geo):
    location = geo.resolve("Súdwest-Fryslân").location
    assert location.kind is Kind.MUNICIPALITY
    assert location.municipality_code == "1900"
    assert geo.resolve("sudwest fryslan").location == location


def test_gemeente_before_a_name_asks_for_the_municipality(geo):
    location = geo.resolve("gemeente Utrecht").location
    assert location.kind is Kind.MUNICIPALITY
    assert location.name == "Utrecht"


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "🙂", "🙂🙂🙂", "x" * 10_000, "'; DROP TABLE users; --", "9990", "1000", "0123", "3511 SA",
     "Qwxzvbnm", "\x00\x01", "<script>alert(1)</script>", "%s%s%n", "ﷺ"],
)
def test_unknown_input_is_unknown_and_never_raises(geo, typed):
    result = geo.resolve(typed)
    assert result.outcome is Outcome.UNKNOWN
    assert result.location is None and result.candidates == ()


def test_a_non_text_query_is_unknown(geo):
    assert geo.resolve(None).outcome is Outcome.UNKNOWN  # type: ignore[arg-type]


def test_postcode_returns_a_location_or_none(geo):
    assert geo.postcode("3584 CS").pc4 == "3584"
    assert geo.postcode("9990") is None
    assert geo.postcode("Utrecht") is None


def test_a_shared_position_is_named_after_the_nearest_pc4(geo):
    location = geo.nearest(52.0907, 5.1214)
    assert location.kind is Kind.COORDINATES
    assert (location.lat, location.lon) == (52.0907, 5.1214)
    assert location.pc4.startswith("35")
    assert location.municipality == "Utrecht"


def test_coverage_tells_the_netherlands_from_elsewhere(geo):
    assert geo.covers(52.0907, 5.1214)
    assert not geo.covers(48.8566, 2.3522)
    assert not geo.covers(float("nan"), 5.0)


def test_nearest_refuses_impossible_coordinates(geo):
    with pytest.raises(ValueError):
        geo.nearest(91.0, 5.0)


@pytest.mark.parametrize("code", ["0344", "344", "GM0344"])
def test_a_cbs_code_gives_the_clean_municipality_name(geo, code):
    assert geo.municipality(code) == "Utrecht"


def test_an_unknown_cbs_code_gives_none(geo):
    assert geo.municipality("9876") is None
    assert geo.municipality("abc") is None


@pytest.mark.parametrize(
    "typed", ["3511", "3511 AB", "Utrecht", "Overvecht", "Súdwest-Fryslân", "gemeente Utrecht", "Brielle"]
)
def test_the_contract_fields_are_filled_for_every_kind(geo, typed):
    contract = geo.resolve(typed).location.as_contract_dict()
    assert set(contract) == CONTRACT_KEYS
    assert all(value not in (None, "") for value in contract.values()), contract


def test_the_contract_fields_are_filled_for_a_shared_position(geo):
    contract = geo.nearest(51.9225, 4.4792).as_contract_dict()
    assert all(value not in (None, "") for value in contract.values()), contract


def test_every_name_resolves_to_a_location_with_a_known_pc4(geo):
    for name in geo.names():
        result = geo.resolve(name)
        assert result.outcome is not Outcome.UNKNOWN, name
        for location in (result.location, *result.candidates):
            if location is not None:
                assert geo.postcode(location.pc4) is not None, (name, location)
                assert location.municipality and location.municipality_code, (name, location)


def test_names_cover_places_neighbourhoods_municipalities_and_aliases(geo):
    names = set(geo.names())
    assert {"Utrecht", "Overvecht", "Lombok", "Súdwest-Fryslân", "Den Bosch", "'s-Hertogenbosch"} <= names
    assert len(names) > 7000


def test_no_name_anywhere_says_gemeente_or_municipality(geo):
    for name in geo.names():
        assert "municip" not in name.lower() and not name.lower().startswith("gemeente"), name


def test_foreign_scripts_are_not_offered_as_names(geo):
    assert "Утрехт" not in geo.names()
    assert geo.resolve("Утрехт").outcome is Outcome.UNKNOWN


def test_the_index_is_loaded_once_per_process(geo_dir):
    settings = Settings(geo_dir=geo_dir)
    assert get_geo_index(settings) is get_geo_index(settings)


def test_doemee_geo_imports_in_the_rasa_environment():
    python = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"
    if not python.exists():
        pytest.skip("the Rasa environment is not created")
    code = (
        "from doemee.geo.index import GeoIndex; from doemee.geo.wording import explain; "
        "import doemee.geo.download, doemee.messages; print('ok')"
    )
    done = subprocess.run(
        [str(python), "-c", code],
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_rasa_environment_resolves_like_the_app(geo, geo_dir):
    python = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"
    if not python.exists():
        pytest.skip("the Rasa environment is not created")
    code = (
        "import sys; from doemee.geo.index import GeoIndex; "
        "print(GeoIndex.load(sys.argv[1]).resolve('Overvecht').location.pc4)"
    )
    done = subprocess.run(
        [str(python), "-c", code, str(geo_dir)],
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == geo.resolve("Overvecht").location.pc4
