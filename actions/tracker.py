"""Reading what the resident said and chose from a rasa-sdk tracker."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet


# Intents that interrupt a form rather than answer its question.
INTERRUPTIONS: frozenset[str] = frozenset({
    "help", "bot_challenge", "ask_privacy", "ask_paid", "human_handoff", "forget_me", "deny", "goodbye", "greet",
    "thank", "subscribe_alerts", "unsubscribe_alerts", "manage_listing", "withdraw_signup",
})
# Intents every form's rules in data/rules.yml answer while the form is active (help, stop, ...).
HANDLED_IN_FORMS: frozenset[str] = frozenset({
    "help", "ask_privacy", "ask_paid", "bot_challenge", "greet", "thank", "human_handoff", "out_of_scope",
    "nlu_fallback", "deny", "unsubscribe_alerts", "goodbye", "forget_me", "search_opportunities", "sign_up",
})
# Intents that move around the results; never an answer to "where do you live?".
NAVIGATION: frozenset[str] = frozenset({"more_results", "more_info", "sign_up", "change_search", "post_need"})
# Intents of a message that may be a question the bot cannot answer (see asks_something_else).
OFF_SCRIPT: frozenset[str] = frozenset({"out_of_scope", "nlu_fallback"})
_QUESTION = re.compile(
    r"\?\s*$|^\s*(wat|wie|waar|wanneer|hoe|waarom|welke|welk|hoeveel|hoelang|kun|kan|kunnen|mag|weet|heb|heeft|"
    r"is|zijn|wordt)\b",
    re.IGNORECASE,
)
NO_PREFERENCE = "geen_voorkeur"
_NO_PREFERENCE = re.compile(
    r"\b(geen voorkeur|maakt (me |mij )?niet (zo(veel)? )?uit|maakt niks uit|alles( is goed)?|"
    r"om het even|weet (ik )?niet|geen idee|van alles|boeit niet|whatever|maakt niet uit)\b",
    re.IGNORECASE,
)
_SOMETHING_ELSE = re.compile(r"\b(iets|wat|eens) anders\b|\banders\b", re.IGNORECASE)
_CBS_CODE = re.compile(r"^\d{4}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_RECORD_ID = re.compile(r"[0-9]{1,10}")
# The largest id PostgreSQL's integer column holds; a larger one would fail inside the driver.
MAX_RECORD_ID = 2**31 - 1
MAX_ENTITY_CHARS = 100


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


def centre_slug(tracker: Tracker) -> str | None:
    """The slug of the centre whose widget the message came through (the gateway sets it), or None."""
    slug = latest_metadata(tracker).get("centre")
    return slug if isinstance(slug, str) and _SLUG.match(slug) else None


def resident_position(tracker: Tracker) -> tuple[float, float] | None:
    """Where the resident is, as far as the chat knows: a shared location, else the place they searched."""
    shared = shared_position(tracker)
    if shared is not None:
        return shared
    geo = tracker.get_slot("geo")
    if not isinstance(geo, dict):
        return None
    try:
        return float(geo["lat"]), float(geo["lon"])
    except (KeyError, TypeError, ValueError):
        return None


def only_a_place(tracker: Tracker) -> str | None:
    """The place the whole message is ("Zwolle"), as the NLU tagged it; None when the message says more.

    A bare place typed where a name or title is asked is an answer to another question.
    """
    text = latest_text(tracker)
    said = _bare(text)
    if not said:
        return None
    for item in _entities(tracker):
        if item.get("entity") != "place":
            continue
        start, end = item.get("start"), item.get("end")
        spans = isinstance(start, int) and isinstance(end, int) and _bare(text[start:end]) == said
        value = clean_entity_value(item.get("value")) or ""
        # A qualified value ("Schalkwijk (Houten)") is the place the resident typed plus where it lies.
        if spans or _bare(value.split(" (")[0]) == said:
            return text.strip(" .!?,")
    return None


def _bare(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().lower()


def latest_metadata(tracker: Tracker) -> dict[str, Any]:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return metadata if isinstance(metadata, dict) else {}


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text") or ""
    return "" if text.startswith("/") else text.strip()


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Every usable value of `entity` in the latest message, in order, without repeats."""
    values: list[str] = []
    for item in _entities(tracker):
        if item.get("entity") == entity:
            value = clean_entity_value(item.get("value"))
            if value is not None and value not in values:
                values.append(value)
    return values


def entity_named(tracker: Tracker, entity: str) -> bool:
    """Whether the latest message names `entity` at all, even with a value nobody can use."""
    return any(item.get("entity") == entity for item in _entities(tracker))


def _entities(tracker: Tracker) -> list[dict[str, Any]]:
    entities = (tracker.latest_message or {}).get("entities")
    return [e for e in entities if isinstance(e, dict)] if isinstance(entities, list) else []


def clean_entity_value(value: Any) -> str | None:
    """An entity's value as short, printable text, or None when it cannot be one.

    The NLU gives strings, but a button payload typed by hand
    (`/inform{"place": {"a": 1}}`) reaches the actions with whatever JSON
    Rasa's RegexMessageHandler parsed from it: numbers, dicts, null, a
    megabyte of text, control characters.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    if isinstance(value, int) and abs(value) >= 10**MAX_ENTITY_CHARS:
        return None
    text = unicodedata.normalize("NFKC", str(value)[: MAX_ENTITY_CHARS * 4])
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return text[:MAX_ENTITY_CHARS] or None


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
        and not asks_something_else(tracker)
    )


def asks_something_else(tracker: Tracker) -> bool:
    """Whether the message is a question the bot cannot answer, not an answer to the form.

    Free text counts as the answer to whatever the form asked, so "wat voor
    weer wordt het morgen?" became an unknown interest. Only a question the
    NLU also finds off-topic is held back: "Samen wieden en oogsten" may well
    be classified out of scope, but it is a fine description.
    """
    return latest_intent(tracker) in OFF_SCRIPT and bool(_QUESTION.search(latest_text(tracker)))


def ask_again_if_unanswered(
    tracker: Tracker, asked: str | None, form_slots: list[str], returned: set[str], form_intents: frozenset[str],
) -> list[dict[str, Any]]:
    """The event that keeps a form asking when a message of its own intents answered nothing.

    Typed text always counts as an answer, but a button's payload (an old
    one, or one typed by hand: `/inform{"place": {"a": 1}}`) can carry
    nothing usable. Without a slot event Rasa rejects the form, finds no
    other rule for the form's own intent and answers nothing at all, which
    the widget shows as its own failure. Setting the asked slot to what it
    was lets the form ask its question again.
    """
    if asked not in form_slots or asked in returned or latest_intent(tracker) not in form_intents:
        return []
    return [SlotSet(asked, tracker.get_slot(asked))]


def says_no_preference(text: str) -> bool:
    return bool(_NO_PREFERENCE.search(text or ""))


def says_something_else(text: str) -> bool:
    return bool(_SOMETHING_ELSE.search(text or ""))


def int_or_none(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def record_id(value: Any) -> int | None:
    """A database id the resident may have meant (a button's payload), or None.

    Only plain digits in the range every database holds: "-1", "1e3", "１２"
    or a number with 21 digits are no id, and never reach a query.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _RECORD_ID.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_RECORD_ID else None
