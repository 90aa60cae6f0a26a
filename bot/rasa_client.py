"""A small async client for Rasa's REST channel, shared by DoeMee's channels.

Channels need one thing from Rasa: send what a resident said, get the
replies back. Every way that can fail (Rasa down, too slow, an error page,
an empty reply list because the action server is down) becomes one typed
error, so a channel can always answer the resident instead of going quiet.

With several Rasa instances, each conversation goes to one of them, chosen
by a stable hash of its sender (rendezvous hashing: adding or removing an
instance moves only that instance's share). Affinity comes first because
Rasa open source's Redis lock store races between replicas (rasa#9213). A
message that could not even connect is sent to the sender's next instance,
and the instance is passed over for a few seconds; the conversation goes
on there from the shared tracker store. A message that may have reached
Rasa is never sent twice: it could sign someone up twice.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

import httpx

REST_PATH = "/webhooks/rest/webhook"
DEFAULT_TIMEOUT_SECONDS = 30.0
CONNECT_TIMEOUT_SECONDS = 3.0
# How long an instance that refused a connection is passed over before its conversations return.
PASS_OVER_SECONDS = 5.0


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
    base = base_url.strip().rstrip("/")
    return base if base.endswith(REST_PATH) else base + REST_PATH


def rest_urls(base_urls: str | Sequence[str]) -> list[str]:
    """One URL, a comma-separated list (DOEMEE_RASA_URL), or a sequence; duplicates once."""
    parts = base_urls.split(",") if isinstance(base_urls, str) else list(base_urls)
    urls = list(dict.fromkeys(rest_url(part) for part in parts if part.strip()))
    if not urls:
        raise ValueError("no Rasa URL given")
    return urls


def _weight(url: str, sender: str) -> bytes:
    return hashlib.blake2b(f"{url}\n{sender}".encode("utf-8", "surrogatepass"), digest_size=8).digest()


def rank(urls: Sequence[str], sender: str) -> list[str]:
    """The instances in the order `sender` tries them when all are up: its own first."""
    return sorted(urls, key=lambda url: _weight(url, sender), reverse=True)


class RasaClient:
    """Posts messages to Rasa's REST channel; one instance per process."""

    def __init__(
        self,
        base_url: str | Sequence[str],
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        input_channel: str | None = None,
        client: httpx.AsyncClient | None = None,
        pass_over_seconds: float = PASS_OVER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.urls = rest_urls(base_url)
        self.input_channel = input_channel
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT_SECONDS)),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=40, keepalive_expiry=30),
            trust_env=False,
        )
        self._owns_client = client is None
        self._pass_over_seconds = pass_over_seconds
        self._clock = clock
        self._down_until: dict[str, float] = {}

    @property
    def url(self) -> str:
        return self.urls[0]

    def route(self, sender: str) -> list[str]:
        """The instances to try for `sender`, in order: its own first, unless it failed a moment ago."""
        ranked = rank(self.urls, sender)
        now = self._clock()
        up = [url for url in ranked if self._down_until.get(url, 0.0) <= now]
        return up + [url for url in ranked if url not in up]

    def _pass_over(self, url: str) -> None:
        self._down_until[url] = self._clock() + self._pass_over_seconds

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
        response = await self._deliver(sender, body)
        if response.status_code >= 300:
            raise RasaUnavailable(Failure.SERVER_ERROR, str(response.status_code))
        try:
            replies = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise RasaUnavailable(Failure.BAD_REPLY, "not JSON") from None
        if not isinstance(replies, list):
            raise RasaUnavailable(Failure.BAD_REPLY, "not a list of messages")
        if not replies:
            raise RasaUnavailable(Failure.EMPTY)
        # The channels render messages only; anything else in the list is dropped.
        messages = [reply for reply in replies if isinstance(reply, dict)]
        if not messages:
            raise RasaUnavailable(Failure.BAD_REPLY, "not a list of messages")
        return messages

    async def _deliver(self, sender: str, body: dict[str, Any]) -> httpx.Response:
        refused: RasaUnavailable | None = None
        for url in self.route(sender):
            try:
                return await self._client.post(url, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                # Never reached Rasa: safe to send to the next instance.
                self._pass_over(url)
                refused = RasaUnavailable(Failure.UNREACHABLE, type(error).__name__)
            except httpx.TimeoutException as error:
                raise RasaUnavailable(Failure.TIMEOUT, type(error).__name__) from None
            except httpx.HTTPError as error:
                # Sent, then the connection broke: the instance may have handled it, so no second try.
                self._pass_over(url)
                raise RasaUnavailable(Failure.UNREACHABLE, type(error).__name__) from None
        assert refused is not None
        raise refused

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> "RasaClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
