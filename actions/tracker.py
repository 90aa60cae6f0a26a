"""Reading what the resident said and chose from a rasa-sdk tracker."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker

# Intents that interrupt a form rather than answer its question.
INTERRUPTIONS: frozenset[str] = frozenset({
    "help", "bot_challenge", "ask_privacy", "human_handoff", "forget_me", "deny", "goodbye", "greet", "thank",
    "subscribe_alerts", "unsubscribe_alerts",
})
# Intents that move around the results; never an answer to "where do you live?".
NAVIGATION: frozenset[str] = frozenset({"more_results", "more_info", "sign_up", "change_search", "post_need"})
NO_PREFERENCE = "geen_voorkeur"
_NO_PREFERENCE = re.compile(
    r"\b(geen voorkeur|maakt (me |mij )?niet (zo(veel)? )?uit|maakt niks uit|alles( is goed)?|"
    r"om het even|weet (ik )?niet|geen idee|van alles|boeit niet|whatever|maakt niet uit)\b",
    re.IGNORECASE,
)
_SOMETHING_ELSE = re.compile(r"\b(iets|wat|eens) anders\b|\banders\b", re.IGNORECASE)
_ORDINALS: dict[str, int] = {
    "eerste": 1, "1e": 1, "een": 1, "één": 1, "1": 1,
    "tweede": 2, "2e": 2, "twee": 2, "2": 2,
    "derde": 3, "3e": 3, "drie": 3, "3": 3,
    "vierde": 4, "4": 4, "vijfde": 5, "5": 5, "zesde": 6, "6": 6,
}
_ORDINAL_WORDS = re.compile(r"\b(eerste|1e|tweede|2e|derde|3e|vierde|vijfde|zesde|laatste)\b", re.IGNORECASE)
_CBS_CODE = re.compile(r"^\d{4}$")
_NUMBER = re.compile(r"^\s*(?:de |nummer |nr\.? ?|#)?(\d)\s*\.?\s*$", re.IGNORECASE)


def channel_of(tracker: Tracker) -> str:
    """The resident's channel: the channel's own word in the metadata, else Rasa's input channel."""
    metadata = latest_metadata(tracker)
    channel = metadata.get("channel")
    if isinstance(channel, str) and channel.strip():
        return channel.strip()[:20]
    return (tracker.get_latest_input_channel() or "rest")[:20]


def region_of(tracker: Tracker) -> frozenset[str]:
    """The CBS codes of the centre whose widget the resident uses; empty: the whole country.

    Read from the message being answered, never from the session's first one:
    the gateway adds the metadata to every message (typed or a button), so a
    conversation carried over to another centre's widget follows that centre.
    """
    codes = latest_metadata(tracker).get("municipalities")
    if not isinstance(codes, list):
        return frozenset()
    return frozenset(c for c in codes if isinstance(c, str) and _CBS_CODE.match(c))


def latest_metadata(tracker: Tracker) -> dict[str, Any]:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return metadata if isinstance(metadata, dict) else {}


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text") or ""
    return "" if text.startswith("/") else text.strip()


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Every value of `entity` in the latest message, in order, without repeats."""
    values: list[str] = []
    for item in (tracker.latest_message or {}).get("entities") or []:
        if item.get("entity") == entity and item.get("value") not in (None, ""):
            value = str(item["value"])
            if value not in values:
                values.append(value)
    return values


def shared_position(tracker: Tracker) -> tuple[float, float] | None:
    """A location shared on Telegram (metadata {"location": {"latitude", "longitude"}})."""
    location = latest_metadata(tracker).get("location")
    if not isinstance(location, dict):
        return None
    try:
        return float(location["latitude"]), float(location["longitude"])
    except (KeyError, TypeError, ValueError):
        return None


def is_answer(tracker: Tracker, slot: str, also_not: frozenset[str] = frozenset()) -> bool:
    """Whether the latest message answers the form's question for `slot` (not an interruption)."""
    intent = latest_intent(tracker)
    return (
        tracker.get_slot("requested_slot") == slot
        and intent not in INTERRUPTIONS
        and intent not in also_not
        and bool(latest_text(tracker))
    )


def mentions_position(text: str) -> bool:
    return bool(_ORDINAL_WORDS.search(text or "") or _NUMBER.match(text or ""))


def says_no_preference(text: str) -> bool:
    return bool(_NO_PREFERENCE.search(text or ""))


def says_something_else(text: str) -> bool:
    return bool(_SOMETHING_ELSE.search(text or ""))


def chosen_position(text: str, count: int) -> int | None:
    """The 1-based position a resident picks: "de eerste", "nummer 2", "3", "de laatste"."""
    if count <= 0 or not text:
        return None
    match = _NUMBER.match(text)
    if match:
        position = int(match.group(1))
        return position if 1 <= position <= count else None
    word = _ORDINAL_WORDS.search(text)
    if word is None:
        return None
    key = word.group(1).lower()
    position = count if key == "laatste" else _ORDINALS[key]
    return position if position <= count else None


def int_or_none(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
