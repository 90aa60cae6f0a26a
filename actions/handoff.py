"""Leaving a question for the centre: the question, a way to reach the resident, consent, store.

Offered after the handoff answer, for residents who cannot call or mail
during office hours. The centre is fixed when the form starts (the
widget's, else the region's, as for the handoff contact) and kept in a
slot, so the consent names the centre that really gets the question.
Nothing is stored before a yes to that consent.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import render
from actions.choice import last_bot_text
from actions.safety import apologise_on_failure
from actions.tracker import (
    asks_something_else, centre_slug, channel_of, latest_intent, latest_text, resident_position,
)
from doemee import messages
from doemee.attribution import attributed_centre, centre_for_slug
from doemee.handoff import QuestionError, clean_question, leave_question
from doemee.residents import Contact, get_or_create, is_yes_or_no, parse_contact, says_no_contact, says_stop
from doemee.storage.database import get_database

TEXT, CONTACT, KIND, CONSENT, CENTRE = (
    "question_text", "question_contact", "question_contact_kind", "question_consent", "question_centre",
)
ASKED = (TEXT, CONTACT, CONSENT)
FORM_SLOTS = (TEXT, CONTACT, KIND, CONSENT, CENTRE)
# Intents with a rule of their own inside question_form (data/rules.yml): a message of these that
# answers nothing is left to the rule; any other is asked again by the form itself.
HAS_RULE = frozenset({
    "help", "bot_challenge", "ask_privacy", "ask_paid", "human_handoff", "forget_me", "deny", "goodbye", "greet",
    "thank", "out_of_scope", "nlu_fallback", "unsubscribe_alerts", "search_opportunities", "sign_up",
})
# Short messages of these intents are small talk, not the question: "hallo", "ja", "doei", "dank je".
SMALL_TALK = frozenset({"greet", "thank", "goodbye", "affirm", "deny", "forget_me", "unsubscribe_alerts", "help",
                        "bot_challenge"})
_YES = {"ja", "ja hoor", "jazeker", "ok", "oké", "oke", "goed", "prima", "akkoord", "is goed", "yes", "jep", "👍",
        "ja, is goed", "ja graag", "graag", "doe maar", "stuur maar"}
_NO = {"nee", "nee hoor", "liever niet", "niet doen", "no", "nope", "👎", "nee, liever niet", "niet sturen"}


def _could_be_a_question(text: str) -> bool:
    """A name, a place, a postcode or an address alone ("Sanne", "3511", "anna@mail.nl") is no question yet."""
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < 2:
        return False
    return not (parse_contact(text) is not None and len(text.split()) <= 2)


def reset() -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


class ValidateQuestionForm(FormValidationAction):
    def name(self) -> str:
        return "validate_question_form"

    @apologise_on_failure(lambda tracker: [SlotSet(tracker.get_slot("requested_slot") or TEXT, None)])
    async def run(self, dispatcher, tracker, domain):
        asked = tracker.get_slot("requested_slot")
        if asked in ASKED and says_stop(latest_text(tracker)):
            # "laat maar" ends the form whatever the NLU made of it; action_submit_question says so.
            return [SlotSet(asked, None), SlotSet("requested_slot", None)]
        if asked is None:
            # The form starts: nothing of an earlier, stopped question carries over, and the centre is fixed.
            slug, position = centre_slug(tracker), resident_position(tracker)
            found = await get_database().run_sync(
                lambda session: getattr(attributed_centre(session, slug, position), "slug", None))
            fresh = [SlotSet(slot, None) for slot in (TEXT, CONTACT, KIND, CONSENT)]
            if found is None:
                # No centre to send it to: the form ends and the submit action says what to do instead.
                return [*fresh, SlotSet(CENTRE, None), SlotSet("requested_slot", None)]
            return [*fresh, SlotSet(CENTRE, found)]
        events = await super().run(dispatcher, tracker, domain)
        returned = {e.get("name") for e in events if e.get("event") == "slot"}
        if asked in ASKED and asked not in returned and latest_intent(tracker) not in HAS_RULE:
            # Said something that answers nothing ("ja" when the question is asked): ask again.
            events.append(SlotSet(asked, tracker.get_slot(asked)))
        return events

    async def extract_question_text(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != TEXT:
            return {}
        text = (tracker.latest_message or {}).get("text") or ""
        if not text.strip() or text.startswith("/"):
            return {}
        if latest_intent(tracker) in SMALL_TALK and (is_yes_or_no(text) or len(text.split()) <= 3):
            return {}
        if not _could_be_a_question(text):
            dispatcher.utter_message(text=messages.QUESTION_TOO_SHORT)
            return {TEXT: None}
        return {TEXT: text[:4000]}

    async def validate_question_text(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if value is None:
            return {TEXT: None}
        try:
            return {TEXT: clean_question(value)}
        except QuestionError as error:
            dispatcher.utter_message(text=error.message)
            return {TEXT: None}

    async def extract_question_contact(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != CONTACT:
            return {}
        text = latest_text(tracker)
        if parse_contact(text) is not None or says_no_contact(text):
            return {CONTACT: text}
        if text and latest_intent(tracker) not in HAS_RULE and not asks_something_else(tracker):
            return {CONTACT: text[:254]}
        return {}

    async def validate_question_contact(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        text = str(value or "")
        contact = parse_contact(text)
        if contact is not None:
            # A new address needs a new consent.
            return {CONTACT: contact.value, KIND: contact.kind, CONSENT: None}
        missing = says_no_contact(text)
        if missing is not None:
            first = messages.question_contact_none(missing)
            dispatcher.utter_message(
                text=messages.QUESTION_CONTACT_NONE_AGAIN if first == last_bot_text(tracker) else first)
        else:
            dispatcher.utter_message(text=messages.QUESTION_CONTACT_INVALID)
        return {CONTACT: None}

    async def extract_question_consent(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != CONSENT:
            return {}
        intent = latest_intent(tracker)
        text = latest_text(tracker).lower().strip(" .!")
        if intent == "affirm" or text in _YES:
            return {CONSENT: True}
        if intent == "deny" or text in _NO:
            return {CONSENT: False}
        if text and intent not in HAS_RULE:
            dispatcher.utter_message(text=messages.QUESTION_ASK_YES_NO)
        return {}


class ActionAskQuestionText(Action):
    """Asks for the question; asked again after a reason or a bare "ja", without the first time's explanation."""

    def name(self) -> str:
        return "action_ask_question_text"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        again = tracker.get_slot("requested_slot") == TEXT
        dispatcher.utter_message(text=messages.ASK_QUESTION_TEXT_AGAIN if again else messages.ASK_QUESTION_TEXT)
        return []


class ActionAskQuestionConsent(Action):
    """Shows exactly what goes to which centre, and asks if that is all right."""

    def name(self) -> str:
        return "action_ask_question_consent"

    @apologise_on_failure(lambda tracker: [])
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        slug = tracker.get_slot(CENTRE)
        name = await get_database().run_sync(lambda session: getattr(centre_for_slug(session, slug), "name", None))
        dispatcher.utter_message(
            text=messages.question_consent(
                name or "", tracker.get_slot(KIND) or "email", tracker.get_slot(CONTACT) or "",
                tracker.get_slot("first_name"),
            ),
            buttons=render.yes_no(),
        )
        return []


class ActionSubmitQuestion(Action):
    """Stores the question after a yes, and says who answers and how soon; after anything else, nothing."""

    def name(self) -> str:
        return "action_submit_question"

    @apologise_on_failure(lambda tracker: reset())
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        consent, slug = tracker.get_slot(CONSENT), tracker.get_slot(CENTRE)
        if slug is None:
            dispatcher.utter_message(text=messages.QUESTION_NO_CENTRE)
            return reset()
        if consent is None:
            dispatcher.utter_message(response="utter_question_stopped")
            return reset()
        if consent is not True:
            dispatcher.utter_message(text=messages.QUESTION_CANCELLED)
            return reset()
        question = tracker.get_slot(TEXT) or ""
        contact = Contact(tracker.get_slot(KIND) or "email", tracker.get_slot(CONTACT) or "")
        first_name = tracker.get_slot("first_name")
        channel, sender = channel_of(tracker), tracker.sender_id

        def store(session):
            centre = centre_for_slug(session, slug)
            if centre is None:
                return None
            resident = get_or_create(session, channel, sender)
            return leave_question(session, centre, question, contact, first_name, resident=resident)

        try:
            receipt = await get_database().run_sync(store)
        except QuestionError as error:
            dispatcher.utter_message(text=error.message)
            return reset()
        if receipt is None:
            dispatcher.utter_message(text=messages.QUESTION_NO_CENTRE)
            return reset()
        dispatcher.utter_message(
            text=messages.question_stored(receipt.centre_name, receipt.answer_within, receipt.contact.kind))
        return reset()
