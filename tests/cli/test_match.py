"""`doemee match`: the chatbot's matching on the command line."""

from __future__ import annotations

import json

from tests.cli.runner import doemee, row, write_csv

REQUIRED_KEYS = {"external_id", "id", "title", "initiative", "category", "place", "distance_km", "within_radius", "score", "reasons"}


def _seed(database, tmp_path) -> None:
    rows = [
        row("tuin-centrum", postcode="3511", category="groen", title="Geveltuintjes aanleggen"),
        row("tuin-lombok", postcode="3531", category="groen", title="Moestuin Lombok"),
        row("tuin-overvecht", postcode="3562", category="groen", title="Park Overvecht schoonhouden"),
        row("ouderen", postcode="3511", category="ouderen", title="Wandelen met ouderen"),
        row("tuin-groningen", postcode="9711", category="groen", title="Stadstuin Groningen"),
    ]
    assert doemee(database.url, "import-csv", str(write_csv(tmp_path / "plekken.csv", rows))).code == 0


def test_match_json_lists_the_best_first_with_the_contract_fields(database, tmp_path):
    _seed(database, tmp_path)
    result = doemee(database.url, "match", "--postcode", "3511 AB", "--interests", "groen", "--json")
    assert result.code == 0, result.stderr
    items = json.loads(result.stdout)
    assert {i["external_id"] for i in items} == {"tuin-centrum", "tuin-lombok", "tuin-overvecht"}
    for item in items:
        assert REQUIRED_KEYS <= set(item)
        assert item["within_radius"] is True and item["category"] == "groen"
        assert item["distance_km"] == round(item["distance_km"], 1)
        assert item["reasons"] and all(isinstance(r, str) and r.endswith(".") for r in item["reasons"])
        assert item["initiative"] == "Buurttuin Lombok"
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True)
    assert items[0]["external_id"] == "tuin-centrum"


def test_free_words_count_as_interests(database, tmp_path):
    _seed(database, tmp_path)
    result = doemee(database.url, "match", "--place", "Utrecht", "--interests", "bejaarden", "--json")
    assert result.code == 0, result.stderr
    assert [i["external_id"] for i in json.loads(result.stdout)] == ["ouderen"]


def test_when_nothing_fits_inside_the_radius_the_nearest_beyond_it_are_marked(database, tmp_path):
    _seed(database, tmp_path)
    result = doemee(database.url, "match", "--postcode", "9401", "--interests", "groen", "--radius-km", "5", "--json")
    assert result.code == 0, result.stderr
    items = json.loads(result.stdout)
    assert items and all(i["within_radius"] is False for i in items)
    assert items[0]["external_id"] == "tuin-groningen"


def test_the_limit_caps_the_list(database, tmp_path):
    _seed(database, tmp_path)
    result = doemee(database.url, "match", "--postcode", "3511", "--limit", "2", "--json")
    assert len(json.loads(result.stdout)) == 2


def test_without_json_the_listing_is_readable_dutch(database, tmp_path):
    _seed(database, tmp_path)
    result = doemee(database.url, "match", "--postcode", "3511", "--interests", "tuin")
    assert result.code == 0, result.stderr
    assert "Ik vond 3 plekken" in result.stdout and "1. Geveltuintjes aanleggen" in result.stdout


def _fresh(tmp_path) -> str:
    """A database of its own for checks that fail before any query runs."""
    return f"sqlite:///{tmp_path / 'doemee.db'}"


def test_an_unknown_interest_is_one_line_listing_the_categories(tmp_path):
    result = doemee(_fresh(tmp_path), "match", "--postcode", "3511", "--interests", "groen,quidditch")
    assert result.code == 2
    assert len(result.error_lines) == 1
    assert "quidditch" in result.stderr and "energie" in result.stderr and "organisatie" in result.stderr


def test_an_unknown_moment_is_refused(tmp_path):
    result = doemee(_fresh(tmp_path), "match", "--postcode", "3511", "--when", "zondagnacht")
    assert result.code == 2 and len(result.error_lines) == 1 and "ochtend" in result.stderr


def test_match_needs_a_postcode_or_a_place(tmp_path):
    result = doemee(_fresh(tmp_path), "match", "--interests", "groen")
    assert result.code == 2 and result.error_lines == ["Geef een postcode (--postcode) of een plaats (--place)."]


def test_an_unknown_postcode_or_place_is_one_dutch_line(tmp_path):
    for args in (("--postcode", "1000"), ("--postcode", "hallo"), ("--place", "Xqzwyk"), ("--place", "🙂" * 500)):
        result = doemee(_fresh(tmp_path), "match", *args)
        assert result.code == 2, args
        assert len(result.error_lines) == 1 and "Traceback" not in result.stderr


def test_an_ambiguous_place_names_the_candidates(tmp_path):
    result = doemee(_fresh(tmp_path), "match", "--place", "Lombok")
    assert result.code == 2
    assert len(result.error_lines) == 1
    assert "meerdere plekken" in result.stderr and "Utrecht" in result.stderr


def test_a_bad_radius_is_refused(tmp_path):
    result = doemee(_fresh(tmp_path), "match", "--postcode", "3511", "--radius-km", "ver")
    assert result.code == 2 and len(result.error_lines) == 1 and "geen getal" in result.stderr
