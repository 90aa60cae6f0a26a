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
from actions.choice import (
    choice_buttons, detailed_focus, first_number, last_bot_text, previous_action, read_choice, shown_views,
)
from actions.safety import apologise_on_failure
from actions.tracker import (
    ask_again_if_unanswered, channel_of, is_answer, latest_intent, latest_text, record_id,
)
from doemee import messages
from doemee.choosing import content_words, mentions_position
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
        asked = tracker.get_slot("requested_slot")
        candidates = tracker.get_slot("choice_candidates")
        events = await super().run(dispatcher, tracker, domain)
        returned = {e.get("name") for e in events if e.get("event") == "slot"}
        # rasa-sdk returns only the form's own slots; the results that fit equally travel alongside.
        if "choice_candidates" not in returned and tracker.get_slot("choice_candidates") != candidates:
            events.append(SlotSet("choice_candidates", tracker.get_slot("choice_candidates")))
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return events + ask_again_if_unanswered(tracker, asked, required, returned, frozenset({"sign_up"}))

    async def extract_opportunity_id(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        # "ja" right after the details of one result says yes to its "Aanmelden".
        signing_up = latest_intent(tracker) == "sign_up" or (
            latest_intent(tracker) == "affirm" and previous_action(tracker) == "action_more_info")
        # Words name a result only when the resident is choosing one: "Rosa" answers the name question.
        words = signing_up or tracker.get_slot("requested_slot") in (None, "opportunity_id")
        choice = await read_choice(tracker, words=words)
        if choice.chosen is not None:
            return {"opportunity_id": str(choice.chosen)}
        if choice.unclear:
            return {"choice_candidates": list(choice.candidates)}
        shown = tracker.get_slot("shown_ids") or []
        if signing_up and tracker.get_slot("opportunity_id") is None and not choice.named:
            focus = detailed_focus(tracker)
            if focus is not None:
                return {"opportunity_id": str(focus)}
            if len(shown) == 1 and not mentions_position(latest_text(tracker)):
                return {"opportunity_id": str(shown[0])}
        return {}

    async def validate_opportunity_id(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if value in (None, ""):
            return {"opportunity_id": None}
        opportunity_id = record_id(value)
        target = None
        if opportunity_id is not None:
            target = await get_database().run_sync(lambda session: opportunity_contact(session, opportunity_id))
        if target is None:
            dispatcher.utter_message(text=messages.OPPORTUNITY_GONE)
            return {"opportunity_id": None}
        # A new choice needs a new consent.
        return {"opportunity_id": str(target.opportunity_id), "opportunity_title": target.title,
                "initiative_name": target.initiative, "consent": None, "choice_candidates": None}

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
        views = await shown_views(tracker)
        if not views:
            dispatcher.utter_message(text=messages.ASK_WHICH_NOTHING_SHOWN)
            return []
        shown = {view.id for view in views}
        candidates = tuple(i for i in map(record_id, tracker.get_slot("choice_candidates") or []) if i in shown)
        text = self._question(tracker, len(views), candidates)
        if text == last_bot_text(tracker):
            text = messages.ask_which_typed(len(views), again=True)
        dispatcher.utter_message(text=text, buttons=choice_buttons(views, "inform", first_number(tracker), candidates))
        return []

    @staticmethod
    def _question(tracker: Tracker, count: int, candidates: tuple[int, ...]) -> str:
        """The question, worded after what the resident just typed (a name, an unclear or unknown choice)."""
        if len(candidates) > 1:
            return messages.ask_which_typed(count, unclear=True)
        text = latest_text(tracker)
        name = tracker.get_slot("first_name")
        if name and text and parse_first_name(text) == name:
            return messages.ask_which_typed(count, first_name=name)
        if text and latest_intent(tracker) == "sign_up" and content_words(text) and not mentions_position(text):
            return messages.ask_which_typed(count, unknown=True)
        if parse_contact(text) is not None:
            return messages.ask_which_typed(count)
        return messages.ask_which_opportunity(count)


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
