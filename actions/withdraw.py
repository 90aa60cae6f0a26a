"""A resident calls off a sign-up in the chat ("ik wil me afmelden voor het taalmaatje").

Not the same as stopping alerts (`unsubscribe_alerts`). `withdraw_form`
finds the resident's own sign-ups by channel and sender id: one is asked
about at once, several are offered as buttons (or matched by a typed
title), none gets a kind word. Every id, typed or from a button, is checked
against the resident's own sign-ups by the domain; the initiative is told
by mail (doemee.signups.withdraw).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.render import payload
from actions.safety import apologise_on_failure
from actions.tracker import HANDLED_IN_FORMS, channel_of, entity_values, latest_intent, latest_text, record_id
from doemee import messages
from doemee.choosing import choose
from doemee.residents import is_yes_or_no, says_stop
from doemee.signups import OwnSignUp, active_sign_ups, withdraw
from doemee.storage.database import get_database

WITHDRAW_ID = "withdraw_id"
CONFIRMED = "withdraw_confirmed"
ENTITY = "signup_id"
# Words of a withdrawal that name no sign-up ("ik wil me afmelden voor ...").
_NOT_A_TITLE = ("afmelden afmelding afmeld aanmelding aanmeldingen annuleren annuleer zeg af toch niet meer "
                "kan komen ga gaat stoppen stop intrekken",)
# Messages that may name one of the resident's sign-ups ("die van de moestuin", "de tweede").
_MAY_NAME_ONE = frozenset({"withdraw_signup", "inform", "nlu_fallback"})
_YES_NO_INTENTS = frozenset({"affirm", "deny", "inform", "nlu_fallback", "out_of_scope"})


def _says_no(intent: str | None, text: str) -> bool:
    """A no or a "laat maar"; "stop met de berichten" (unsubscribe_alerts) is left to the form's rules."""
    return intent == "deny" or (intent not in HANDLED_IN_FORMS and says_stop(text))


def _reset() -> list[dict[str, Any]]:
    return [SlotSet(WITHDRAW_ID, None), SlotSet(CONFIRMED, None)]


async def _own(tracker: Tracker) -> list[OwnSignUp]:
    channel, sender = channel_of(tracker), tracker.sender_id
    return await get_database().run_sync(lambda session: active_sign_ups(session, channel, sender))


def _picked(tracker: Tracker, own: list[OwnSignUp]) -> OwnSignUp | None:
    wanted = record_id(tracker.get_slot(WITHDRAW_ID))
    return next((s for s in own if s.id == wanted), None)


class ValidateWithdrawForm(FormValidationAction):
    """Which of the resident's own sign-ups, and a clear yes before it is called off."""

    def name(self) -> str:
        return "validate_withdraw_form"

    @apologise_on_failure(lambda tracker: _reset())
    async def run(self, dispatcher, tracker, domain):
        return await super().run(dispatcher, tracker, domain)

    async def required_slots(self, domain_slots, dispatcher, tracker: Tracker, domain) -> list[str]:
        return [WITHDRAW_ID, CONFIRMED] if await _own(tracker) else []

    async def next_requested_slot(self, dispatcher, tracker: Tracker, domain):
        # A no (or "stop") while asked which one ends the form too; the submit action says it stays.
        if tracker.get_slot(CONFIRMED) is False:
            return SlotSet("requested_slot", None)
        return await super().next_requested_slot(dispatcher, tracker, domain)

    async def extract_withdraw_id(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        clicked = entity_values(tracker, ENTITY)
        if clicked:
            return {WITHDRAW_ID: clicked[0]}
        intent = latest_intent(tracker)
        # A new request starts afresh: an id left from an earlier one that was broken off is not it.
        stale = tracker.get_slot(WITHDRAW_ID) is not None
        if stale and intent != "withdraw_signup":
            return {}
        asked = tracker.get_slot("requested_slot") == WITHDRAW_ID
        if asked and _says_no(intent, latest_text(tracker)):
            return {CONFIRMED: False}
        own = await _own(tracker)
        if len(own) == 1:
            return {WITHDRAW_ID: str(own[0].id)}
        if intent in _MAY_NAME_ONE:
            choice = choose(latest_text(tracker), own, ignore=_NOT_A_TITLE)
            if choice.chosen is not None and not choice.by_category_only:
                return {WITHDRAW_ID: str(choice.chosen)}
        if asked and intent not in HANDLED_IN_FORMS:
            # Not one of theirs: say so, then the buttons again (the form's rules answer the rest).
            dispatcher.utter_message(text=messages.WITHDRAW_UNKNOWN)
            return {WITHDRAW_ID: None}
        return {WITHDRAW_ID: None} if stale else {}

    async def validate_withdraw_id(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if value is None:
            return {WITHDRAW_ID: None}
        wanted = record_id(value)
        if wanted is None or all(s.id != wanted for s in await _own(tracker)):
            dispatcher.utter_message(text=messages.WITHDRAW_UNKNOWN)
            return {WITHDRAW_ID: None}
        return {WITHDRAW_ID: str(wanted)}

    async def extract_withdraw_confirmed(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != CONFIRMED:
            return {}
        intent, text = latest_intent(tracker), latest_text(tracker)
        if _says_no(intent, text):
            return {CONFIRMED: False}
        if intent == "affirm" or (intent in _YES_NO_INTENTS and is_yes_or_no(text) and text.lower().startswith("j")):
            return {CONFIRMED: True}
        if intent not in HANDLED_IN_FORMS:
            dispatcher.utter_message(text=messages.WITHDRAW_YES_OR_NO)
            return {CONFIRMED: None}
        return {}

    async def validate_withdraw_confirmed(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        return {CONFIRMED: value if isinstance(value, bool) else None}


class ActionAskWithdrawId(Action):
    def name(self) -> str:
        return "action_ask_withdraw_id"

    @apologise_on_failure(lambda tracker: _reset())
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        buttons = [{"title": messages.withdraw_button(s.title, s.initiative),
                    "payload": payload("withdraw_signup", signup_id=str(s.id))} for s in await _own(tracker)]
        dispatcher.utter_message(text=messages.WITHDRAW_WHICH, buttons=buttons)
        return []


class ActionAskWithdrawConfirmed(Action):
    def name(self) -> str:
        return "action_ask_withdraw_confirmed"

    @apologise_on_failure(lambda tracker: _reset())
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        picked = _picked(tracker, await _own(tracker))
        if picked is None:  # called off elsewhere in between
            dispatcher.utter_message(text=messages.WITHDRAW_GONE)
            return [*_reset(), SlotSet(CONFIRMED, False)]
        dispatcher.utter_message(
            text=messages.withdraw_confirm(picked.title, picked.initiative),
            buttons=[{"title": messages.BUTTON_WITHDRAW_YES, "payload": "/affirm"},
                     {"title": messages.BUTTON_WITHDRAW_NO, "payload": "/deny"}],
        )
        return []


class ActionWithdrawSignup(Action):
    """Calls the sign-up off once the resident said yes; says what happened either way."""

    def name(self) -> str:
        return "action_withdraw_signup"

    @apologise_on_failure(lambda tracker: _reset())
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        confirmed, wanted = tracker.get_slot(CONFIRMED), record_id(tracker.get_slot(WITHDRAW_ID))
        if confirmed is True and wanted is not None:
            channel, sender, now = channel_of(tracker), tracker.sender_id, datetime.now(timezone.utc)
            done = await get_database().run_sync(lambda session: withdraw(session, channel, sender, wanted, now))
            dispatcher.utter_message(
                text=messages.followup_withdrawn(done.initiative, done.title) if done else messages.WITHDRAW_GONE
            )
        elif confirmed is False:
            dispatcher.utter_message(text=messages.WITHDRAW_KEPT)
        else:
            dispatcher.utter_message(text=messages.WITHDRAW_NONE)
        return _reset()
