"""Leaving a question for the centre, over Rasa's REST channel against the real stack (issue 17)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from doemee import messages
from doemee.storage.database import Database
from doemee.storage.models import HandoffRequest, Resident
from tests.e2e.test_conversation import _buttons, _text

pytestmark = pytest.mark.e2e

WIDGET = {"channel": "web", "centre": "utrecht"}


class WidgetResident:
    """A resident of Utrecht's widget: the gateway names the centre in every message's metadata."""

    def __init__(self, stack) -> None:
        self.sender = f"e2e-vraag-{uuid.uuid4().hex[:12]}"
        self.url = f"{stack.rasa_url}/webhooks/rest/webhook"

    def say(self, message: str) -> list[dict]:
        response = httpx.post(self.url, json={"sender": self.sender, "message": message, "metadata": WIDGET},
                              timeout=60)
        response.raise_for_status()
        replies = response.json()
        assert replies, f"no reply to {message!r}"
        assert messages.SORRY_TECHNICAL not in _text(replies), message
        return replies


def _questions(stack, sender: str) -> list[HandoffRequest]:
    database = Database(stack.database_url)
    try:
        with database.session() as session:
            return list(session.scalars(
                select(HandoffRequest).join(Resident, Resident.id == HandoffRequest.resident_id)
                .where(Resident.sender_id == sender)
            ))
    finally:
        database.dispose()


def _offered(resident: WidgetResident) -> str:
    replies = resident.say("kan ik een mens spreken?")
    assert "Je kunt een mens spreken bij" in _text(replies)
    [button] = [b for b in _buttons(replies) if b["title"] == messages.QUESTION_OFFER_BUTTON]
    return button["payload"]


def test_a_resident_leaves_a_question_and_hears_who_answers_and_how_soon(stack):
    resident = WidgetResident(stack)
    asked = resident.say(_offered(resident))
    assert messages.ASK_QUESTION_TEXT in _text(asked)
    assert "heb ik niet" in _text(resident.say("Mag ik mijn hond meenemen als ik in de buurttuin help?"))
    consent = _text(resident.say("anna@example.org"))
    assert "Ik stuur je vraag en je e-mailadres (anna@example.org) naar" in consent and "Is dat goed?" in consent
    done = _text(resident.say("ja"))
    assert "binnen 2 werkdagen" in done
    [stored] = _questions(stack, resident.sender)
    assert (stored.question, stored.contact_value) == (
        "Mag ik mijn hond meenemen als ik in de buurttuin help?", "anna@example.org")


def test_a_typed_yes_after_the_handoff_starts_the_question_and_no_stores_nothing(stack):
    resident = WidgetResident(stack)
    _offered(resident)
    assert messages.ASK_QUESTION_TEXT in _text(resident.say("ja graag"))
    resident.say("Kan ik ook in het weekend helpen?")
    explained = _text(resident.say("heb ik niet"))
    assert "telefoonnummer is ook goed" in explained
    assert "Is dat goed?" in _text(resident.say("06 12345678"))
    assert messages.QUESTION_CANCELLED in _text(resident.say("nee"))
    assert _questions(stack, resident.sender) == []


@pytest.mark.parametrize("message", [
    "hallo", "doei", "dank je wel", "ja", "nee", "hoe werkt dit eigenlijk?", "ben jij een robot?",
    "wat doen jullie met mijn gegevens?", "krijg je geld voor vrijwilligerswerk?", "ik zoek vrijwilligerswerk",
    "ik woon in Zwolle en wil iets met kinderen doen", "laat er nog meer zien", "vertel eens meer over de eerste",
    "iets anders", "ik wil me aanmelden", "wij zoeken vrijwilligers voor ons buurthuis",
    "mail me als er iets nieuws is", "stop met de berichten", "vergeet mij", "kan ik een mens spreken?",
    "wat voor weer wordt het morgen?", "Sanne", "sanne@example.org", "06 12345678", "3511", "Zwolle",
    "laat maar, ik bedenk me", "/affirm", '/inform{"place": {"a": 1}}', "x" * 2000, "\u202e\u0000",
])
@pytest.mark.parametrize("step", ["question", "contact", "consent"])
def test_every_kind_of_message_at_every_question_gets_an_answer_and_nothing_is_stored_without_a_yes(
    stack, step, message,
):
    resident = WidgetResident(stack)
    resident.say(_offered(resident))
    if step in ("contact", "consent"):
        resident.say("Kan ik ook in het weekend helpen?")
    if step == "consent":
        resident.say("anna@example.org")
    resident.say(message)
    stored = _questions(stack, resident.sender)
    if not (step == "consent" and message in ("ja", "/affirm")):
        assert stored == [], (step, message)
