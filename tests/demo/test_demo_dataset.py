"""The demo dataset is what a volunteer centre sees first, so it must be valid and realistic.

These tests read doemee/demo/opportunities.csv with the standard csv module
and the real GeoNames postcode file, independent of the importer.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from doemee.categories import SLUGS
from doemee.demo import OPPORTUNITIES_CSV
from doemee.settings import get_settings

HEADER = [
    "external_id", "initiative_name", "initiative_website", "title", "description", "category",
    "postcode", "place", "time_commitment", "day_parts", "remote", "contact_email", "valid_until",
]
PROVINCES = {
    "Groningen", "Friesland", "Drenthe", "Overijssel", "Flevoland", "Guelders", "Utrecht",
    "North Holland", "South Holland", "Zeeland", "North Brabant", "Limburg",
}
CITIES = {
    "Utrecht", "Amsterdam", "Rotterdam", "'s-Gravenhage", "Eindhoven", "Groningen", "Zwolle",
    "Maastricht", "Leeuwarden", "Middelburg", "Almere", "Assen", "Arnhem", "Nijmegen",
}
POSTCODE = re.compile(r"[1-9][0-9]{3}( [A-Z]{2})?")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with OPPORTUNITIES_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def postal() -> dict[str, list[list[str]]]:
    """PC4 -> GeoNames rows (country, pc4, place, admin1, code1, admin2, code2, ...)."""
    path = Path(get_settings().geo_dir) / "NL_postal.txt"
    if not path.is_file():
        pytest.skip(f"GeoNames postcode file not present at {path}")
    table: dict[str, list[list[str]]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            table.setdefault(fields[1], []).append(fields)
    return table


def test_file_is_utf8_without_bom_and_has_the_exact_header():
    raw = OPPORTUNITIES_CSV.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    first_line = raw.decode("utf-8").splitlines()[0]
    assert first_line.split(",") == HEADER


def test_every_row_has_every_column(rows):
    assert all(list(row) == HEADER and None not in row.values() for row in rows)


def test_there_are_enough_opportunities_and_initiatives(rows):
    initiatives = Counter(row["initiative_name"] for row in rows)
    assert len(rows) >= 260
    assert len(initiatives) >= 105
    assert all(1 <= count <= 4 for count in initiatives.values())


def test_external_ids_are_stable_and_unique(rows):
    ids = [row["external_id"] for row in rows]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"demo-[0-9]{4}", i) for i in ids)


def test_every_category_appears_at_least_twelve_times(rows):
    counts = Counter(row["category"] for row in rows)
    assert set(counts) == SLUGS
    assert min(counts.values()) >= 12


def test_postcodes_are_well_formed_dutch_postcodes(rows):
    for row in rows:
        postcode = row["postcode"]
        assert POSTCODE.fullmatch(postcode), postcode
        assert postcode[5:] not in {"SA", "SD", "SS"}, postcode
    assert any(len(row["postcode"]) == 7 for row in rows)
    assert any(len(row["postcode"]) == 4 for row in rows)


def test_every_postcode_exists_and_every_place_belongs_to_it(rows, postal):
    for row in rows:
        pc4 = row["postcode"][:4]
        assert pc4 in postal, row["external_id"]
        if row["place"]:
            assert row["place"] in {fields[2] for fields in postal[pc4]}, row["external_id"]


def test_about_one_in_ten_rows_leaves_the_place_to_the_importer(rows):
    empty = sum(not row["place"] for row in rows)
    assert 0.05 * len(rows) <= empty <= 0.2 * len(rows)


def test_all_twelve_provinces_and_thirty_municipalities_are_covered(rows, postal):
    provinces = {postal[row["postcode"][:4]][0][3] for row in rows}
    municipalities = {postal[row["postcode"][:4]][0][6] for row in rows}
    assert provinces == PROVINCES
    assert len(municipalities) >= 30


def test_the_big_cities_each_have_several_opportunities(rows, postal):
    places = Counter(postal[row["postcode"][:4]][0][2] for row in rows)
    assert {city: places[city] for city in CITIES if places[city] < 3} == {}


def test_utrecht_neighbourhoods_overvecht_lombok_and_kanaleneiland_have_opportunities(rows):
    pc4s = {row["postcode"][:4] for row in rows}
    assert pc4s & {"3561", "3562", "3563", "3564", "3565"}
    assert "3531" in pc4s
    assert pc4s & {"3526", "3527"}


def test_titles_are_short_and_unique_per_initiative(rows):
    assert all(0 < len(row["title"]) <= 120 for row in rows)
    pairs = [(row["initiative_name"], row["title"]) for row in rows]
    assert len(set(pairs)) == len(pairs)


def test_descriptions_are_two_to_four_sentences_and_never_repeat(rows):
    descriptions = [row["description"] for row in rows]
    assert len(set(descriptions)) == len(descriptions)
    for text in descriptions:
        assert 2 <= len(re.findall(r"[.!?](?=\s|$)", text)) <= 4, text
    sentences = Counter(
        s for text in descriptions for s in re.split(r"(?<=[.!?])\s+", text.strip())
    )
    assert [s for s, n in sentences.items() if n > 1] == []


def test_no_placeholder_text(rows):
    text = " ".join(row["title"] + " " + row["description"] for row in rows).lower()
    for placeholder in ("lorem", "ipsum", "todo", "xxx", "placeholder"):
        assert placeholder not in text


def test_contacts_and_websites_are_fictional(rows):
    for row in rows:
        assert re.fullmatch(r"[a-z0-9.]+@([a-z0-9-]+\.)*example\.org", row["contact_email"])
        website = row["initiative_website"]
        assert website == "" or re.fullmatch(r"https://([a-z0-9-]+\.)*example\.org/?", website)
    assert any(row["initiative_website"] for row in rows)


def test_time_commitment_uses_all_four_values(rows):
    values = Counter(row["time_commitment"] for row in rows)
    assert set(values) == {"eenmalig", "wekelijks", "maandelijks", "flexibel"}


def test_day_parts_are_valid_and_sometimes_empty(rows):
    allowed = {"ochtend", "middag", "avond", "weekend"}
    for row in rows:
        parts = row["day_parts"].split(";") if row["day_parts"] else []
        assert set(parts) <= allowed and len(parts) == len(set(parts)), row["external_id"]
    assert any(not row["day_parts"] for row in rows)
    assert any(";" in row["day_parts"] for row in rows)


def test_remote_is_mostly_no_with_some_remote_work(rows):
    remote = Counter(row["remote"] for row in rows)
    assert set(remote) <= {"ja", "nee", ""}
    assert 10 <= remote["ja"] <= 30


def test_valid_until_is_mostly_empty_with_future_and_past_dates(rows):
    dates = [date.fromisoformat(row["valid_until"]) for row in rows if row["valid_until"]]
    assert len(dates) < len(rows) / 4
    assert any(d.year == 2027 for d in dates)
    assert any(d < date.today() for d in dates)
