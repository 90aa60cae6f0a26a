"""Signing up for an opportunity: pick it, name and contact, consent, store, notify.

The initiative's contact is shown only in the confirmation, after consent.
The notice to the initiative is queued in the outbox with the sign-up, in
one transaction; the outbox worker sends it and retries, so the resident is
never bothered with a mail server that is down.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import render
from actions.choice import (
    choice_buttons, detailed_focus, first_number, last_bot_text, previous_action, read_choice, shown_ids,
    shown_views,
)
from actions.safety import apologise_on_failure
from actions.tracker import (
    HANDLED_IN_FORMS, ask_again_if_unanswered, centre_slug, channel_of, entity_named, is_answer, latest_intent, latest_text,
    only_a_place, record_id, resident_position,
)
from doemee import messages
from doemee.attribution import attributed_centre
from doemee.choosing import content_words, mentions_position
from doemee.listing import open_opportunity
from doemee.residents import (
    Contact, is_yes_or_no, parse_contact, parse_first_name, says_no_contact, says_stop,
)
from doemee.signups import OpportunityUnavailable, opportunity_contact, sign_up
from doemee.storage.database import get_database

logger = logging.getLogger(__name__)
_YES = {"ja", "ja hoor", "jazeker", "ok", "oké", "oke", "goed", "prima", "akkoord", "is goed", "yes", "jep", "👍"}
_NO = {"nee", "nee hoor", "liever niet", "niet doen", "no", "nope", "👎"}
# Intents that ask for something else than the question asked: an answer that is not one gets where
# the sign-up stands and the way out, instead of a bare "that is no name".
_ELSEWHERE = frozenset({
    "search_opportunities", "change_search", "more_results", "more_info", "sign_up", "post_need",
    "subscribe_alerts", "unsubscribe_alerts",
})
_ASKED_AFTER_CHOICE = ("first_name", "contact", "consent")


def _interrupts(tracker: Tracker, asked: str | None) -> bool:
    """A question of its own once the form has asked ("vergeet mij", a person): the form's rules answer it first."""
    return asked is not None and latest_intent(tracker) in HANDLED_IN_FORMS - {"sign_up"}


class ValidateSignupForm(FormValidationAction):
    def name(self) -> str:
        return "validate_signup_form"

    @apologise_on_failure(lambda tracker: [SlotSet(tracker.get_slot("requested_slot") or "opportunity_id", None)])
    async def run(self, dispatcher, tracker, domain):
        asked = tracker.get_slot("requested_slot")
        if asked in ("opportunity_id", *_ASKED_AFTER_CHOICE) and says_stop(latest_text(tracker)):
            # "laat maar, ik bedenk me" ends the sign-up whatever the NLU made of it; action_submit_signup
            # says so, as it does for every sign-up that ends without consent.
            return [SlotSet(asked, None), SlotSet("requested_slot", None)]
        if asked in (None, "opportunity_id") and self._nothing_to_choose(tracker) and not _interrupts(tracker, asked):
            # A form that asks to choose among nothing cannot be answered: search first, and a place
            # typed next ("in lelystad") answers the search's question instead of confusing this one.
            dispatcher.utter_message(text=messages.SIGNUP_NOTHING_SHOWN)
            restart = [SlotSet("interests", None)] if tracker.get_slot("location") else []
            return [SlotSet("opportunity_id", None), SlotSet("requested_slot", None), *restart,
                    FollowupAction("search_form")]
        if (latest_intent(tracker) == "more_info" and asked in _ASKED_AFTER_CHOICE
                and tracker.get_slot("opportunity_id")):
            # "vertel eens meer over de eerste" halfway: the details, then the same question again.
            await _show_details(dispatcher, tracker)
            return [SlotSet(asked, tracker.get_slot(asked))]
        candidates = tracker.get_slot("choice_candidates")
        events = await super().run(dispatcher, tracker, domain)
        returned = {e.get("name") for e in events if e.get("event") == "slot"}
        # rasa-sdk returns only the form's own slots; the results that fit equally travel alongside.
        if "choice_candidates" not in returned and tracker.get_slot("choice_candidates") != candidates:
            events.append(SlotSet("choice_candidates", tracker.get_slot("choice_candidates")))
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return events + ask_again_if_unanswered(tracker, asked, required, returned, frozenset({"sign_up"}))

    @staticmethod
    def _nothing_to_choose(tracker: Tracker) -> bool:
        return (not shown_ids(tracker) and tracker.get_slot("opportunity_id") is None
                and not entity_named(tracker, "opportunity_id"))

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
        text = str(value or "")
        name = parse_first_name(text)
        place = only_a_place(tracker)
        if name is not None and place is None:
            return {"first_name": name}
        if place is not None:
            reason = messages.first_name_is_place(place)
        elif is_yes_or_no(text):
            reason = messages.FIRST_NAME_AFTER_YES
        elif latest_intent(tracker) in _ELSEWHERE:
            reason = messages.signup_goes_on(tracker.get_slot("opportunity_title") or "")
        else:
            reason = messages.FIRST_NAME_INVALID
        dispatcher.utter_message(text=reason)
        return {"first_name": None}

    async def extract_contact(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        # An email address or phone number answers the question whatever intent NLU guessed.
        # So does "heb ik niet" (often read as a no): it is about the address, not about signing up.
        asked = tracker.get_slot("requested_slot") == "contact"
        text = latest_text(tracker)
        if is_answer(tracker, "contact") or (asked and (parse_contact(text) is not None or says_no_contact(text))):
            return {"contact": text}
        return {}

    async def validate_contact(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        text = str(value or "")
        contact = parse_contact(text)
        if contact is not None:
            return {"contact": contact.value, "contact_kind": contact.kind}
        missing = says_no_contact(text)
        if missing is not None:
            first = messages.contact_none(missing)
            dispatcher.utter_message(text=messages.CONTACT_NONE_AGAIN if first in _said_last_turn(tracker) else first)
        elif latest_intent(tracker) in _ELSEWHERE:
            dispatcher.utter_message(text=messages.signup_goes_on(tracker.get_slot("opportunity_title") or ""))
        else:
            dispatcher.utter_message(text=messages.CONTACT_INVALID)
        return {"contact": None}

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


def _said_last_turn(tracker: Tracker) -> list[str]:
    """The bot's texts between the resident's last two messages."""
    said, users = [], 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif event.get("event") == "bot" and users == 1:
            said.append((event.get("text") or "").strip())
    return said


async def _show_details(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The details of the result named (or of the one being signed up for), then where the sign-up stands."""
    current = record_id(tracker.get_slot("opportunity_id"))
    chosen = (await read_choice(tracker)).chosen or current
    view = None
    if chosen is not None:
        view = await get_database().run_sync(lambda session: open_opportunity(session, chosen))
    if view is not None:
        dispatcher.utter_message(text=messages.opportunity_details(
            view.title, view.initiative, view.description, view.place, view.time_commitment,
            list(view.day_parts), view.initiative_website,
        ))
    dispatcher.utter_message(text=messages.signup_goes_on(tracker.get_slot("opportunity_title") or ""))


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


class ActionAskFirstName(Action):
    """Asks the first name; asked again after a reason, without the first time's "Leuk!"."""

    def name(self) -> str:
        return "action_ask_first_name"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        again = tracker.get_slot("requested_slot") == "first_name"
        dispatcher.utter_message(text=messages.ASK_FIRST_NAME_AGAIN if again else messages.ASK_FIRST_NAME)
        return []


class ActionAskConsent(Action):
    """Shows exactly what will be shared with which initiative, and asks if that is all right."""

    def name(self) -> str:
        return "action_ask_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        title = tracker.get_slot("opportunity_title") or ""
        question = messages.consent_question(
            tracker.get_slot("initiative_name") or "", title, tracker.get_slot("first_name") or "",
            tracker.get_slot("contact_kind") or "email", tracker.get_slot("contact") or "",
        )
        if question == last_bot_text(tracker):
            # Asked again with nothing said in between ("ik wil me aanmelden"): say where we stand first.
            dispatcher.utter_message(text=messages.consent_again(title))
        dispatcher.utter_message(text=question, buttons=render.yes_no())
        return []


def _reset() -> list[dict[str, Any]]:
    return [SlotSet("consent", None), SlotSet("opportunity_id", None)]


class ActionSubmitSignup(Action):
    """Stores the sign-up once, confirms with the initiative's contact, and notifies the initiative."""

    def name(self) -> str:
        return "action_submit_signup"

    @apologise_on_failure(lambda tracker: _reset())
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        consent = tracker.get_slot("consent")
        if consent is None:
            # The form ended before its question (the resident stopped halfway).
            dispatcher.utter_message(response="utter_signup_stopped")
            return _reset()
        if consent is not True:
            dispatcher.utter_message(text=messages.SIGNUP_DECLINED)
            return _reset()
        opportunity_id = int(tracker.get_slot("opportunity_id"))
        first_name = tracker.get_slot("first_name")
        contact = Contact(tracker.get_slot("contact_kind") or "email", tracker.get_slot("contact"))
        consent = messages.consent_statement(
            tracker.get_slot("initiative_name") or "", tracker.get_slot("opportunity_title") or "", contact.kind,
        )
        channel, sender = channel_of(tracker), tracker.sender_id
        slug, position = centre_slug(tracker), resident_position(tracker)
        try:
            outcome = await get_database().run_sync(
                lambda session: sign_up(session, channel, sender, opportunity_id, first_name, contact, consent,
                                        centre=attributed_centre(session, slug, position))
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
        return _reset()
