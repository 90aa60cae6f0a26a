"""Talks to Rasa's REST channel and turns its answer into what the widget shows.

Only text and buttons pass through: the widget renders nothing else, and
anything else Rasa might send (images, custom JSON) is not checked for
safety anywhere downstream.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

from doemee import messages

log = logging.getLogger("doemee.web.rasa")

MAX_BUTTONS = 12


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with something unusable."""


@dataclass
class RasaClient:
    """One keep-alive connection pool to Rasa for the whole gateway."""

    base_url: str
    timeout: float = 20.0
    client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self.client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 3.0)),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=40, keepalive_expiry=30),
            headers={"Content-Type": "application/json"},
            trust_env=False,
        )

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()

    async def send(self, sender: str, message: str, metadata: dict) -> list[dict]:
        assert self.client is not None, "RasaClient.start() was not awaited"
        try:
            response = await self.client.post(
                "/webhooks/rest/webhook",
                json={"sender": sender, "message": message, "metadata": metadata},
            )
        except httpx.HTTPError as error:
            log.warning("rasa unreachable: %s", type(error).__name__)
            raise RasaUnavailable from error
        if response.status_code != 200:
            log.warning("rasa answered status %s", response.status_code)
            raise RasaUnavailable
        try:
            body = response.json()
        except ValueError as error:
            log.warning("rasa answered non-JSON")
            raise RasaUnavailable from error
        if not isinstance(body, list):
            log.warning("rasa answered a %s instead of a list", type(body).__name__)
            raise RasaUnavailable
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
