"""Token buckets: a burst is fine, a flood is not.

`RateLimiter` holds the buckets in one process, which is enough for one
gateway; a restart forgets them, which only ever errs on the kind side.
`SharedRateLimiter` keeps them in Redis when several gateways serve.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from doemee.shared_state import PREFIX, SharedState, SharedStateDown


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allows `per_minute` hits per key, refilled evenly, with that as the burst.

    Idle buckets are dropped once there are many, so random keys cannot
    grow memory without bound.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_keys: int = 50_000) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    def allow(self, key: str) -> bool:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        else:
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return True
        return False

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` has a token again."""
        bucket = self._buckets.get(key)
        if bucket is None or bucket.tokens >= 1.0 or self.rate <= 0:
            return 0
        return max(1, int((1.0 - bucket.tokens) / self.rate + 0.999))

    def _prune(self, now: float) -> None:
        full_after = self.capacity / self.rate if self.rate > 0 else float("inf")
        idle = [key for key, b in self._buckets.items() if now - b.updated >= full_after]
        for key in idle:
            del self._buckets[key]
        if len(self._buckets) >= self._max_keys:
            oldest = sorted(self._buckets, key=lambda k: self._buckets[k].updated)
            for key in oldest[: len(oldest) // 2]:
                del self._buckets[key]


# One token bucket per key in a Redis hash, refilled from Redis's own clock so
# gateways with drifting clocks agree; a bucket left alone expires once full again.
_TAKE = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local take = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(stored[1])
if tokens == nil then
  tokens = capacity
else
  tokens = math.min(capacity, tokens + math.max(0, now - tonumber(stored[2])) * rate)
end
local allowed = 0
if take == 1 and tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
if take == 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
end
local wait = 0
if tokens < 1 then
  wait = math.max(1, math.ceil((1 - tokens) / rate - 0.001))
end
return {allowed, wait}
"""


class SharedRateLimiter:
    """RateLimiter's buckets, shared by every gateway through Redis; local ones while Redis is away.

    Async, because every caller is an async handler: a Redis round trip then
    never blocks the event loop. Without `shared` (DOEMEE_REDIS_URL unset)
    it is the local limiter alone, as under `make run`.
    """

    def __init__(self, per_minute: int, name: str, shared: SharedState | None = None) -> None:
        self.local = RateLimiter(per_minute)
        self.name = name
        self.shared = shared if per_minute > 0 else None

    async def allow(self, key: str) -> bool:
        found = await self._ask(key, take=True)
        return self.local.allow(key) if found is None else found[0] == 1

    async def retry_after(self, key: str) -> int:
        """Whole seconds until `key` has a token again; asked after a refusal, so at least 1."""
        found = await self._ask(key, take=False)
        return max(1, self.local.retry_after(key) if found is None else int(found[1]))

    async def _ask(self, key: str, take: bool) -> list[int] | None:
        if self.shared is None:
            return None
        redis_key = f"{PREFIX}rate:{self.name}:{self.shared.hashed(key)}"
        args = (self.local.capacity, self.local.rate, 1 if take else 0)
        try:
            shared = self.shared
            return await shared.call(lambda client: shared.script(client, _TAKE)(keys=[redis_key], args=args))
        except SharedStateDown:
            return None
