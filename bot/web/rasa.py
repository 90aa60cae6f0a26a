"""Talks to Rasa's REST channel and turns its answer into what the widget shows.

Only text and buttons pass through: the widget renders nothing else, and
anything else Rasa might send (images, custom JSON) is not checked for
safety anywhere downstream.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot import rasa_client
from doemee import messages

log = logging.getLogger("doemee.web.rasa")

MAX_BUTTONS = 12


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with something unusable."""


@dataclass
class RasaClient:
    """The gateway's side of bot.rasa_client: one pool for every Rasa instance, each sender on its own."""

    base_url: str
    timeout: float = 20.0
    shared: rasa_client.RasaClient | None = None

    async def start(self) -> None:
        self.shared = rasa_client.RasaClient(self.base_url, timeout=self.timeout)

    async def close(self) -> None:
        if self.shared is not None:
            await self.shared.aclose()

    async def send(self, sender: str, message: str, metadata: dict) -> list[dict]:
        """The widget's replies; an empty list when Rasa answered nothing (the action server is down)."""
        assert self.shared is not None, "RasaClient.start() was not awaited"
        try:
            body = await self.shared.post(sender, message, metadata)
        except rasa_client.RasaUnavailable as error:
            if error.failure is rasa_client.Failure.EMPTY:
                return []
            log.warning("rasa unavailable: %s", error.failure.value)
            raise RasaUnavailable from None
        return clean_replies(body)


def clean_replies(body: list) -> list[dict]:
    """Keeps each reply's text and well-formed buttons, drops the rest."""
    replies = []
    for item in body:
        if not isinstance(item, dict):
            continue
        reply: dict = {}
        text = item.get("text")
        if isinstance(text, str) and text.strip():
            reply["text"] = text
        buttons = [
            {"title": b["title"], "payload": b["payload"]}
            for b in item.get("buttons") or []
            if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
            and b["title"].strip() and b["payload"].strip()
        ][:MAX_BUTTONS]
        if buttons:
            reply["buttons"] = buttons
        if reply:
            reply.setdefault("text", "")
            replies.append(reply)
    return replies


def apology(text: str, retry_message: str) -> list[dict]:
    """A bot message that says sorry and offers to send the same message again."""
    return [{"text": text, "buttons": [{"title": messages.BUTTON_RETRY, "payload": retry_message}]}]
