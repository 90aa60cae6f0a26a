"""A Rasa SQL tracker store of each kind, its `events` table made by Rasa itself.

Rasa lives in its own environment (.venv-rasa), so a child process there
opens an SQLTrackerStore on the database, which creates the table exactly
as the Rasa version DoeMee runs defines it. The tests then write rows with
SQLAlchemy: only sender, type and timestamp matter for retention.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, func, insert, select
from sqlalchemy.engine import make_url

from tests.support.postgres import scratch_database

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
_CREATE = """
import json, sys, logging
logging.disable(logging.CRITICAL)
from rasa.core.tracker_store import SQLTrackerStore
SQLTrackerStore(**json.loads(sys.argv[1]))
"""

events = Table(
    "events", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def create_with_rasa(**store: object) -> None:
    done = subprocess.run([str(RASA_PYTHON), "-c", _CREATE, json.dumps(store)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]


@contextmanager
def tracker_store(kind: str, directory: Path, postgres_url: str | None = None) -> Iterator[str]:
    """A fresh tracker store with Rasa's `events` table; yields its SQLAlchemy URL for the app."""
    if kind == "sqlite":
        path = directory / "rasa-tracker.db"
        create_with_rasa(dialect="sqlite", db=str(path))
        yield f"sqlite:///{path}"
        return
    assert postgres_url is not None
    with scratch_database(postgres_url, "tracker") as url:
        server = make_url(url)
        create_with_rasa(dialect="postgresql", host=server.host, port=server.port, db=server.database,
                         username=server.username, password=server.password or "")
        yield url


def add_conversation(url: str, sender: str, *timestamps: float) -> None:
    """One conversation: a user message at each Unix time given, as Rasa stores them."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(events), [
                {"sender_id": sender, "type_name": "user", "timestamp": moment, "intent_name": "zoeken",
                 "data": json.dumps({"event": "user", "timestamp": moment, "text": "ik zoek iets met tuinieren"})}
                for moment in timestamps
            ])
    finally:
        engine.dispose()


def events_per_sender(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(  # type: ignore[arg-type]
                select(events.c.sender_id, func.count()).group_by(events.c.sender_id)
            ).all())
    finally:
        engine.dispose()
