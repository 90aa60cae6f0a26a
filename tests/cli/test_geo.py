"""`doemee geo`: postcodes and places to where they lie."""

from __future__ import annotations

import json

import pytest

from tests.cli.runner import doemee


@pytest.mark.parametrize("query", ["3511", "3511 AB", "3511ab"])
def test_a_postcode_in_any_spelling_resolves_to_its_pc4(query, tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'x.db'}", "geo", query, "--json")
    assert result.code == 0, result.stderr
    found = json.loads(result.stdout)
    assert set(found) == {"pc4", "place", "municipality", "municipality_code", "lat", "lon"}
    assert (found["pc4"], found["municipality"], found["municipality_code"]) == ("3511", "Utrecht", "0344")
    assert 52.0 < found["lat"] < 52.2 and 5.0 < found["lon"] < 5.2


def test_a_neighbourhood_resolves_to_its_municipality(tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'x.db'}", "geo", "Overvecht", "--json")
    assert result.code == 0, result.stderr
    found = json.loads(result.stdout)
    assert (found["municipality"], found["municipality_code"]) == ("Utrecht", "0344")


def test_without_json_the_answer_is_a_dutch_sentence(tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'x.db'}", "geo", "3511")
    assert result.code == 0 and "gemeente Utrecht" in result.stdout


@pytest.mark.parametrize("query", ["Xqzwyk", "", "0000", "🙂🙂", "x" * 10000, "'; DROP TABLE opportunity; --"])
def test_an_unknown_query_is_exit_2_and_one_dutch_line(query, tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'x.db'}", "geo", query, "--json")
    assert result.code == 2
    assert len(result.error_lines) == 1 and "ken ik niet" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_an_ambiguous_name_lists_the_candidates(tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'x.db'}", "geo", "Lombok")
    assert result.code == 2 and len(result.error_lines) == 1
    assert "meerdere plekken" in result.stderr


@pytest.mark.parametrize(
    "query",
    ["Schalkwijk bij Houten", "schalkwijk, houten", "Schalkwijk (Houten)", "Schalkwijk gemeente Houten",
     "Schalkwijk in de gemeente Houten", "Schalkwijk, gemeente Houten", "Schalkwijk - Houten", "Schalkwijk/Houten",
     "Houten, Schalkwijk", "schalkwjk bij houten"],
)
def test_a_village_qualified_with_its_municipality_resolves_to_the_village(query, tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'x.db'}", "geo", query, "--json")
    assert result.code == 0, result.stderr
    found = json.loads(result.stdout)
    assert (found["place"], found["municipality"], found["municipality_code"]) == ("Schalkwijk", "Houten", "0321")
    assert found["pc4"] == "3998"


def test_a_village_named_with_a_town_far_away_lists_both_instead_of_picking_one(tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'x.db'}", "geo", "Vleuten bij Zwolle")
    assert result.code == 2 and len(result.error_lines) == 1
    assert "meerdere plekken" in result.stderr
    assert "Vleuten in de gemeente Utrecht" in result.stderr and "Zwolle" in result.stderr
