"""A centre's figures ("Cijfers"), on SQLite and PostgreSQL (via `db`)."""

from __future__ import annotations

import csv
import io
import math
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from doemee import centre_stats, messages
from doemee.geo.index import get_geo_index
from doemee.storage.models import Centre, SearchLog, SignUp
from tests.domain.factories import make_opportunity

TODAY = date(2026, 12, 2)  # a Wednesday in ISO week 2026-W49
SINCE = date(2026, 9, 1)
SVG = "{http://www.w3.org/2000/svg}"


class FakeGeo:
    """Names and middles of the Utrecht centre's region, some of them awkward on purpose."""

    def __init__(self, names: dict[str, str] | None = None) -> None:
        self.names = names or {}

    def municipality(self, code: str) -> str | None:
        return self.names.get(code, f"Gemeente {code}")

    def centroid(self, code: str) -> tuple[float, float] | None:
        points = {"0344": (52.09, 5.11), "0355": (52.09, 5.24), "0310": (52.12, 5.19), "0321": (52.03, 5.17)}
        return points.get(code, (52.05, 5.10))


@pytest.fixture
def centres(db) -> dict[str, int]:
    return {c.slug: c.id for c in db.scalars(select(Centre))}


def searched(db, centre_id: int | None, moment: datetime, code: str | None = "0344", within: int = 0,
             interests: str = "groen") -> None:
    db.add(SearchLog(interests=interests, municipality_code=code, result_count=3, within_radius_count=within,
                     centre_id=centre_id, created_at=moment))
    db.flush()


def signed_up(db, centre_id: int | None, moment: datetime) -> None:
    opportunity = make_opportunity(db)
    db.add(SignUp(opportunity_id=opportunity.id, centre_id=centre_id, consent_text="ok", created_at=moment))
    db.flush()


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


# --- the weekly series -------------------------------------------------------------------


def test_the_weekly_series_counts_each_iso_week_of_the_centre_and_fills_the_empty_ones(db, centres):
    utrecht, amsterdam = centres["utrecht"], centres["amsterdam"]
    this_monday = date(2026, 11, 30)
    searched(db, utrecht, at(TODAY), within=2)
    searched(db, utrecht, at(TODAY), within=0)
    searched(db, utrecht, datetime(2026, 11, 30, 0, 0, tzinfo=timezone.utc), within=0)  # Monday 00:00: this week
    searched(db, utrecht, datetime(2026, 11, 29, 23, 59, 59, tzinfo=timezone.utc), within=1)  # Sunday: last week
    searched(db, utrecht, at(this_monday - timedelta(weeks=2)), within=0)
    searched(db, utrecht, at(this_monday - timedelta(weeks=4)))  # before the 4 weeks asked for
    searched(db, amsterdam, at(TODAY))
    searched(db, None, at(TODAY))
    signed_up(db, utrecht, at(TODAY))
    signed_up(db, amsterdam, at(TODAY))
    signed_up(db, utrecht, at(this_monday - timedelta(days=1)))

    stats = centre_stats.weekly(db, {utrecht}, weeks=4, today=TODAY)

    assert [(w.week, w.starts, w.searches, w.unmet, w.sign_ups) for w in stats.weeks] == [
        ("2026-W46", date(2026, 11, 9), 0, 0, 0),
        ("2026-W47", date(2026, 11, 16), 1, 1, 0),
        ("2026-W48", date(2026, 11, 23), 1, 0, 1),
        ("2026-W49", date(2026, 11, 30), 3, 2, 1),
    ]
    assert [w.conversion for w in stats.weeks] == [None, 0.0, 1.0, 1 / 3]
    assert (stats.searches, stats.unmet, stats.sign_ups, stats.conversion) == (5, 3, 2, 2 / 5)


def test_weeks_are_iso_weeks_across_the_turn_of_the_year(db, centres):
    labels = [w.week for w in centre_stats.weekly(db, {centres["utrecht"]}, weeks=3, today=date(2027, 1, 6)).weeks]
    assert labels == ["2026-W52", "2026-W53", "2027-W01"]


def test_twelve_weeks_by_default_and_any_number_given_is_kept_in_bounds(db, centres):
    mine = {centres["utrecht"]}
    assert len(centre_stats.weekly(db, mine, today=TODAY).weeks) == 12
    for given, expected in [(0, 1), (-5, 1), (10**30, centre_stats.MAX_WEEKS), ("abc", 12), (None, 12)]:
        assert len(centre_stats.weekly(db, mine, weeks=given, today=TODAY).weeks) == expected


def test_a_caller_without_centres_sees_only_zeros(db, centres):
    searched(db, centres["utrecht"], at(TODAY))
    for visible in (set(), {-1}, {10**30}, None):
        assert centre_stats.weekly(db, visible, weeks=2, today=TODAY).searches == 0


# --- unmet demand in the region --------------------------------------------------------------


def test_unmet_demand_per_municipality_and_interest_covers_only_the_region(db, centres):
    utrecht, amsterdam = centres["utrecht"], centres["amsterdam"]
    for code, interests, within in [
        ("0344", "groen", 0), ("0344", "groen", 0), ("0344", "groen", 3), ("0344", "taal,groen", 0),
        ("0355", "ouderen", 0), ("0363", "groen", 0), (None, "groen", 0),
    ]:
        searched(db, None, at(TODAY), code=code, within=within, interests=interests)
    mine = make_opportunity(db, category="groen")
    mine.centre_id = utrecht
    theirs = make_opportunity(db, category="groen")
    theirs.centre_id = amsterdam
    db.flush()

    report = centre_stats.demand(db, {utrecht}, FakeGeo({"0344": "Utrecht", "0355": "Zeist"}), since=SINCE, today=TODAY)

    rows = [(r.municipality, r.category, r.searches, r.unmet, r.open_opportunities) for r in report.rows]
    assert rows == [
        ("Utrecht", "groen", 4, 3, 1),
        ("Utrecht", "taal", 1, 1, 0),
        ("Zeist", "ouderen", 1, 1, 0),
    ]
    assert (report.total_searches, report.total_unmet) == (5, 4)


def test_every_municipality_of_the_region_is_listed_with_its_totals(db, centres):
    searched(db, None, at(TODAY), code="0344", within=0, interests="groen,taal")
    searched(db, None, at(TODAY), code="0344", within=2)
    searched(db, None, at(TODAY), code="0355", within=0)
    searched(db, None, at(TODAY), code="0363", within=0)
    figures = centre_stats.municipalities(db, {centres["utrecht"]}, FakeGeo(), since=SINCE, today=TODAY)
    region = db.get(Centre, centres["utrecht"]).municipality_codes
    assert sorted(m.municipality_code for m in figures.municipalities) == region
    by_code = {m.municipality_code: (m.searches, m.unmet) for m in figures.municipalities}
    assert by_code["0344"] == (2, 1) and by_code["0355"] == (1, 1) and by_code["0310"] == (0, 0)
    assert (figures.searches, figures.unmet) == (3, 2)


def test_the_real_geography_names_municipalities_and_places_them_amid_their_postcodes(db, centres):
    figures = centre_stats.municipalities(db, {centres["utrecht"]}, get_geo_index(), since=SINCE, today=TODAY)
    utrecht = next(m for m in figures.municipalities if m.municipality_code == "0344")
    assert utrecht.municipality == "Utrecht"
    assert abs(utrecht.lat - 52.09) < 0.05 and abs(utrecht.lon - 5.11) < 0.07


# --- CSV ------------------------------------------------------------------------------------


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_each_table_exports_as_csv_with_a_header_row(db, centres):
    searched(db, centres["utrecht"], at(TODAY), within=0)
    weekly = rows_of(centre_stats.weekly_csv(centre_stats.weekly(db, {centres["utrecht"]}, weeks=2, today=TODAY)))
    assert weekly == [list(messages.STATS_WEEKLY_COLUMNS),
                      ["2026-W48", "2026-11-23", "0", "0", "0", ""],
                      ["2026-W49", "2026-11-30", "1", "1", "0", "0.000"]]
    geo = FakeGeo({"0344": "Utrecht"})
    demand = rows_of(centre_stats.demand_csv(centre_stats.demand(db, {centres["utrecht"]}, geo, SINCE, TODAY)))
    assert demand == [list(messages.STATS_DEMAND_COLUMNS),
                      ["Utrecht", "0344", "Natuur, groen en tuinieren", "1", "1", "1.000", "0"]]
    places = rows_of(centre_stats.municipalities_csv(centre_stats.municipalities(db, {centres["utrecht"]}, geo, SINCE, TODAY)))
    assert places[0] == list(messages.STATS_MUNICIPALITY_COLUMNS) and len(places) == 1 + 8


def test_no_exported_cell_can_start_a_spreadsheet_formula(db, centres):
    names = {"0344": "=HYPERLINK(\"http://x\")", "0355": "+31 6", "0310": "-2", "0321": "@SUM(A1)"}
    for code in names:
        searched(db, None, at(TODAY), code=code, within=0)
    geo = FakeGeo(names)
    texts = [
        centre_stats.demand_csv(centre_stats.demand(db, {centres["utrecht"]}, geo, SINCE, TODAY)),
        centre_stats.municipalities_csv(centre_stats.municipalities(db, {centres["utrecht"]}, geo, SINCE, TODAY)),
    ]
    for text in texts:
        cells = [cell for row in rows_of(text) for cell in row]
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
        assert {"'=HYPERLINK(\"http://x\")", "'+31 6", "'-2", "'@SUM(A1)"} <= set(cells)


# --- the map --------------------------------------------------------------------------------


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return root


def test_the_map_is_self_contained_xml_with_every_name_escaped(db, centres):
    names = {"0344": "Utrecht & <Omstreken>", "0355": "Zeist \"Oost\" 's"}
    searched(db, None, at(TODAY), code="0344", within=0)
    searched(db, None, at(TODAY), code="0344", within=4)
    searched(db, None, at(TODAY), code="0355", within=0)
    figures = centre_stats.municipalities(db, {centres["utrecht"]}, FakeGeo(names), since=SINCE, today=TODAY)

    svg = centre_stats.region_map_svg(figures)
    root = parsed(svg)

    assert "Utrecht &amp; &lt;Omstreken&gt;" in svg and "<Omstreken>" not in svg
    assert not re.search(r"href|url\(|<script|<image|@import", svg)
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == messages.MAP_TITLE and "3 zoekvragen" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    groups = {g.find(f"{SVG}text").text: g for g in root.iter(f"{SVG}g")}
    assert len(groups) == 8
    assert groups["Utrecht & <Omstreken>"].find(f"{SVG}title").text == (
        "Utrecht & <Omstreken>: 2 zoekvragen, waarvan 1 zonder plek in de buurt (50%)")
    assert groups["Zeist \"Oost\" 's"].find(f"{SVG}title").text.startswith("Zeist \"Oost\" 's: 1 zoekvraag")


def test_circle_area_follows_searches_and_colour_the_share_without_a_place(db, centres):
    for _ in range(4):
        searched(db, None, at(TODAY), code="0344", within=3)
    searched(db, None, at(TODAY), code="0355", within=0)
    figures = centre_stats.municipalities(db, {centres["utrecht"]}, FakeGeo(), since=SINCE, today=TODAY)
    root = parsed(centre_stats.region_map_svg(figures))
    circles = {g.find(f"{SVG}text").text: g.find(f"{SVG}circle") for g in root.iter(f"{SVG}g")}
    big, small = circles["Gemeente 0344"], circles["Gemeente 0355"]
    assert math.isclose(float(big.get("r")) ** 2 / float(small.get("r")) ** 2, 4, rel_tol=0.02)
    assert big.get("fill") == "#fee5d9" and small.get("fill") == "#a50f15"
    assert circles["Gemeente 0310"].get("fill") == "none"


def test_a_region_without_searches_gets_a_dutch_empty_map(db, centres):
    searched(db, None, at(TODAY), code="0363")  # Amsterdam: not in Utrecht's region
    for visible in ({centres["utrecht"]}, set()):
        figures = centre_stats.municipalities(db, visible, FakeGeo(), since=SINCE, today=TODAY)
        root = parsed(centre_stats.region_map_svg(figures, svg_id="kaart\"><script>"))
        assert messages.MAP_EMPTY in "".join(root.itertext())
        assert root.find(f"{SVG}circle") is None
        assert root.find(f"{SVG}title").get("id") == "kaartscript-title"
