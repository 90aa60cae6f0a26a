"""Small talk that needs data: a human to talk to, and the two-stage fallback."""

from __future__ import annotations

import re

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


_GREETING = re.compile(
    r"^\s*(hallo|hoi|hey|hee|hi|goeiedag|goedendag|goedemorgen|goedemiddag|goedenavond|dag|yo)\b\W*(?=\w)",
    re.IGNORECASE,
)
# How close the carried question must come in the ranking to be answered.
_CARRIED_CONFIDENCE = 0.3


def _greeting_asks_help(tracker: Tracker) -> bool:
    """Whether an unclear message is a greeting that carries a question about what DoeMee does.

    "hallo, wat kun je allemaal?" sits between greet and help in the NLU's
    ranking, and neither wins clearly; a person would answer the question.
    """
    message = tracker.latest_message or {}
    if not _GREETING.match(message.get("text") or ""):
        return False
    ranking = [r for r in message.get("intent_ranking") or [] if isinstance(r, dict)]
    others = [r for r in ranking if r.get("name") not in ("nlu_fallback", "greet")]
    if not others or others[0].get("name") != "help":
        return False
    return float(others[0].get("confidence") or 0) >= _CARRIED_CONFIDENCE


class ActionFallback(Action):
    """First time: ask to rephrase. Again: say what DoeMee can do, with buttons."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        if _greeting_asks_help(tracker):
            dispatcher.utter_message(response="utter_help")
            return []
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
