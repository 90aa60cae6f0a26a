"""The token bucket behind the 429s: bursts pass, floods do not, time heals."""

from __future__ import annotations

from bot.web.ratelimit import RateLimiter


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_the_limit_passes_and_the_next_is_refused():
    limiter = RateLimiter(20, clock=Clock())
    assert all(limiter.allow("a") for _ in range(20))
    assert not limiter.allow("a")


def test_tokens_come_back_evenly_over_the_minute():
    clock = Clock()
    limiter = RateLimiter(20, clock=clock)
    for _ in range(20):
        limiter.allow("a")
    assert limiter.retry_after("a") == 3
    clock.now += 3.0
    assert limiter.allow("a")
    assert not limiter.allow("a")


def test_keys_do_not_share_a_bucket():
    limiter = RateLimiter(1, clock=Clock())
    assert limiter.allow("a")
    assert limiter.allow("b")
    assert not limiter.allow("a")


def test_many_random_keys_cannot_grow_memory_without_bound():
    clock = Clock()
    limiter = RateLimiter(20, clock=clock, max_keys=100)
    for i in range(1000):
        clock.now += 0.001
        limiter.allow(f"k{i}")
    assert len(limiter._buckets) <= 100
