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


@dataclass(frozen=True)
class Callback:
    kind: Kind
    value: Any  # the payload for PAYLOAD/STORED_PAYLOAD, the stored object for RETRY, None for STOP_ALERTS


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
