"""Small talk that needs data: a human to talk to, and the two-stage fallback."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.render import payload
from doemee import messages
from doemee.settings import get_settings


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        dispatcher.utter_message(text=messages.handoff(get_settings().handoff_contact))
        return []


def _fallbacks_in_a_row(tracker: Tracker) -> int:
    """How many of the resident's latest messages in a row were not understood (this one included)."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


class ActionFallback(Action):
    """First time: ask to rephrase. Again: say what DoeMee can do, with buttons."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        if _fallbacks_in_a_row(tracker) < 2:
            dispatcher.utter_message(text=messages.FALLBACK_FIRST)
            return []
        dispatcher.utter_message(
            text=messages.FALLBACK_SECOND,
            buttons=[
                {"title": messages.FALLBACK_BUTTON_SEARCH, "payload": payload("search_opportunities")},
                {"title": messages.FALLBACK_BUTTON_HELP, "payload": payload("help")},
                {"title": messages.FALLBACK_BUTTON_HUMAN, "payload": payload("human_handoff")},
            ],
        )
        return []
