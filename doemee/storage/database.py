"""Engines and sessions, one session per unit of work.

The domain is synchronous so the command line, tests and benchmarks share
it; async callers (actions, channels) run a unit of work with `run_sync`,
which moves it to a worker thread and keeps the event loop free.
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from doemee.settings import get_settings

T = TypeVar("T")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("sqlite:///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()
            _ensure_math_functions(dbapi_connection)

        return engine
    return create_engine(url, pool_pre_ping=True)


def _ensure_math_functions(dbapi_connection: sqlite3.Connection) -> None:
    """Matching counts by distance in SQL; an SQLite built without its math functions gets Python's."""
    try:
        dbapi_connection.execute("SELECT sin(0), cos(0), radians(0)")
    except sqlite3.OperationalError:
        for name in ("sin", "cos", "radians"):
            dbapi_connection.create_function(name, 1, getattr(math, name), deterministic=True)


class Database:
    """One database: its engine, a session factory and schema migration."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def migrate(self) -> None:
        from doemee.storage.migrate import upgrade

        upgrade(self.engine)

    async def run_sync(self, work: Callable[[Session], T]) -> T:
        """Runs `work(session)` in a worker thread inside one unit of work."""

        def unit() -> T:
            with self.session() as session:
                return work(session)

        return await asyncio.to_thread(unit)

    def dispose(self) -> None:
        self.engine.dispose()


@lru_cache(maxsize=4)
def get_database(url: str | None = None) -> Database:
    return Database(url or get_settings().database_url)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched: `Session.execute` is typed as a plain Result."""
    return int(cast(CursorResult[Any], result).rowcount or 0)
