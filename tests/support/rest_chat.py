"""Talking to Rasa's REST channel from async tests, and reading what Rasa stored about a conversation.

`RestChat` is one resident (one sender id). The tracker helpers read the
stack's tracker store (SQLite, `Stack.tracker_db`) read-only, so a test can
see which slots a message filled without enabling Rasa's HTTP API.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from collections.abc import Awaitable, Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

T = TypeVar("T")


# What the gateway tells Rasa about a widget resident (bot/web/app.py), without a centre's region.
WIDGET = {"channel": "web"}


class RestChat:
    """One widget resident on Rasa's REST channel: `await chat.say("hoi")` gives Rasa's list of messages."""

    def __init__(self, client: httpx.AsyncClient, rasa_url: str, prefix: str = "t", metadata: dict | None = None) -> None:
        self.client = client
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.metadata = WIDGET if metadata is None else metadata

    async def say(self, message: str) -> list[dict]:
        body = {"sender": self.sender, "message": message, "metadata": self.metadata}
        response = await self.client.post(self.url, json=body)
        response.raise_for_status()
        replies = response.json()
        return replies if isinstance(replies, list) else []


async def gather_limited(jobs: Iterable[Callable[[], Awaitable[T]]], at_once: int) -> list[T]:
    """Runs the jobs, at most `at_once` at a time, and returns their results in order."""
    gate = asyncio.Semaphore(at_once)

    async def one(job: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await job()

    return await asyncio.gather(*(one(job) for job in jobs))


def http_client(timeout: float = 180.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=10.0))


# --- the tracker store -------------------------------------------------------------------------

# Slots the actions fill on the side (the resolved place, what was shown, the
# form's own bookkeeping); what a resident said never lands in them directly.
BOOKKEEPING_SLOTS = frozenset({
    "requested_slot", "geo", "location_candidates", "shown_ids", "result_offset", "opportunity_title",
    "initiative_name", "contact_kind", "conversation_forgotten", "typed_choice", "choice_candidates", "detailed_id",
    "need_correcting", "session_started_metadata",
})


@dataclass(frozen=True)
class Turn:
    """What Rasa stored for one message: the NLU's reading and the slots that got a new value."""

    intent: str | None
    confidence: float | None
    entities: list[dict[str, Any]]
    filled: dict[str, Any]  # slot -> new non-empty value, bookkeeping slots left out


def _connect(tracker_db: Path):
    return closing(sqlite3.connect(f"file:{tracker_db}?mode=ro", uri=True, timeout=30))


def last_event_id(tracker_db: Path, sender: str) -> int:
    with _connect(tracker_db) as connection:
        found = connection.execute("SELECT MAX(id) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]
    return int(found or 0)


def turn_since(tracker_db: Path, sender: str, after_id: int) -> Turn:
    """The latest user message after event `after_id` and every slot it changed to a new, non-empty value."""
    with _connect(tracker_db) as connection:
        rows = connection.execute(
            "SELECT id, type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    before: dict[str, Any] = {}
    filled: dict[str, Any] = {}
    intent = confidence = None
    entities: list[dict[str, Any]] = []
    for event_id, type_name, data in rows:
        event = json.loads(data or "{}")
        if event_id <= after_id:
            if type_name == "slot":
                before[event.get("name")] = event.get("value")
            continue
        if type_name == "user":
            parsed = event.get("parse_data") or {}
            intent = (parsed.get("intent") or {}).get("name")
            confidence = (parsed.get("intent") or {}).get("confidence")
            entities = [
                {"entity": e.get("entity"), "value": e.get("value")} for e in parsed.get("entities") or []
            ]
        elif type_name == "slot":
            name, value = event.get("name"), event.get("value")
            if name in BOOKKEEPING_SLOTS or value in (None, "", [], {}) or value == before.get(name):
                continue
            filled[name] = value
    return Turn(intent, confidence, entities, filled)


def copy_conversation(tracker_db: Path, from_sender: str, to_sender: str) -> int:
    """Gives `to_sender` the stored history of `from_sender`; returns the id of its last event.

    Rasa reads a conversation from the tracker store at every message, so the
    copy continues exactly where the original stood: a fresh conversation in
    a given state without replaying the messages that led there. What the
    actions keep in the app's database (sign-ups, alerts) is not copied.
    """
    with closing(sqlite3.connect(str(tracker_db), timeout=30, isolation_level=None)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                "SELECT ?, type_name, timestamp, intent_name, action_name, data FROM events "
                "WHERE sender_id = ? ORDER BY id",
                (to_sender, from_sender),
            )
            last = connection.execute("SELECT MAX(id) FROM events WHERE sender_id = ?", (to_sender,)).fetchone()[0]
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return int(last or 0)
