"""Two gateways' mail loops against one Redis: each job's round runs on one of them, not on both."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.web.alert_mailer import AlertMailer
from doemee.settings import Settings
from doemee.shared_state import SharedState
from doemee.storage.database import Database


@pytest.fixture(scope="module")
def mail_database(tmp_path_factory) -> Database:
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('leases') / 'doemee.db'}")
    database.migrate()
    return database


def mailers(database: Database, redis_url: str | None) -> list[AlertMailer]:
    settings = Settings(database_url=database.url, redis_url=redis_url)
    return [
        AlertMailer(lambda: database, settings, interval_seconds=0.05, outbox_interval_seconds=0.05,
                    shared=SharedState(redis_url) if redis_url else None)
        for _ in range(2)
    ]


async def rounds_of(pair: list[AlertMailer], total: int) -> None:
    """Runs both loops until `total` outbox rounds have run between them, then stops them."""
    tasks = [asyncio.create_task(mailer.run_forever()) for mailer in pair]
    try:
        async with asyncio.timeout(20):
            while sum(m.deliveries for m in pair) < total:
                await asyncio.sleep(0.02)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_with_one_redis_only_one_gateway_runs_each_round(mail_database, redis_url):
    pair = mailers(mail_database, redis_url)
    await rounds_of(pair, 6)
    assert sorted(m.deliveries for m in pair)[0] == 0
    assert sorted(m.rounds for m in pair)[0] == 0
    assert sorted(m.follow_ups for m in pair)[0] == 0


async def test_a_stopped_holder_hands_its_jobs_over(mail_database, redis_url):
    pair = mailers(mail_database, redis_url)
    await rounds_of(pair, 3)
    holder, other = sorted(pair, key=lambda m: m.deliveries, reverse=True)
    before, started = other.deliveries, time.monotonic()
    await rounds_of([other], before + 3)
    # Released on a clean stop: no waiting out the 10 s lease.
    assert time.monotonic() - started < 5


async def test_without_redis_both_gateways_run_every_round(mail_database):
    pair = mailers(mail_database, None)
    await rounds_of(pair, 8)
    assert all(m.deliveries > 0 for m in pair)
