"""Rasa's replies as Telegram messages: text, inline buttons, photos, a location button.

Everything is sent as plain text (no parse mode), so neither Rasa's texts
nor anything a resident typed that Rasa echoes can inject markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.telegram.callbacks import CallbackStore
from doemee import messages

MAX_TEXT = 4096  # Telegram's limit for one message
MAX_BUTTON_TITLE = 64
MAX_ROW_BUTTONS = 3
MAX_ROW_CHARS = 30  # short titles share a row; long ones get their own
# Questions where sharing a location is an answer, for responses that do
# not say so with `custom: {"telegram": {"request_location": true}}`.
_ASKS_LOCATION = re.compile(r"waar woon je|welke postcode|je postcode|welke plaats|deel je locatie", re.IGNORECASE)
_WEB_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class Outgoing:
    """One message to send; exactly one of `text` and `photo` is set."""

    text: str | None = None
    photo: str | None = None
    inline: InlineKeyboardMarkup | None = None
    request_location: bool = False


def location_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(messages.TELEGRAM_SHARE_LOCATION, request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=messages.TELEGRAM_LOCATION_PLACEHOLDER,
    )


def render(replies: list[dict[str, Any]], store: CallbackStore) -> list[Outgoing]:
    """Telegram messages for Rasa's replies, in order; nothing Rasa said is dropped."""
    out: list[Outgoing] = []
    for reply in replies:
        out.extend(_render_one(reply, store))
    return out


def _render_one(reply: dict[str, Any], store: CallbackStore) -> list[Outgoing]:
    text = reply.get("text") if isinstance(reply.get("text"), str) else None
    text = text.strip() if text else None
    custom = reply.get("custom") if isinstance(reply.get("custom"), dict) else {}
    telegram = custom.get("telegram") if isinstance(custom.get("telegram"), dict) else {}
    if text is None and isinstance(custom.get("text"), str) and custom["text"].strip():
        text = custom["text"].strip()
    wants_location = bool(telegram.get("request_location")) or bool(text and _ASKS_LOCATION.search(text))
    markup = _inline_keyboard(reply.get("buttons"), store)

    result: list[Outgoing] = []
    image = reply.get("image")
    if isinstance(image, str) and _WEB_URL.match(image):
        result.append(Outgoing(photo=image))
    if text is None and markup is not None:
        text = messages.TELEGRAM_CHOOSE
    if text is not None:
        chunks = split_text(text)
        for chunk in chunks[:-1]:
            result.append(Outgoing(text=chunk))
        result.append(Outgoing(text=chunks[-1], inline=markup, request_location=wants_location))
    elif wants_location:
        result.append(Outgoing(text=messages.TELEGRAM_ASK_LOCATION, request_location=True))
    return result


def _inline_keyboard(buttons: Any, store: CallbackStore) -> InlineKeyboardMarkup | None:
    if not isinstance(buttons, list):
        return None
    made: list[InlineKeyboardButton] = []
    for button in buttons:
        if not isinstance(button, dict):
            continue
        title = str(button.get("title") or "").strip()[:MAX_BUTTON_TITLE]
        payload = button.get("payload")
        url = button.get("url")
        if not title:
            continue
        if isinstance(url, str) and _WEB_URL.match(url):
            made.append(InlineKeyboardButton(title, url=url))
        elif isinstance(payload, str) and _WEB_URL.match(payload):
            made.append(InlineKeyboardButton(title, url=payload))
        elif isinstance(payload, str) and payload.strip():
            made.append(InlineKeyboardButton(title, callback_data=store.payload(payload.strip())))
    if not made:
        return None
    return InlineKeyboardMarkup(_rows(made))


def _rows(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    rows: list[list[InlineKeyboardButton]] = []
    row: list[InlineKeyboardButton] = []
    for button in buttons:
        width = sum(len(b.text) for b in row) + len(button.text)
        if row and (len(row) >= MAX_ROW_BUTTONS or width > MAX_ROW_CHARS):
            rows.append(row)
            row = []
        row.append(button)
    if row:
        rows.append(row)
    return rows


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Splits at paragraph or line ends where possible, never past `limit` characters."""
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks.append(rest)
    return [c for c in chunks if c] or [text[:limit]]
