"""Rasa's conversation lock in a real Redis, shared by instances, and in memory while Redis is away."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import read_endpoint_config

from rasa_addons.lock_store import RETRY_AFTER_SECONDS, SharedLockStore
from tests.support.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server():
    redis = RedisServer()
    redis.start()
    yield redis
    redis.close()


@pytest.fixture
def url(server) -> str:
    if server.process is None:
        server.start()
    return server.url


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_two_instances_see_one_lock_in_redis(url):
    first, second = SharedLockStore(environ={"DOEMEE_REDIS_URL": url}), SharedLockStore(environ={"DOEMEE_REDIS_URL": url})
    assert isinstance(first.redis, RedisLockStore)
    ticket = first.issue_ticket("web-abc")
    assert second.get_lock("web-abc") is not None and second.get_lock("web-abc").is_locked(ticket + 1)
    first.cleanup("web-abc", ticket)
    assert second.get_lock("web-abc") is None


def test_a_second_message_waits_for_the_first_across_instances(url):
    first, second = SharedLockStore(environ={"DOEMEE_REDIS_URL": url}), SharedLockStore(environ={"DOEMEE_REDIS_URL": url})
    order = []

    async def handle(store, name, hold):
        async with store.lock("web-order", wait_time_in_seconds=0.02):
            order.append(f"{name} in")
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    async def both():
        task = asyncio.create_task(handle(first, "one", 0.3))
        await asyncio.sleep(0.05)
        await handle(second, "two", 0)
        await task

    asyncio.run(both())
    assert order == ["one in", "one out", "two in", "two out"]


def test_without_a_redis_url_the_lock_lives_in_memory():
    store = SharedLockStore(environ={})
    assert store.redis is None
    ticket = store.issue_ticket("web-x")
    assert store.local.get_lock("web-x") is not None
    store.cleanup("web-x", ticket)


def test_while_redis_is_away_the_lock_falls_back_to_memory_quickly_and_redis_is_used_again_after(server, url):
    clock = Clock()
    store = SharedLockStore(environ={"DOEMEE_REDIS_URL": url}, clock=clock)
    server.stop()
    try:
        started = time.monotonic()
        ticket = store.issue_ticket("web-away")
        assert time.monotonic() - started < 2
        assert store.local.get_lock("web-away") is not None
        store.cleanup("web-away", ticket)
    finally:
        server.start()
    store.save_lock(store.create_lock("web-back"))
    assert store.local.get_lock("web-back") is not None, "Redis is not tried again before the pause ends"
    clock.now += RETRY_AFTER_SECONDS
    store.save_lock(store.create_lock("web-back-2"))
    assert store.redis.get_lock("web-back-2") is not None


def test_endpoints_yml_names_this_lock_store(monkeypatch, url):
    monkeypatch.setenv("DOEMEE_REDIS_URL", url)
    monkeypatch.setenv("DOEMEE_ACTION_URL", "http://127.0.0.1:1/webhook")
    monkeypatch.setenv("DOEMEE_TRACKER_STORE_URL", "sqlite:///unused.db")
    store = LockStore.create(read_endpoint_config(str(ROOT / "endpoints.yml"), "lock_store"))
    assert isinstance(store, SharedLockStore) and store.redis is not None
    monkeypatch.setenv("DOEMEE_REDIS_URL", "")
    store = LockStore.create(read_endpoint_config(str(ROOT / "endpoints.yml"), "lock_store"))
    assert isinstance(store, SharedLockStore) and store.redis is None
    assert isinstance(store.local, InMemoryLockStore)
