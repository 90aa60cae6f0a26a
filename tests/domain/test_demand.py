"""The unmet-demand report on SQLite and PostgreSQL (via `db`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from doemee.demand import default_since, unmet_demand
from doemee.geo.index import get_geo_index
from doemee.matching.engine import find, record_search
from doemee.matching.query import SearchQuery
from doemee.storage.models import SearchLog
from tests.domain.factories import UTRECHT, make_opportunity

TODAY = date(2025, 6, 1)
SINCE = date(2025, 3, 1)
NAMES = {"0344": "Utrecht", "0363": "Amsterdam", "0307": "Amersfoort"}


def logged(db, interests: str = "groen", code: str | None = "0344", found: int = 0, day: date = date(2025, 5, 1)) -> None:
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
    db.add(SearchLog(
        interests=interests, pc4="3511" if code == "0344" else None, municipality_code=code,
        result_count=found or 3, within_radius_count=found, created_at=moment,
    ))
    db.flush()


def report(db, **options):
    return unmet_demand(db, options.pop("since", SINCE), NAMES.get, today=TODAY, **options)


def keys(result) -> list[tuple[str | None, str]]:
    return [(row.municipality, row.category) for row in result.rows]


def test_searches_and_unmet_searches_are_counted_per_municipality_and_category(db):
    logged(db, "groen", found=0)
    logged(db, "groen", found=0)
    logged(db, "groen", found=2)
    logged(db, "taal", code="0363", found=1)
    result = report(db)
    first = result.rows[0]
    assert (first.municipality_code, first.municipality, first.category, first.category_label) == (
        "0344", "Utrecht", "groen", "Natuur, groen en tuinieren")
    assert (first.searches, first.unmet) == (3, 2)
    assert abs(first.unmet_share - 2 / 3) < 1e-9
    assert (result.total_searches, result.total_unmet) == (4, 2)


def test_rows_are_ranked_by_unmet_searches_not_by_searches(db):
    for _ in range(5):
        logged(db, "sport", found=4)
    logged(db, "taal", found=0)
    logged(db, "taal", found=0)
    logged(db, "groen", code="0363", found=0)
    assert keys(report(db)) == [("Utrecht", "taal"), ("Amsterdam", "groen"), ("Utrecht", "sport")]


def test_a_search_with_several_interests_counts_for_each_but_once_in_the_totals(db):
    logged(db, "groen,taal", found=0)
    result = report(db)
    assert sorted(keys(result)) == [("Utrecht", "groen"), ("Utrecht", "taal")]
    assert all((row.searches, row.unmet) == (1, 1) for row in result.rows)
    assert (result.total_searches, result.total_unmet) == (1, 1)


def test_a_search_without_interests_is_a_row_for_anything(db):
    logged(db, "", found=0)
    row = report(db).rows[0]
    assert (row.category, row.category_label, row.as_dict()["category"]) == ("", None, None)


def test_open_opportunities_there_are_counted_for_the_category(db):
    make_opportunity(db, category="groen")
    make_opportunity(db, category="groen")
    make_opportunity(db, category="taal")
    make_opportunity(db, category="groen", status="concept")
    make_opportunity(db, category="groen", status="closed")
    expired = make_opportunity(db, category="groen")
    expired.valid_until = TODAY - timedelta(days=1)
    logged(db, "groen")
    logged(db, "")
    logged(db, "groen", code="0363")
    available = {(r.municipality, r.category): r.open_opportunities for r in report(db).rows}
    assert available == {("Utrecht", "groen"): 2, ("Utrecht", ""): 3, ("Amsterdam", "groen"): 0}


def test_searches_before_the_period_are_left_out(db):
    logged(db, "groen", day=SINCE - timedelta(days=1))
    logged(db, "taal", day=SINCE)
    assert keys(report(db)) == [("Utrecht", "taal")]


def test_the_default_period_is_the_last_90_days():
    assert default_since(TODAY) == TODAY - timedelta(days=90)


def test_the_municipality_filter_keeps_only_that_municipality(db):
    logged(db, "groen")
    logged(db, "groen", code="0363")
    logged(db, "taal", code=None)
    result = report(db, municipality_code="0363")
    assert keys(result) == [("Amsterdam", "groen")] and result.total_searches == 1


def test_the_limit_cuts_the_ranked_list_but_not_the_totals(db):
    logged(db, "groen")
    logged(db, "groen")
    logged(db, "taal")
    logged(db, "sport", found=1)
    result = report(db, limit=1)
    assert keys(result) == [("Utrecht", "groen")] and result.total_searches == 4


def test_a_search_without_a_municipality_still_counts(db):
    logged(db, "groen", code=None)
    row = report(db).rows[0]
    assert (row.municipality_code, row.municipality, row.searches, row.open_opportunities) == (None, None, 1, 0)


def test_the_report_names_municipalities_with_the_geography_and_holds_no_personal_fields(db):
    query = SearchQuery(lat=UTRECHT[0], lon=UTRECHT[1], origin="3511", pc4="3511", municipality_code="0344",
                        interests=frozenset({"ouderen"}))
    record_search(db, query, find(db, query))
    row = unmet_demand(db, default_since(), get_geo_index().municipality).rows[0]
    assert (row.municipality, row.category_label, row.unmet) == ("Utrecht", "Ouderen", 1)
    assert set(row.as_dict()) == {
        "municipality_code", "municipality", "category", "category_label", "searches", "unmet",
        "unmet_share", "open_opportunities",
    }
