"""Rasa's conversation lock: in Redis when several Rasa instances run, in memory while Redis is away.

The gateway and the Telegram bridge send each conversation to one Rasa
instance (sender affinity), so the lock only matters when a conversation
moves because its instance went down. That is why a Redis outage must not
stop the chat: each call that Redis cannot answer uses the instance's own
memory, and Redis is tried again a few seconds later. Redis 4 (Rasa's pin)
is the client here.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any, Callable, Mapping, Optional
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

SETTING = "DOEMEE_REDIS_URL"
KEY_PREFIX = "doemee"
SOCKET_TIMEOUT_SECONDS = 0.5
RETRY_AFTER_SECONDS = 5.0


def redis_lock_store(url: str) -> RedisLockStore:
    parts = urlsplit(url)
    database = parts.path.strip("/") or "0"
    store = RedisLockStore(
        host=parts.hostname or "localhost", port=parts.port or 6379, db=int(database),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_ssl=parts.scheme == "rediss", key_prefix=KEY_PREFIX, socket_timeout=SOCKET_TIMEOUT_SECONDS,
    )
    store.red.connection_pool.connection_kwargs["socket_connect_timeout"] = SOCKET_TIMEOUT_SECONDS
    return store


class SharedLockStore(LockStore):
    """Redis when DOEMEE_REDIS_URL is set, else memory; memory for any call Redis cannot answer."""

    def __init__(self, endpoint_config: Any = None, environ: Optional[Mapping[str, str]] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        url = (environ if environ is not None else os.environ).get(SETTING, "").strip()
        self.redis = redis_lock_store(url) if url else None
        self.local = InMemoryLockStore()
        self._clock = clock
        self._retry_at = 0.0
        super().__init__()

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        return self._call("get_lock", conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self._call("delete_lock", conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self._call("save_lock", lock)

    def _call(self, name: str, *args: Any) -> Any:
        if self.redis is not None and self._clock() >= self._retry_at:
            try:
                result = getattr(self.redis, name)(*args)
            except RedisError as error:
                if self._retry_at == 0.0:
                    logger.warning("Redis lock store unavailable (%s); using this instance's memory",
                                   type(error).__name__)
                self._retry_at = self._clock() + RETRY_AFTER_SECONDS
            else:
                if self._retry_at:
                    logger.warning("Redis lock store is back")
                    self._retry_at = 0.0
                return result
        return getattr(self.local, name)(*args)
