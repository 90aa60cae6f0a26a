"""The one Redis connection of a process, and the rule for when Redis is away.

Several gateways and Telegram bridges share rate limits, button state and
job leases through Redis. Redis is a help, never a dependency: when it does
not answer, every user falls back to what one process can do alone (local
limits, local buttons, running the job) instead of failing the resident.
Timeouts are short and a failure is not retried for a few seconds, so a
dead Redis costs at most one slow call per few seconds, not one per request.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from doemee.email_alerts import signing_key
from doemee.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
PREFIX = "doemee:"
SOCKET_TIMEOUT_SECONDS = 0.3
RETRY_AFTER_SECONDS = 3.0


class SharedStateDown(Exception):
    """Redis did not answer (or is resting after a failure): use the local fallback."""


class SharedState:
    def __init__(
        self,
        url: str,
        secret: str = "",
        timeout_seconds: float = SOCKET_TIMEOUT_SECONDS,
        retry_after_seconds: float = RETRY_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._secret = secret.encode()
        self.timeout_seconds = timeout_seconds
        self.retry_after_seconds = retry_after_seconds
        self._clock = clock
        self._client: redis.Redis | None = None
        self._scripts: dict[str, AsyncScript] = {}
        self._resting_until: float | None = None  # set while Redis counts as down

    @property
    def available(self) -> bool:
        return self._resting_until is None

    def hashed(self, key: str) -> str:
        """Keys name people (addresses, sender ids, chats): Redis only sees a keyed hash, which a list of
        every IPv4 address cannot undo without the deployment's secret key."""
        return hmac.new(self._secret, key.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]

    def client(self) -> redis.Redis:
        """Made on first use, so it belongs to the event loop that uses it."""
        if self._client is None:
            # One quick retry on a fresh connection: after a Redis restart the pooled ones are dead.
            self._client = redis.Redis.from_url(
                self.url, socket_timeout=self.timeout_seconds, socket_connect_timeout=self.timeout_seconds,
                retry=Retry(NoBackoff(), 1), decode_responses=True,
            )
        return self._client

    def script(self, client: redis.Redis, source: str) -> AsyncScript:
        """A Lua script run by its hash (EVALSHA): its text crosses the wire once, not on every call."""
        found = self._scripts.get(source)
        if found is None or found.registered_client is not client:
            found = self._scripts[source] = client.register_script(source)
        return found

    async def call(self, work: Callable[[redis.Redis], Awaitable[T]]) -> T:
        """`work`'s result; raises SharedStateDown when Redis fails now or failed moments ago."""
        if self._resting_until is not None and self._clock() < self._resting_until:
            raise SharedStateDown
        try:
            result = await work(self.client())
        except (RedisError, OSError, asyncio.TimeoutError) as error:
            if self._resting_until is None:
                log.warning("redis unavailable (%s): falling back to local state", type(error).__name__)
            self._resting_until = self._clock() + self.retry_after_seconds
            raise SharedStateDown from None
        if self._resting_until is not None:
            log.warning("redis answers again: shared state resumes")
            self._resting_until = None
        return result

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            try:
                await client.aclose()
            except (RedisError, OSError):
                pass


def shared_state(url: str | None, settings: Settings) -> SharedState | None:
    """None without a URL: the single-process set-up of `make run`.

    Hashes are keyed with DOEMEE_SECRET_KEY, which every instance must share anyway.
    """
    return SharedState(url, signing_key(settings)) if url else None
