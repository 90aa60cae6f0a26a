"""Callback data for inline buttons, within Telegram's 64-byte limit.

Rasa button payloads such as `/sign_up{"opportunity_id":"123"}` can be
longer than Telegram allows in a button. Short payloads travel inside the
button; longer ones, and things that are not payloads at all (a message to
retry), stay here in a bounded in-memory store and the button carries a
short key. A key can outlive the store (restart, eviction): `resolve` then
returns None and the caller says so in Dutch.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass
from enum import Enum
from typing import Any

MAX_CALLBACK_BYTES = 64
DEFAULT_CAPACITY = 20_000


class Kind(str, Enum):
    PAYLOAD = "m"  # send this text to Rasa, as if typed
    STORED_PAYLOAD = "k"  # send the stored text to Rasa
    RETRY = "r"  # resend a stored request that failed
    STOP_ALERTS = "s"  # stop alert messages
    FOLLOW_UP = "f"  # answer "heeft het initiatief contact opgenomen?": f:<sign-up id>:<y|n|x>


@dataclass(frozen=True)
class Callback:
    kind: Kind
    # The payload for PAYLOAD/STORED_PAYLOAD, the stored object for RETRY, None for STOP_ALERTS,
    # (sign-up id, answer) for FOLLOW_UP with the answer "yes", "no" or "not_needed".
    value: Any


# Follow-up answers travel in the button itself: they must survive a restart of the bot.
_FOLLOW_UP_CODES = {"yes": "y", "no": "n", "not_needed": "x"}
_FOLLOW_UP_ANSWERS = {code: answer for answer, code in _FOLLOW_UP_CODES.items()}


def _fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES


class CallbackStore:
    """Turns payloads and objects into callback data and back; oldest keys go first."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def payload(self, payload: str) -> str:
        """Callback data that sends `payload` to Rasa when pressed."""
        inline = f"{Kind.PAYLOAD.value}:{payload}"
        if _fits(inline):
            return inline
        return f"{Kind.STORED_PAYLOAD.value}:{self._keep(payload)}"

    def retry(self, request: Any) -> str:
        """Callback data that hands `request` back when pressed."""
        return f"{Kind.RETRY.value}:{self._keep(request)}"

    @staticmethod
    def stop_alerts() -> str:
        return f"{Kind.STOP_ALERTS.value}:"

    @staticmethod
    def follow_up(sign_up_id: int, answer: str) -> str:
        """Callback data for one answer ("yes", "no", "not_needed") to one sign-up's follow-up question."""
        return f"{Kind.FOLLOW_UP.value}:{sign_up_id}:{_FOLLOW_UP_CODES[answer]}"

    def resolve(self, data: str | None) -> Callback | None:
        """What a pressed button means; None for unknown, expired or foreign data."""
        if not data or ":" not in data:
            return None
        prefix, rest = data.split(":", 1)
        try:
            kind = Kind(prefix)
        except ValueError:
            return None
        if kind is Kind.PAYLOAD:
            return Callback(kind, rest) if rest else None
        if kind is Kind.STOP_ALERTS:
            return Callback(kind, None)
        if kind is Kind.FOLLOW_UP:
            return _follow_up(rest)
        if rest not in self._items:
            return None
        self._items.move_to_end(rest)
        return Callback(kind, self._items[rest])

    def _keep(self, value: Any) -> str:
        key = secrets.token_urlsafe(9)
        self._items[key] = value
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return key


def _follow_up(rest: str) -> Callback | None:
    number, _, code = rest.partition(":")
    if not (number.isascii() and number.isdigit() and len(number) < 11) or code not in _FOLLOW_UP_ANSWERS:
        return None
    return Callback(Kind.FOLLOW_UP, (int(number), _FOLLOW_UP_ANSWERS[code]))
