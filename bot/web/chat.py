"""Checks what a browser posts to /api/chat before any of it reaches Rasa."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot.web.centres import Centre
from doemee import messages

# The widget makes ids like this from 16 random bytes; nothing else is accepted,
# so a page cannot step into another channel's conversations (Telegram's numbers).
SENDER_PATTERN = re.compile(r"^web-[0-9a-f]{32}$")
MAX_BODY_BYTES = 16_384
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ChatRequest:
    sender: str
    message: str
    centre: Centre


@dataclass(frozen=True)
class ChatError:
    status: int
    text: str


def parse_chat_request(body: bytes, centres: dict[str, Centre], max_chars: int) -> ChatRequest | ChatError:
    if len(body) > MAX_BODY_BYTES:
        return ChatError(413, messages.WEB_MESSAGE_TOO_LONG.format(limit=max_chars))
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ChatError(400, messages.WEB_BAD_REQUEST)
    if not isinstance(data, dict):
        return ChatError(400, messages.WEB_BAD_REQUEST)
    sender, message, centre = data.get("sender"), data.get("message"), data.get("centre")
    if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
        return ChatError(400, messages.WEB_BAD_SENDER)
    if not isinstance(message, str):
        return ChatError(400, messages.WEB_BAD_REQUEST)
    message = _CONTROL.sub("", message).strip()
    if not message:
        return ChatError(400, messages.WEB_EMPTY_MESSAGE)
    if len(message) > max_chars:
        return ChatError(413, messages.WEB_MESSAGE_TOO_LONG.format(limit=max_chars))
    if not isinstance(centre, str) or centre not in centres:
        return ChatError(400, messages.WEB_UNKNOWN_CENTRE)
    return ChatRequest(sender=sender, message=message, centre=centres[centre])
