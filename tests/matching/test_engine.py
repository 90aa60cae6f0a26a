"""The matching engine on a real database (SQLite and PostgreSQL, via `db`)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from doemee.matching.engine import find, find_async, find_naive, record_search
from doemee.matching.reads import Shape, reads, values
from doemee.matching.query import ReasonKind
from doemee.storage.models import SearchLog
from tests.matching.factory import (
    AMERSFOORT, AMSTERDAM, MAASTRICHT, OVERVECHT, TODAY, UTRECHT, ZEIST, add, ids, near, published,
)


def kinds(match) -> list[ReasonKind]:
    return [r.kind for r in match.reasons]


def test_an_expired_opportunity_is_never_matched(db):
    add(db, valid_until=TODAY - timedelta(days=1))
    assert find(db, near()).matches == ()


def test_an_opportunity_valid_until_today_still_matches(db):
    fresh = add(db, valid_until=TODAY)
    assert ids(find(db, near())) == [fresh.id]


def test_closed_concept_and_filled_opportunities_are_never_matched(db):
    for status in ("closed", "concept", "filled"):
        add(db, status=status)
        add(db, at=MAASTRICHT, status=status)
    result = find(db, near())
    assert result.matches == () and result.total_within_radius == 0


def test_an_opportunity_outside_the_radius_is_not_a_normal_match(db):
    inside = add(db, at=ZEIST)
    add(db, at=AMERSFOORT)
    result = find(db, near(radius_km=10))
    assert ids(result) == [inside.id] and result.total_within_radius == 1


def test_a_remote_opportunity_qualifies_from_anywhere(db):
    remote = add(db, at=MAASTRICHT, remote=True)
    result = find(db, near())
    assert ids(result) == [remote.id]
    assert result.matches[0].within_radius and ReasonKind.REMOTE in kinds(result.matches[0])
    assert result.matches[0].distance_km > 100


def test_only_the_chosen_interests_qualify(db):
    add(db, category="sport")
    garden = add(db, category="groen")
    assert ids(find(db, near(interests=frozenset({"groen", "taal"})))) == [garden.id]


def test_without_interests_every_category_qualifies(db):
    add(db, category="sport")
    add(db, category="groen")
    assert find(db, near()).total_within_radius == 2


def test_the_closer_opportunity_ranks_first_when_all_else_is_equal(db):
    far = add(db, at=ZEIST)
    close = add(db, at=OVERVECHT)
    assert ids(find(db, near())) == [close.id, far.id]


def test_a_fitting_day_part_ranks_above_a_closer_one_that_does_not_fit(db):
    morning = add(db, at=UTRECHT, day_parts="ochtend")
    evening = add(db, at=OVERVECHT, day_parts="avond")
    result = find(db, near(times=frozenset({"avond"})))
    assert ids(result) == [evening.id, morning.id]
    assert ReasonKind.DAY_PART in kinds(result.matches[0])


def test_weekdays_means_morning_afternoon_and_evening(db):
    weekend = add(db, at=UTRECHT, day_parts="weekend")
    afternoon = add(db, at=OVERVECHT, day_parts="middag")
    assert ids(find(db, near(times=frozenset({"doordeweeks"})))) == [afternoon.id, weekend.id]


def test_an_opportunity_without_day_parts_fits_any_day_part(db):
    weekend = add(db, at=UTRECHT, day_parts="weekend")
    any_time = add(db, at=OVERVECHT, day_parts="")
    assert ids(find(db, near(times=frozenset({"ochtend"})))) == [any_time.id, weekend.id]


def test_a_flexible_opportunity_fits_any_commitment(db):
    weekly = add(db, at=UTRECHT, time_commitment="wekelijks")
    flexible = add(db, at=UTRECHT, time_commitment="flexibel")
    once = add(db, at=UTRECHT, time_commitment="eenmalig")
    result = find(db, near(times=frozenset({"eenmalig"})))
    assert ids(result) == [flexible.id, once.id, weekly.id]
    assert [ReasonKind.COMMITMENT in kinds(m) for m in result.matches] == [True, True, False]


def test_a_new_opportunity_gets_a_small_bonus_and_a_reason(db):
    old = add(db, created_at=published(90))
    new = add(db, created_at=published(2))
    result = find(db, near())
    assert ids(result) == [new.id, old.id]
    assert ReasonKind.NEW in kinds(result.matches[0]) and ReasonKind.NEW not in kinds(result.matches[1])


def test_freshness_does_not_beat_a_better_day_part_fit(db):
    fitting = add(db, day_parts="avond", created_at=published(90))
    new = add(db, day_parts="ochtend", created_at=published(0))
    assert ids(find(db, near(times=frozenset({"avond"})))) == [fitting.id, new.id]


def test_scores_stay_between_zero_and_one(db):
    add(db, created_at=published(0), day_parts="avond", time_commitment="flexibel")
    add(db, at=MAASTRICHT, remote=True)
    result = find(db, near(interests=frozenset({"groen"}), times=frozenset({"avond", "wekelijks"})))
    assert all(0.0 <= m.score <= 1.0 for m in result.matches) and len(result.matches) == 2


def test_pages_follow_each_other_without_overlap(db):
    for i in range(7):
        add(db, at=(UTRECHT[0] + i * 0.005, UTRECHT[1]))
    first = ids(find(db, near(limit=3)))
    second = ids(find(db, near(limit=3, offset=3)))
    third = ids(find(db, near(limit=3, offset=6)))
    everything = ids(find(db, near(limit=10)))
    assert first + second + third == everything and len(everything) == 7


def test_excluded_ids_are_left_out_and_not_counted(db):
    shown = add(db, at=UTRECHT)
    other = add(db, at=ZEIST)
    result = find(db, near(exclude_ids=frozenset({shown.id})))
    assert ids(result) == [other.id] and result.total_within_radius == 1


def test_nothing_nearby_gives_the_nearest_alternatives_marked_beyond_the_radius(db):
    farther = add(db, at=AMSTERDAM)
    nearer = add(db, at=AMERSFOORT)
    add(db, at=UTRECHT, category="sport")
    add(db, at=ZEIST, status="closed")
    result = find(db, near(interests=frozenset({"groen"}), radius_km=5))
    assert ids(result) == [nearer.id, farther.id]
    assert result.total_within_radius == 0 and result.only_alternatives
    assert all(not m.within_radius and ReasonKind.BEYOND_RADIUS in kinds(m) for m in result.matches)


def test_alternatives_are_found_across_the_country(db):
    far_away = add(db, at=MAASTRICHT)
    result = find(db, near(at=(53.2194, 6.5665), origin="Groningen"))
    assert ids(result) == [far_away.id] and not result.matches[0].within_radius


def test_alternatives_never_include_expired_or_closed_opportunities(db):
    add(db, at=AMERSFOORT, valid_until=TODAY - timedelta(days=3))
    add(db, at=AMERSFOORT, status="filled")
    assert find(db, near(radius_km=5)).matches == ()


def test_no_alternatives_when_something_fits_inside_the_radius(db):
    inside = add(db, at=OVERVECHT)
    add(db, at=AMERSFOORT)
    result = find(db, near(radius_km=5))
    assert ids(result) == [inside.id] and result.matches[0].within_radius


def test_a_match_carries_what_the_page_shows(db):
    opportunity = add(db, title="Buurttuin De Kas", day_parts="ochtend;weekend")
    view = find(db, near()).matches[0].opportunity
    assert (view.id, view.title, view.initiative, view.day_parts) == (
        opportunity.id, "Buurttuin De Kas", opportunity.initiative.name, ("ochtend", "weekend"))
    assert view.initiative_website == opportunity.initiative.website


def test_the_search_log_holds_no_personal_data(db):
    add(db)
    query = near(interests=frozenset({"taal", "groen"}))
    log = record_search(db, query, find(db, query))
    stored = db.scalars(select(SearchLog)).one()
    assert stored.id == log.id
    assert (stored.interests, stored.pc4, stored.municipality_code) == ("groen,taal", "3511", "0344")
    assert (stored.result_count, stored.within_radius_count) == (1, 1)
    columns = {c.name for c in SearchLog.__table__.columns}
    # The centre is the widget's (or region's), never the resident's.
    assert columns == {"id", "interests", "pc4", "municipality_code", "result_count",
                       "within_radius_count", "centre_id", "created_at"}


def test_find_itself_logs_nothing(db):
    add(db)
    find(db, near())
    assert db.scalars(select(SearchLog)).all() == []


def test_find_async_gives_the_same_answer_as_find(database):
    with database.session() as session:
        opportunity_id = add(session).id
    result = asyncio.run(find_async(database, near()))
    assert ids(result) == [opportunity_id]


def test_the_naive_scan_gives_the_same_answer_on_a_small_case(db):
    add(db, at=OVERVECHT)
    add(db, at=MAASTRICHT, remote=True)
    add(db, at=AMERSFOORT)
    assert ids(find_naive(db, near())) == ids(find(db, near()))


@pytest.mark.parametrize("read", ["ring", "remote"])
def test_the_match_reads_never_touch_the_table_on_postgresql(database, read):
    """A heap visit per candidate cost PostgreSQL a few milliseconds per search (issue 2's p95).

    Explains the engine's own statements with a search's values, on rows
    spread over the country: on a handful of rows any index is as cheap.
    """
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps the row id in every index")
    with database.session() as session:
        for n in range(400):
            add(session, at=(50.8 + (n % 20) / 8, 3.4 + (n // 20) / 5.5), remote=n % 7 == 0)
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE opportunity"))
    query = near()
    statements = reads(Shape.of(query))
    statement = statements.rings[-1] if read == "ring" else statements.remote
    given = {**values(query, TODAY, datetime.now(UTC) - timedelta(days=14)), "size": 5, "skip": 0}
    expanded = statement.compile(database.engine).construct_expanded_state(given)
    with database.engine.connect() as connection:
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            connection.exec_driver_sql(f"SET {setting} = off")
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {expanded.statement}", expanded.parameters))
    index = "box" if read == "ring" else "remote"
    assert re.search(f"Index Only Scan (Backward )?using ix_opportunity_match_{index} ", plan), plan
