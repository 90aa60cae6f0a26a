"""A small async client for Rasa's REST channel, shared by DoeMee's channels.

Channels need one thing from Rasa: send what a resident said, get the
replies back. Every way that can fail (Rasa down, too slow, an error page,
an empty reply list because the action server is down) becomes one typed
error, so a channel can always answer the resident instead of going quiet.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

import httpx

REST_PATH = "/webhooks/rest/webhook"
DEFAULT_TIMEOUT_SECONDS = 30.0


class Failure(str, Enum):
    UNREACHABLE = "unreachable"  # connection refused, DNS, reset
    TIMEOUT = "timeout"
    SERVER_ERROR = "server_error"  # any non-2xx status
    BAD_REPLY = "bad_reply"  # not a JSON list of messages
    EMPTY = "empty"  # Rasa answered nothing at all


class RasaUnavailable(Exception):
    """Rasa could not give a usable answer; `failure` says how it failed."""

    def __init__(self, failure: Failure, detail: str = "") -> None:
        super().__init__(f"{failure.value}{': ' + detail if detail else ''}")
        self.failure = failure


def rest_url(base_url: str) -> str:
    """Accepts Rasa's base URL or the full REST webhook URL."""
    base = base_url.rstrip("/")
    return base if base.endswith(REST_PATH) else base + REST_PATH


class RasaClient:
    """Posts messages to Rasa's REST channel; one instance per process."""

    def __init__(
        self,
        base_url: str,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        input_channel: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = rest_url(base_url)
        self.input_channel = input_channel
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None

    async def post(
        self, sender: str, message: str, metadata: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Rasa's replies to `message` from `sender`: a non-empty list of message dicts.

        Raises RasaUnavailable when there is no usable answer.
        """
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        if self.input_channel:
            body["input_channel"] = self.input_channel
        try:
            response = await self._client.post(self.url, json=body)
        except httpx.TimeoutException as error:
            raise RasaUnavailable(Failure.TIMEOUT, type(error).__name__) from None
        except httpx.HTTPError as error:
            raise RasaUnavailable(Failure.UNREACHABLE, type(error).__name__) from None
        if response.status_code >= 300:
            raise RasaUnavailable(Failure.SERVER_ERROR, str(response.status_code))
        try:
            replies = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise RasaUnavailable(Failure.BAD_REPLY, "not JSON") from None
        if not isinstance(replies, list) or not all(isinstance(r, dict) for r in replies):
            raise RasaUnavailable(Failure.BAD_REPLY, "not a list of messages")
        if not replies:
            raise RasaUnavailable(Failure.EMPTY)
        return replies

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> "RasaClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
