"""Signed, dated tokens for the one-click links in lifecycle and follow-up mails.

A token carries a small list (ids, a date, an action), never an address.
It is dated by the caller's clock and its age is checked against the
caller's clock too, so tests move time instead of sleeping. Whatever
arrives (cut off, altered, forged, too long, too old) comes back as a
`LinkState`, never an exception.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer

from doemee.email_alerts import signer_at, signing_key
from doemee.settings import Settings
from doemee.storage.models import as_utc

MAX_TOKEN_CHARS = 300


class LinkState(Enum):
    """What a one-click link stands for when it is opened (GET) or used (POST)."""

    OPEN = "open"  # valid: the page asks, the button acts
    DONE = "done"  # done just now
    ALREADY = "already"  # done before, or overtaken by a later change
    EXPIRED = "expired"
    INVALID = "invalid"  # forged, altered, cut off, or for something that is gone


def sign(settings: Settings, salt: str, payload: list[Any], now: datetime) -> str:
    serializer = URLSafeTimedSerializer(signing_key(settings), salt=salt, signer=signer_at(as_utc(now)))
    return serializer.dumps(payload)


def unsign(settings: Settings, salt: str, token: str, now: datetime, valid_for: timedelta) -> list[Any] | LinkState:
    """The payload, or why there is none; the age counts by `now`, not by the machine's clock."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        return LinkState.INVALID
    serializer = URLSafeTimedSerializer(signing_key(settings), salt=salt)
    try:
        value, issued = serializer.loads(token, return_timestamp=True)
    except BadData:
        return LinkState.INVALID
    if not isinstance(value, list):
        return LinkState.INVALID
    if as_utc(now) - as_utc(issued) > valid_for:
        return LinkState.EXPIRED
    return value


def plain_id(value: object) -> int | None:
    """An id from a payload: an int a database can hold, or None."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 2**31 - 1:
        return value
    return None
