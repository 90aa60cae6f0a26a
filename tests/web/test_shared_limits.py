"""Several gateways share their rate limits through a real Redis, and keep limiting locally when it is gone."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis

from tests.web.conftest import SENDER, chat_body, serve
from tests.web.rasa_peer import rasa_peer, replies


@pytest.fixture
def rasa() -> Iterator[str]:
    with serve(rasa_peer(replies([{"recipient_id": SENDER, "text": "Hoi!"}]), [])) as url:
        yield url


@pytest.fixture
def redis_back(redis_server) -> Iterator[None]:
    """Whatever a test did to Redis, the next test finds it running."""
    yield
    if redis_server.process is None:
        redis_server.start()


def chat(client, url: str, sender: str = SENDER) -> int:
    return client.post(f"{url}/api/chat", json=chat_body(sender=sender)).status_code


def test_hits_spread_over_two_gateways_count_against_one_limit(make_gateway, client, rasa, redis_url):
    first, second = (make_gateway(rasa_url=rasa, rate_per_sender=4, redis_url=redis_url) for _ in range(2))
    statuses = [chat(client, url) for url in (first, second, first, second)]
    assert statuses == [200] * 4
    assert chat(client, first) == 429
    assert chat(client, second) == 429


def test_without_redis_each_gateway_counts_alone(make_gateway, client, rasa):
    first, second = (make_gateway(rasa_url=rasa, rate_per_sender=2) for _ in range(2))
    assert [chat(client, url) for url in (first, second, first, second)] == [200] * 4
    assert chat(client, first) == 429


def test_redis_sees_no_address_or_sender_and_forgets_idle_buckets(make_gateway, client, rasa, redis_url):
    url = make_gateway(rasa_url=rasa, rate_per_sender=4, redis_url=redis_url)
    assert chat(client, url) == 200
    store = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = store.keys("*")
    assert len(keys) == 2  # one bucket per address, one per sender
    assert not any("127.0.0.1" in key or SENDER in key for key in keys)
    assert all(0 < store.pttl(key) <= 61_000 for key in keys)
    store.close()


def test_a_retry_after_comes_from_the_shared_bucket(make_gateway, client, rasa, redis_url):
    first, second = (make_gateway(rasa_url=rasa, rate_per_sender=2, redis_url=redis_url) for _ in range(2))
    chat(client, first), chat(client, first)
    refused = client.post(f"{second}/api/chat", json=chat_body())
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 30


def test_with_redis_stopped_the_chat_keeps_answering_with_local_limits(
    make_gateway, client, rasa, redis_url, redis_server, redis_back, caplog
):
    first, second = (make_gateway(rasa_url=rasa, rate_per_sender=3, redis_url=redis_url) for _ in range(2))
    assert chat(client, first) == 200
    redis_server.stop()
    started = time.monotonic()
    statuses = [chat(client, first) for _ in range(4)]
    elapsed = time.monotonic() - started
    # Local buckets start full: three answers, then this gateway's own limit.
    assert statuses == [200, 200, 200, 429]
    assert chat(client, second) == 200
    assert elapsed < 2.0
    switches = [r.getMessage() for r in caplog.records if "redis unavailable" in r.getMessage()]
    assert len(switches) == 2  # once per gateway, not once per request
    assert not any(SENDER in text or "127.0.0.1" in text for text in switches)


def test_when_redis_returns_the_limits_are_shared_again(make_gateway, client, rasa, redis_url, redis_server, redis_back):
    first, second = (make_gateway(rasa_url=rasa, rate_per_sender=3, rate_per_ip=10_000, redis_url=redis_url)
                     for _ in range(2))
    redis_server.stop()
    assert chat(client, first) == 200
    assert chat(client, second) == 200
    redis_server.start()
    deadline = time.monotonic() + 15
    other = "web-" + "e" * 32
    # Each gateway tries Redis again a few seconds after its failure; a fresh sender shows when both do.
    while True:
        statuses = [chat(client, url, other) for url in (first, second, first)]
        if statuses == [200, 200, 200] and chat(client, second, other) == 429:
            break
        assert time.monotonic() < deadline, "the limits never became shared again"
        time.sleep(0.2)
        other = "web-" + format(int(other[4:], 16) + 1, "032x")
