"""Callback data for inline buttons, within Telegram's 64-byte limit.

Rasa button payloads such as `/sign_up{"opportunity_id":"123"}` can be
longer than Telegram allows in a button. Short payloads travel inside the
button; longer ones, and things that are not payloads at all (a message to
retry), stay here in a bounded in-memory store and the button carries a
short key. A key can outlive the store (restart, eviction): `resolve` then
returns None and the caller says so in Dutch.

With Redis (DOEMEE_REDIS_URL) kept values are also shared, for a while, so
a button one bridge sent still works when another bridge gets the press.
While Redis is away a button only works on the bridge that sent it.
"""

from __future__ import annotations

import json
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from doemee.shared_state import PREFIX, SharedState, SharedStateDown

MAX_CALLBACK_BYTES = 64
DEFAULT_CAPACITY = 20_000
# How long another bridge can still resolve a kept value. A retry holds what the
# resident typed, so it is kept shorter than a payload (a button of the bot's own).
SHARED_PAYLOAD_SECONDS = 7 * 24 * 3600
SHARED_RETRY_SECONDS = 6 * 3600
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class Kind(str, Enum):
    PAYLOAD = "m"  # send this text to Rasa, as if typed
    STORED_PAYLOAD = "k"  # send the stored text to Rasa
    RETRY = "r"  # resend a stored request that failed
    STOP_ALERTS = "s"  # stop alert messages
    FOLLOW_UP = "f"  # answer "heeft het initiatief contact opgenomen?": f:<sign-up id>:<y|n|x>


@dataclass(frozen=True)
class Request:
    """What was sent to Rasa, kept so a retry button can send it again."""

    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


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

    def __init__(self, capacity: int = DEFAULT_CAPACITY, shared: SharedState | None = None) -> None:
        self.capacity = capacity
        self.shared = shared
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._unshared: list[str] = []  # kept since the last `share()`

    def __len__(self) -> int:
        return len(self._items)

    def payload(self, payload: str) -> str:
        """Callback data that sends `payload` to Rasa when pressed."""
        inline = f"{Kind.PAYLOAD.value}:{payload}"
        if _fits(inline):
            return inline
        return f"{Kind.STORED_PAYLOAD.value}:{self._keep(payload)}"

    def retry(self, request: Request) -> str:
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

    async def lookup(self, data: str | None) -> Callback | None:
        """What a pressed button means, also when another bridge sent it."""
        found = self.resolve(data)
        if found is not None or self.shared is None or not data:
            return found
        prefix, _, key = data.partition(":")
        if prefix not in (Kind.STORED_PAYLOAD.value, Kind.RETRY.value) or not _KEY.match(key):
            return None
        try:
            stored = await self.shared.call(lambda client: client.get(_shared_key(key)))
        except SharedStateDown:
            return None
        return _decode(Kind(prefix), stored)

    async def share(self) -> None:
        """Shares the values kept since the last call; await it before sending their buttons."""
        if self.shared is None or not self._unshared:
            return
        keys, self._unshared = self._unshared, []
        kept = [(key, self._items[key]) for key in keys if key in self._items]

        async def write(client: Any) -> None:
            async with client.pipeline(transaction=False) as pipe:
                for key, value in kept:
                    seconds = SHARED_RETRY_SECONDS if isinstance(value, Request) else SHARED_PAYLOAD_SECONDS
                    pipe.set(_shared_key(key), _encode(value), ex=seconds)
                await pipe.execute()

        try:
            await self.shared.call(write)
        except SharedStateDown:
            pass  # these buttons work on this bridge only

    def _keep(self, value: Any) -> str:
        key = secrets.token_urlsafe(9)
        self._items[key] = value
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        if self.shared is not None:
            self._unshared.append(key)
            del self._unshared[: -self.capacity]
        return key


def _shared_key(key: str) -> str:
    return f"{PREFIX}button:{key}"


def _encode(value: Any) -> str:
    if isinstance(value, Request):
        return json.dumps({"text": value.text, "metadata": value.metadata})
    return json.dumps(value)


def _decode(kind: Kind, stored: str | None) -> Callback | None:
    """The shared value back; None for anything that is not what `_encode` wrote."""
    try:
        value = json.loads(stored) if stored is not None else None
    except ValueError:
        return None
    if kind is Kind.STORED_PAYLOAD and isinstance(value, str) and value:
        return Callback(kind, value)
    if kind is Kind.RETRY and isinstance(value, dict) and isinstance(value.get("text"), str) \
            and isinstance(value.get("metadata"), dict):
        return Callback(kind, Request(value["text"], value["metadata"]))
    return None


def _follow_up(rest: str) -> Callback | None:
    number, _, code = rest.partition(":")
    if not (number.isascii() and number.isdigit() and len(number) < 11) or code not in _FOLLOW_UP_ANSWERS:
        return None
    return Callback(Kind.FOLLOW_UP, (int(number), _FOLLOW_UP_ANSWERS[code]))
