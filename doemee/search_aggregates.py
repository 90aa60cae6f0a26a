"""Old searches kept only as day counts: the search log is folded into `search_log_aggregate`.

The figures (doemee.demand, doemee.centre_stats) cut time at UTC
midnight, so a search older than the retention period only needs its UTC
day, centre, municipality and interests, and whether anything lay inside
its radius. Each batch claims its rows by deleting them (DELETE ...
RETURNING) and adds them to the counts in the same transaction: a crash
loses nothing and counts nothing twice. On PostgreSQL every batch first
takes a lock that only another aggregating transaction waits for, so two
instances running at once take turns per batch instead of both adding a
row for the same day; reading and logging searches are never blocked.
SQLite lets one writer at a time in anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, case, delete, func, insert, literal_column, select, text, update
from sqlalchemy.orm import Session

from doemee.storage.database import Database
from doemee.storage.models import Base, SearchLog, SearchLogAggregate

BATCH = 5_000

_Key = tuple[date, int | None, str | None, str]


def count_older(session: Session, before: datetime) -> int:
    """How many logged searches a run would fold (for --dry-run)."""
    return int(session.scalar(select(func.count()).select_from(SearchLog).where(SearchLog.created_at < before)) or 0)


def fold_older(database: Database, before: datetime, batch: int = BATCH) -> int:
    """Folds every search logged before `before` into the day counts; returns how many it folded.

    One transaction per batch, so a big log never holds a lock for long;
    safe to run twice and from two instances at once.
    """
    folded = 0
    while True:
        with database.session() as session:
            moved = _fold_batch(session, before, batch)
        if not moved:
            return folded
        folded += moved


def _fold_batch(session: Session, before: datetime, batch: int) -> int:
    log = Base.metadata.tables[SearchLog.__tablename__]
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE search_log_aggregate IN SHARE ROW EXCLUSIVE MODE"))
    oldest = select(log.c.id).where(log.c.created_at < before).order_by(log.c.id).limit(batch)
    claimed = session.execute(
        delete(log).where(log.c.id.in_(oldest.scalar_subquery()))
        .returning(log.c.created_at, log.c.centre_id, log.c.municipality_code, log.c.interests,
                   log.c.within_radius_count)
    ).all()
    counts: dict[_Key, list[int]] = defaultdict(lambda: [0, 0])
    for created_at, centre_id, code, interests, within in claimed:
        key = (_utc_day(created_at), centre_id, code, interests or "")
        counts[key][0] += 1
        counts[key][1] += 1 if within == 0 else 0
    _add(session, counts)
    return len(claimed)


def _add(session: Session, counts: dict[_Key, list[int]]) -> None:
    """Adds to the rows already there for a key, and makes rows for the keys that have none yet."""
    if not counts:
        return
    table = Base.metadata.tables[SearchLogAggregate.__tablename__]
    existing: dict[_Key, int] = {}
    for row in session.execute(
        select(table.c.id, table.c.day, table.c.centre_id, table.c.municipality_code, table.c.interests)
        .where(table.c.day.in_(sorted({key[0] for key in counts})))
        .order_by(table.c.id)
    ):
        existing.setdefault((row.day, row.centre_id, row.municipality_code, row.interests), row.id)
    updates = [{"row_id": existing[key], "more": n, "more_unmet": u} for key, (n, u) in counts.items() if key in existing]
    if updates:
        session.execute(
            update(table).where(table.c.id == bindparam("row_id")).values(
                searches=table.c.searches + bindparam("more"), unmet=table.c.unmet + bindparam("more_unmet"),
            ),
            updates,
        )
    fresh = [
        {"day": day, "centre_id": centre, "municipality_code": code, "interests": interests,
         "searches": n, "unmet": u}
        for (day, centre, code, interests), (n, u) in counts.items() if (day, centre, code, interests) not in existing
    ]
    if fresh:
        session.execute(insert(table), fresh)


def _utc_day(moment: datetime) -> date:
    """SQLite hands back naive UTC, PostgreSQL an aware time in the session's zone."""
    return (moment.astimezone(timezone.utc) if moment.tzinfo else moment).date()


# --- what the readers add to the live log -----------------------------------------------


def demand_since(since: date, municipality_code: str | None, region: Collection[str] | None) -> Select:
    """(municipality, interests, searches, unmet) of the folded days from `since` on, grouped like doemee.demand's."""
    table = SearchLogAggregate
    statement = (
        select(table.municipality_code, table.interests, func.sum(table.searches), func.sum(table.unmet))
        .where(table.day >= since)
        .group_by(table.municipality_code, table.interests)
    )
    if municipality_code is not None:
        statement = statement.where(table.municipality_code == municipality_code)
    if region is not None:
        statement = statement.where(table.municipality_code.in_(sorted(region)))
    return statement


def by_week(bounds: list[date], scope: Collection[int]) -> Select:
    """(week, searches, unmet) of the folded days in [bounds[0], bounds[-1]), week 0 the oldest, like Cijfers."""
    table = SearchLogAggregate
    last: ColumnElement[Any] = literal_column(str(len(bounds) - 2))
    whens: list[tuple[ColumnElement[bool], ColumnElement[Any]]] = [
        (table.day < bounds[i + 1], literal_column(str(i))) for i in range(len(bounds) - 2)
    ]
    week = case(*whens, else_=last) if whens else last
    days = (
        select(week.label("week"), table.searches, table.unmet)
        .where(table.day >= bounds[0], table.day < bounds[-1], table.centre_id.in_(sorted(scope)))
        .subquery()
    )
    return select(days.c.week, func.sum(days.c.searches), func.sum(days.c.unmet)).group_by(days.c.week)
