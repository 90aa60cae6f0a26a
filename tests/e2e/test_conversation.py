"""Whole conversations over Rasa's REST channel against the real stack.

The stack (Rasa with the trained model, the action server, the gateway) is
the session's shared one from tests/web/e2e_stack.py, on a throwaway
SQLite database seeded like `bin/doemee setup`. `make model` runs first, so
a stale model is retrained (it is a no-op when the model is current).
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import httpx
import psutil
import pytest
from sqlalchemy import select

from doemee.storage.database import Database
from doemee.storage.models import Resident, SignUp
from scripts.stack import Stack

pytestmark = pytest.mark.e2e


class Resident_:
    """One resident talking to Rasa's REST channel, like the gateway does."""

    def __init__(self, stack: Stack) -> None:
        self.sender = f"e2e-{uuid.uuid4().hex[:12]}"
        self.url = f"{stack.rasa_url}/webhooks/rest/webhook"

    def say(self, message: str) -> list[dict]:
        response = httpx.post(self.url, json={"sender": self.sender, "message": message}, timeout=60)
        response.raise_for_status()
        return response.json()


def _text(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def _buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r.get("buttons") or []]


def _sign_up_until_confirmed(resident: Resident_) -> tuple[list[dict], str]:
    """Searches, clicks the first "Aanmelden", answers, consents; returns the replies and the button's payload."""
    results = resident.say("ik woon in 3512 en wil iets met ouderen doen")
    sign_up = [b for b in _buttons(results) if b["title"] == "Aanmelden"]
    assert len(sign_up) == 3, _text(results)
    assert "Ik vond" in _text(results) or "Eerlijk gezegd" in _text(results)
    asked = resident.say(sign_up[0]["payload"])
    assert "voornaam" in _text(asked)
    assert "e-mailadres" in _text(resident.say("Sanne"))
    consent = resident.say("sanne@example.org")
    assert "Sanne" in _text(consent) and "sanne@example.org" in _text(consent)
    assert "@example.org" not in _text(consent).replace("sanne@example.org", "")
    return resident.say("/affirm"), sign_up[0]["payload"]


def _database(stack: Stack) -> Database:
    return Database(stack.database_url)


def _tracker_events(stack: Stack, sender: str) -> int:
    with sqlite3.connect(Path(stack.tracker_db)) as connection:
        return connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def test_from_greeting_to_a_stored_sign_up(stack):
    resident = Resident_(stack)
    assert "DoeMee" in _text(resident.say("hoi"))

    confirmed, payload = _sign_up_until_confirmed(resident)
    assert "Gelukt" in _text(confirmed)

    # A second click on the same button: name and contact are known, consent is asked again.
    assert "Is dat goed?" in _text(resident.say(payload))
    assert "al aangemeld" in _text(resident.say("/affirm"))

    with _database(stack).session() as session:
        row = session.scalars(
            select(SignUp).join(Resident, SignUp.resident_id == Resident.id).where(Resident.sender_id == resident.sender)
        ).one()
        assert (row.first_name, row.contact) == ("Sanne", "sanne@example.org")


def test_forget_me_leaves_an_empty_record(stack):
    resident = Resident_(stack)
    assert "Gelukt" in _text(_sign_up_until_confirmed(resident)[0])
    assert _tracker_events(stack, resident.sender) > 0

    question = resident.say("vergeet mij alsjeblieft")
    assert "wis" in _text(question)
    done = resident.say("/affirm")

    assert "gewist" in _text(done)
    with _database(stack).session() as session:
        assert session.scalar(select(Resident).where(Resident.sender_id == resident.sender)) is None
        blanked = session.scalars(select(SignUp).where(SignUp.resident_id.is_(None))).all()
        assert blanked and all(r.first_name is None and r.contact is None for r in blanked)
        assert not session.scalars(select(SignUp).where(SignUp.first_name == "Sanne", SignUp.resident_id.is_(None))).all()
    assert _tracker_events(stack, resident.sender) == 0


def test_rasa_serves_with_one_blas_thread(stack):
    """A second OpenBLAS thread spins through every message on the core the action server needs (bin/rasa)."""
    rasa = next(s for s in stack.services if s.name == "rasa")
    assert psutil.Process(rasa.process.pid).environ().get("OPENBLAS_NUM_THREADS") == "1"
