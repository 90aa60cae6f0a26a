"""Conversations nobody continued within the retention period, deleted from Rasa's tracker store.

Rasa's SQLTrackerStore keeps every event of a conversation as a row of
`events` (rasa/core/tracker_store.py, SQLEvent), keyed by `sender_id`, with
`timestamp` in Unix seconds. A conversation is idle when its newest event
is older than the cut-off; then all its events go, never some of them.
Rasa is not imported: the app and Rasa live in separate environments, and
three columns of one table are all this needs.

Senders are taken in batches in `sender_id` order (Rasa indexes it), each
batch in a transaction of its own, so Rasa never waits long on a big store.
A resident who writes again between choosing a batch and deleting it keeps
the conversation: the delete itself checks again that nothing is newer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Connection, Engine, Float, Integer, MetaData, String, Table, create_engine, delete
from sqlalchemy import exists, func, inspect, literal, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

BATCH = 500
_TIMEOUT_SECONDS = 30

_pg_database = Table("pg_database", MetaData(), Column("datname", String))
_events = Table(
    "events", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("timestamp", Float),
)


@dataclass(frozen=True)
class Forgotten:
    """What a run deleted (or, dry, would delete): conversations and their events. Counts only."""

    conversations: int = 0
    events: int = 0


def forget_idle(url: str, before: datetime, dry_run: bool = False, batch: int = BATCH) -> Forgotten:
    """Deletes every conversation whose newest event is older than `before`.

    A tracker store that does not exist yet (no SQLite file, no database,
    no `events` table: Rasa never ran) holds nothing to delete. Any other
    failure to reach it is raised.
    """
    engine = _engine(url)
    if engine is None:
        return Forgotten()
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(_events.name):
                return Forgotten()
        return _forget(engine, before.timestamp(), dry_run, batch)
    except OperationalError:
        if _no_such_database(url):
            log.info("retention: the tracker store's database does not exist yet; nothing to delete")
            return Forgotten()
        raise
    finally:
        engine.dispose()


def _forget(engine: Engine, cutoff: float, dry_run: bool, batch: int) -> Forgotten:
    conversations = events = 0
    after: str | None = None
    while True:
        with engine.begin() as connection:
            idle = _idle_senders(connection, cutoff, after, batch)
            if not idle:
                return Forgotten(conversations, events)
            if dry_run:
                events += int(connection.scalar(
                    select(func.count()).select_from(_events).where(_events.c.sender_id.in_(idle))
                ) or 0)
                conversations += len(idle)
            else:
                gone = _delete(connection, idle, cutoff)
                conversations += len(set(gone))
                events += len(gone)
        after = idle[-1]


def _idle_senders(connection: Connection, cutoff: float, after: str | None, batch: int) -> list[str]:
    statement = select(_events.c.sender_id)
    if after is not None:
        statement = statement.where(_events.c.sender_id > after)
    return list(connection.scalars(
        statement
        .group_by(_events.c.sender_id)
        .having(func.max(_events.c.timestamp) < cutoff)
        .order_by(_events.c.sender_id)
        .limit(batch)
    ))


def forget_senders(url: str, senders: Collection[str]) -> int:
    """Deletes every event of these conversations at once (a deletion request a centre handles); how many had any.

    Raises when the store cannot be reached, so the centre hears the
    conversation is still there; retention takes it later in any case.
    """
    wanted = sorted({sender for sender in senders if sender})
    engine = _engine(url) if wanted else None
    if engine is None:
        return 0
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table("events"):
                return 0
            return len(set(connection.scalars(
                delete(_events).where(_events.c.sender_id.in_(wanted)).returning(_events.c.sender_id)
            )))
    except OperationalError:
        if _no_such_database(url):
            return 0
        raise
    finally:
        engine.dispose()


def _delete(connection: Connection, senders: list[str], cutoff: float) -> list[str]:
    """Deletes the senders' events unless one of them is newer than the cut-off; returns a sender per event."""
    newer = _events.alias("newer")
    still_idle = ~exists().where(newer.c.sender_id == _events.c.sender_id, newer.c.timestamp >= cutoff)
    return list(connection.scalars(
        delete(_events).where(_events.c.sender_id.in_(senders), still_idle).returning(_events.c.sender_id)
    ))


def _engine(url: str) -> Engine | None:
    """An engine on the store, or None for an SQLite file that is not there (connecting would create it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if not path or path == ":memory:" or not os.path.isfile(path):
            return None
        return create_engine(parsed, connect_args={"timeout": _TIMEOUT_SECONDS})
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver the app env has
    return create_engine(parsed, pool_pre_ping=True)


def _no_such_database(url: str) -> bool:
    """Whether a PostgreSQL server that answers lacks the database (psycopg gives a failed login no SQLSTATE)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or not parsed.database:
        return False
    engine = create_engine(parsed.set(drivername="postgresql+psycopg", database="postgres"))
    try:
        with engine.connect() as connection:
            found = connection.scalar(select(literal(1)).where(
                exists().where(_pg_database.c.datname == parsed.database)
            ))
        return found is None
    except OperationalError:
        return False
    finally:
        engine.dispose()
