"""Small talk that needs data: a human to talk to, and the two-stage fallback."""

from __future__ import annotations

import logging
import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.render import payload
from actions.tracker import asks_something_else, centre_slug, entity_values, resident_position
from doemee import messages
from doemee.attribution import attributed_centre, handoff_contact
from doemee.settings import get_settings
from doemee.storage.database import get_database

logger = logging.getLogger(__name__)


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        """The resident's own centre answers: the widget's centre, else the one whose region they searched in.

        That centre can also take a question (question_form), offered only
        outside a form: inside one, the button's yes would answer the form.
        """
        slug, position = centre_slug(tracker), resident_position(tracker)

        def find(session) -> tuple[str, str | None]:
            centre = attributed_centre(session, slug, position)
            return handoff_contact(session, slug, position), centre.name if centre is not None else None

        try:
            contact, centre = await get_database().run_sync(find)
        except SQLAlchemyError:
            logger.warning("handoff contact from the database failed; the operator's contact is shown")
            contact, centre = get_settings().handoff_contact, None
        dispatcher.utter_message(text=messages.handoff(contact))
        if centre and not tracker.active_loop.get("name"):
            dispatcher.utter_message(
                text=messages.question_offer(centre),
                buttons=[{"title": messages.QUESTION_OFFER_BUTTON, "payload": payload("affirm")}],
            )
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


# The intents that start the search form (data/rules.yml).
_SEARCH_INTENTS = frozenset({"search_opportunities", "inform", "change_search"})


def _unclear_search(tracker: Tracker) -> bool:
    """Whether an unclear message outside any form is still a search with a place in it.

    "ik woon in groningen, iets met taal" sits between inform and
    search_opportunities; the FallbackClassifier calls such a tie unclear,
    though both intents start the same search. A place or postcode said
    outside a question, with a search intent among the two best guesses, is
    enough to search; "wat is het weer in deventer?" is a question, not a search.
    """
    if tracker.active_loop.get("name") or asks_something_else(tracker):
        return False
    if not (entity_values(tracker, "place") or entity_values(tracker, "postcode")):
        return False
    ranking = [r for r in (tracker.latest_message or {}).get("intent_ranking") or [] if isinstance(r, dict)]
    best = [r.get("name") for r in ranking if r.get("name") != "nlu_fallback"][:2]
    return bool(_SEARCH_INTENTS & set(best))


class ActionFallback(Action):
    """First time: ask to rephrase. Again: say what DoeMee can do, with buttons. A search with a place: search."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        if _unclear_search(tracker):
            # The search form reads the place and interests from this same message.
            return [FollowupAction("search_form")]
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
