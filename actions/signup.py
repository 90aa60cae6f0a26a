"""Signing up for an opportunity: pick it, name and contact, consent, store, notify.

The initiative's contact is shown only in the confirmation, after consent.
The notice to the initiative is sent after the sign-up is committed; if
sending fails the sign-up stands (it is marked not notified) and the
resident is not bothered with it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import render
from actions.choice import chosen_opportunity
from actions.safety import apologise_on_failure
from actions.tracker import channel_of, is_answer, latest_intent, latest_text, mentions_position
from doemee import messages
from doemee.notify import SignUpNotice, send_signup_notice
from doemee.residents import Contact, parse_contact, parse_first_name
from doemee.settings import get_settings
from doemee.signups import OpportunityUnavailable, mark_notified, opportunity_contact, sign_up
from doemee.storage.database import get_database

logger = logging.getLogger(__name__)
_YES = {"ja", "ja hoor", "jazeker", "ok", "oké", "oke", "goed", "prima", "akkoord", "is goed", "yes", "jep", "👍"}
_NO = {"nee", "nee hoor", "liever niet", "niet doen", "no", "nope", "👎"}


class ValidateSignupForm(FormValidationAction):
    def name(self) -> str:
        return "validate_signup_form"

    @apologise_on_failure(lambda tracker: [SlotSet(tracker.get_slot("requested_slot") or "opportunity_id", None)])
    async def run(self, dispatcher, tracker, domain):
        return await super().run(dispatcher, tracker, domain)

    async def extract_opportunity_id(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        chosen = chosen_opportunity(tracker)
        if chosen is not None:
            return {"opportunity_id": str(chosen)}
        shown = tracker.get_slot("shown_ids") or []
        if (latest_intent(tracker) == "sign_up" and len(shown) == 1 and tracker.get_slot("opportunity_id") is None
                and not mentions_position(latest_text(tracker))):
            return {"opportunity_id": str(shown[0])}
        return {}

    async def validate_opportunity_id(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        try:
            opportunity_id = int(str(value))
        except (TypeError, ValueError):
            return {"opportunity_id": None}
        target = await get_database().run_sync(lambda session: opportunity_contact(session, opportunity_id))
        if target is None:
            dispatcher.utter_message(text=messages.OPPORTUNITY_GONE)
            return {"opportunity_id": None}
        # A new choice needs a new consent.
        return {"opportunity_id": str(target.opportunity_id), "opportunity_title": target.title,
                "initiative_name": target.initiative, "consent": None}

    async def extract_first_name(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        return {"first_name": latest_text(tracker)} if is_answer(tracker, "first_name") else {}

    async def validate_first_name(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        name = parse_first_name(str(value or ""))
        if name is None:
            dispatcher.utter_message(text=messages.FIRST_NAME_INVALID)
        return {"first_name": name}

    async def extract_contact(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        # An email address or phone number answers the question whatever intent NLU guessed.
        asked = tracker.get_slot("requested_slot") == "contact"
        if is_answer(tracker, "contact") or (asked and parse_contact(latest_text(tracker)) is not None):
            return {"contact": latest_text(tracker)}
        return {}

    async def validate_contact(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        contact = parse_contact(str(value or ""))
        if contact is None:
            dispatcher.utter_message(text=messages.CONTACT_INVALID)
            return {"contact": None}
        return {"contact": contact.value, "contact_kind": contact.kind}

    async def extract_consent(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "consent":
            return {}
        intent = latest_intent(tracker)
        text = latest_text(tracker).lower().strip(" .!")
        if intent == "affirm" or text in _YES:
            return {"consent": True}
        if intent == "deny" or text in _NO:
            return {"consent": False}
        return {}


class ActionAskOpportunityId(Action):
    def name(self) -> str:
        return "action_ask_opportunity_id"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        shown = tracker.get_slot("shown_ids") or []
        dispatcher.utter_message(text=messages.ask_which_opportunity(len(shown)) if shown else messages.ASK_WHICH_NOTHING_SHOWN)
        return []


class ActionAskConsent(Action):
    """Shows exactly what will be shared with which initiative, and asks if that is all right."""

    def name(self) -> str:
        return "action_ask_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        dispatcher.utter_message(
            text=messages.consent_question(
                tracker.get_slot("initiative_name") or "", tracker.get_slot("opportunity_title") or "",
                tracker.get_slot("first_name") or "", tracker.get_slot("contact_kind") or "email",
                tracker.get_slot("contact") or "",
            ),
            buttons=render.yes_no(),
        )
        return []


def _reset() -> list[dict[str, Any]]:
    return [SlotSet("consent", None), SlotSet("opportunity_id", None)]


class ActionSubmitSignup(Action):
    """Stores the sign-up once, confirms with the initiative's contact, and notifies the initiative."""

    def name(self) -> str:
        return "action_submit_signup"

    @apologise_on_failure(lambda tracker: _reset())
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        if tracker.get_slot("consent") is not True:
            dispatcher.utter_message(text=messages.SIGNUP_DECLINED)
            return _reset()
        opportunity_id = int(tracker.get_slot("opportunity_id"))
        first_name = tracker.get_slot("first_name")
        contact = Contact(tracker.get_slot("contact_kind") or "email", tracker.get_slot("contact"))
        consent = messages.consent_statement(
            tracker.get_slot("initiative_name") or "", tracker.get_slot("opportunity_title") or "", contact.kind,
        )
        channel, sender = channel_of(tracker), tracker.sender_id
        try:
            outcome = await get_database().run_sync(
                lambda session: sign_up(session, channel, sender, opportunity_id, first_name, contact, consent)
            )
        except OpportunityUnavailable:
            dispatcher.utter_message(text=messages.OPPORTUNITY_GONE)
            return _reset()
        target = outcome.opportunity
        if not outcome.created:
            dispatcher.utter_message(text=messages.signup_already(target.title, target.initiative, target.contact_email))
            return _reset()
        dispatcher.utter_message(
            text=messages.signup_confirmed(target.title, target.initiative, target.contact_email, target.website)
        )
        await _notify(outcome.sign_up_id, SignUpNotice(target.contact_email, target.initiative, target.title, first_name, contact.value))
        return _reset()


async def _notify(sign_up_id: int, notice: SignUpNotice) -> None:
    try:
        await asyncio.to_thread(send_signup_notice, notice, get_settings())
        await get_database().run_sync(lambda session: mark_notified(session, sign_up_id))
    except Exception as error:  # the sign-up stands; an operator resends from notified_at IS NULL
        logger.warning("sign-up notice not delivered: %s", type(error).__name__)
