"""What a resident sees when the database or anything else fails inside an action.

Every action runs inside `apologise_on_failure`: on any error the messages
prepared so far are dropped, the resident gets one Dutch apology, and the
log gets the action name and the error type only (SQL errors carry the
resident's data in their parameters, so their text is never logged). Units
of work roll back on error, so nothing half-written stays behind.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from doemee import messages

logger = logging.getLogger(__name__)

Run = Callable[..., Awaitable[list[dict[str, Any]]]]


def apologise_on_failure(fallback_events: Callable[[Any], list[dict[str, Any]]] | None = None) -> Callable[[Run], Run]:
    """Wraps an action's `run`; `fallback_events(tracker)` gives the events to return after a failure."""

    def decorate(run: Run) -> Run:
        @functools.wraps(run)
        async def guarded(self, dispatcher: CollectingDispatcher, tracker, domain) -> list[dict[str, Any]]:
            shown = len(dispatcher.messages)
            try:
                return await run(self, dispatcher, tracker, domain)
            except Exception as error:  # the boundary: nothing may reach the resident as a traceback
                logger.warning("action %s failed: %s", self.name(), type(error).__name__)
                del dispatcher.messages[shown:]
                dispatcher.utter_message(text=messages.SORRY_TECHNICAL)
                return fallback_events(tracker) if fallback_events else []

        return guarded

    return decorate
