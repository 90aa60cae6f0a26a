"""forget_me: after the resident confirmed, delete everything about this sender.

The database part happens here in one unit of work. The conversation
history is deleted by the tracker store (rasa_addons.forgetting_tracker_store)
when it sees the `conversation_forgotten` slot this action sets: deleting
the rows from here would not last, because Rasa saves its in-memory
tracker again after the action.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import apologise_on_failure
from doemee import messages
from doemee.privacy import forget
from doemee.storage.database import get_database

FORGOTTEN_SLOT = "conversation_forgotten"


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
