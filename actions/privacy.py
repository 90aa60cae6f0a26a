"""forget_me: after the resident confirmed, delete everything about this sender.

The database part happens here in one unit of work. The conversation
history is deleted by the tracker store (rasa_addons.forgetting_tracker_store)
when it sees the `conversation_forgotten` slot this action sets: deleting
the rows from here would not last, because Rasa saves its in-memory
tracker again after the action.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import apologise_on_failure
from actions.tracker import latest_intent, latest_text
from doemee import messages
from doemee.privacy import forget
from doemee.storage.database import get_database

FORGOTTEN_SLOT = "conversation_forgotten"
_YES = re.compile(r"^\W*(?:ja+|jazeker|jawel|ok[eé]?|okay|prima|graag|zeker|doe (?:dat )?maar|wis (?:het |alles )?maar|"
                  r"alles wissen|👍)(?:\W|$)", re.IGNORECASE)
_NO = re.compile(r"^\W*(?:nee+|neen|toch niet|niet doen|liever niet|laat (?:ook )?maar|👎)(?:\W|$)", re.IGNORECASE)
# Intents whose text may still start with a plain yes or no ("ja wis maar alles" reads as forget_me).
_MAY_ANSWER = frozenset({"forget_me", "inform", "nlu_fallback", "affirm", "deny", "out_of_scope"})


class ValidateForgetForm(FormValidationAction):
    """Reads the answer to "Wil je echt dat ik alles over jou wis?" from its words as well as its intent.

    Without it, "ja wis maar alles" (forget_me, not affirm) and "vergeet mij"
    again filled nothing: the form was rejected, no rule was left for it, and
    the resident got no reply at all.
    """

    def name(self) -> str:
        return "validate_forget_form"

    async def extract_forget_confirmed(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "forget_confirmed":
            return {}
        intent, text = latest_intent(tracker), latest_text(tracker)
        if intent in _MAY_ANSWER and _NO.match(text):
            return {"forget_confirmed": False}
        if intent in _MAY_ANSWER and _YES.match(text):
            return {"forget_confirmed": True}
        if intent == "forget_me":
            # Asked again while asked: ask once more, in other words first, so it never looks stuck.
            dispatcher.utter_message(text=messages.FORGET_ASK_AGAIN)
            return {"forget_confirmed": None}
        return {}


class ActionForgetMe(Action):
    def name(self) -> str:
        return "action_forget_me"

    @apologise_on_failure(lambda tracker: [SlotSet("forget_confirmed", None)])
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        if tracker.get_slot("forget_confirmed") is not True:
            dispatcher.utter_message(text=messages.FORGET_CANCELLED)
            return [SlotSet("forget_confirmed", None)]
        sender = tracker.sender_id
        await get_database().run_sync(lambda session: forget(session, sender))
        dispatcher.utter_message(text=messages.FORGOTTEN)
        return [SlotSet("forget_confirmed", None), SlotSet(FORGOTTEN_SLOT, True)]
