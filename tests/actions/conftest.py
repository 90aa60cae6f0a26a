"""Actions run against a real database (SQLite and PostgreSQL) and the real geography.

Trackers are real rasa_sdk `Tracker` objects built the way Rasa sends them;
rasa itself is never imported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from doemee.exchange.demo import load_demo
from doemee.geo.index import get_geo_index
from doemee.settings import get_settings
from doemee.storage.database import get_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def app_db(database, monkeypatch, tmp_path):
    """Points the actions at the test database, caches cleared."""
    monkeypatch.setenv("DOEMEE_DATABASE_URL", database.url)
    monkeypatch.delenv("DOEMEE_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    get_database.cache_clear()
    yield database
    get_settings.cache_clear()
    get_database.cache_clear()


@pytest.fixture
def demo_db(app_db):
    with app_db.session() as session:
        load_demo(session, get_geo_index())
    return app_db


def make_tracker(
    *,
    text: str = "",
    intent: str = "inform",
    entities: dict[str, Any] | list[tuple[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    requested_slot: str | None = None,
    active_loop: str | None = None,
    metadata: dict[str, Any] | None = None,
    sender: str = "resident-1",
    channel: str = "rest",
    history: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker right after the resident's message, as Rasa sends it to the action server."""
    pairs = list(entities.items()) if isinstance(entities, dict) else list(entities or [])
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "entities": [{"entity": name, "value": value} for name, value in pairs],
        "metadata": metadata or {},
    }
    all_slots = {"requested_slot": requested_slot, **(slots or {})}
    events = list(history or []) + [{
        "event": "user", "text": text, "parse_data": parse, "input_channel": channel, "metadata": metadata or {},
    }]
    return Tracker(
        sender, all_slots, parse, events, False, None,
        {"name": active_loop} if active_loop else {}, "action_listen",
    )


@dataclass
class Outcome:
    events: list[dict[str, Any]]
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def slots(self) -> dict[str, Any]:
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}

    @property
    def texts(self) -> list[str]:
        return [m.get("text") or "" for m in self.messages]

    @property
    def all_text(self) -> str:
        return "\n".join(self.texts)

    @property
    def buttons(self) -> list[dict[str, str]]:
        return [b for m in self.messages for b in m.get("buttons") or []]


async def run(action, tracker: Tracker, domain: dict[str, Any]) -> Outcome:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return Outcome(list(events), dispatcher.messages)
