"""In-memory token buckets: a burst is fine, a flood is not.

One gateway process holds the buckets, which is enough for one widget
server; a restart forgets them, which only ever errs on the kind side.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


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
