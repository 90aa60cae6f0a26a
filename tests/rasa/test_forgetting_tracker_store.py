"""The forgetting tracker store really deletes a conversation, and endpoints.yml really uses it."""

from __future__ import annotations

import asyncio

from pathlib import Path

import pytest
from rasa.core.tracker_store import create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from rasa_addons.forgetting_tracker_store import ForgettingSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def store(domain, tmp_path) -> ForgettingSQLTrackerStore:
    return ForgettingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))


def _talk(domain: Domain, sender: str, text: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": "inform", "confidence": 1.0}),
        ActionExecuted("utter_greet"),
        BotUttered("Hoi!"),
        ActionExecuted("action_listen"),
    ], domain.slots)
    return tracker


def _stored(store: ForgettingSQLTrackerStore, sender: str) -> int:
    with store.session_scope() as session:
        return session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender).count()


def _forget_turn(tracker: DialogueStateTracker) -> None:
    tracker.update(UserUttered("ja", {"name": "affirm", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_forget_me"))
    tracker.update(SlotSet("conversation_forgotten", True))
    tracker.update(BotUttered("Klaar. Ik heb alles over jou gewist."))
    tracker.update(ActionExecuted("action_listen"))


def test_a_completed_forget_me_deletes_every_stored_event_of_that_sender(store, domain):
    mine = _talk(domain, "forget-me", "ik heet Sanne, sanne@mail.nl")
    other = _talk(domain, "someone-else", "hoi")
    asyncio.run(store.save(mine))
    asyncio.run(store.save(other))
    assert _stored(store, "forget-me") > 0

    _forget_turn(mine)
    asyncio.run(store.save(mine))
    asyncio.run(store.save(mine))  # Rasa saves the in-memory tracker again: it must stay deleted

    assert _stored(store, "forget-me") == 0
    assert asyncio.run(store.retrieve("forget-me")) is None
    assert _stored(store, "someone-else") > 0


def test_the_next_message_after_forgetting_starts_a_clean_conversation(store, domain):
    mine = _talk(domain, "forget-me", "hoi")
    _forget_turn(mine)
    asyncio.run(store.save(mine))
    fresh = _talk(domain, "forget-me", "hallo")
    asyncio.run(store.save(fresh))
    restored = asyncio.run(store.retrieve("forget-me"))
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["hallo"]


def test_an_ordinary_turn_is_saved_as_usual(store, domain):
    tracker = _talk(domain, "normal", "hoi")
    asyncio.run(store.save(tracker))
    assert _stored(store, "normal") == len(tracker.events)


def test_endpoints_yml_configures_the_forgetting_store(domain, tmp_path, monkeypatch):
    monkeypatch.setenv("DOEMEE_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'from-endpoints.db'}")
    monkeypatch.setenv("DOEMEE_ACTION_URL", "http://127.0.0.1:1/webhook")
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    store = create_tracker_store(config, domain)
    inner = getattr(store, "_tracker_store", store)
    assert isinstance(inner, ForgettingSQLTrackerStore)
    assert (tmp_path / "from-endpoints.db").exists()
