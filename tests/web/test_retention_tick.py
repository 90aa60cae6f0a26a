"""The gateway's background loop runs doemee.retention once a day, on both databases."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from bot.web.alert_mailer import RETENTION_EVERY, RETENTION_FIRST_AFTER, AlertMailer
from doemee.settings import Settings
from doemee.storage.models import SearchLog, SearchLogAggregate
from tests.support.tracker_store import add_conversation, events_per_sender, tracker_store

START = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


def test_the_loop_forgets_idle_conversations_a_while_after_start_up_and_then_daily(database, tmp_path):
    with tracker_store("sqlite", tmp_path) as tracker:
        add_conversation(tracker, "oud", (START - timedelta(days=120)).timestamp())
        add_conversation(tracker, "vers", (START - timedelta(days=2)).timestamp())
        with database.session() as session:
            session.add(SearchLog(interests="groen", municipality_code="0344", created_at=START - timedelta(days=100)))
        now = [START]
        mailer = AlertMailer(lambda: database, Settings(tracker_store_url=tracker), interval_seconds=0,
                             outbox_interval_seconds=0.01, clock=lambda: now[0])

        async def scenario() -> list[int]:
            seen = []
            task = asyncio.create_task(mailer.run_forever())
            while mailer.deliveries < 3:  # running, but retention is not due yet
                await asyncio.sleep(0.01)
            seen.append(mailer.retentions)
            now[0] = START + RETENTION_FIRST_AFTER
            while mailer.retentions < 1:
                await asyncio.sleep(0.01)
            done = mailer.deliveries
            while mailer.deliveries < done + 3:  # the same day: not again
                await asyncio.sleep(0.01)
            seen.append(mailer.retentions)
            now[0] = START + RETENTION_FIRST_AFTER + RETENTION_EVERY
            while mailer.retentions < 2:
                await asyncio.sleep(0.01)
            seen.append(mailer.retentions)
            task.cancel()
            return seen

        assert asyncio.run(asyncio.wait_for(scenario(), timeout=30)) == [0, 1, 2]
        assert events_per_sender(tracker) == {"vers": 1}
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(SearchLog)) == 0
        assert session.scalar(select(func.sum(SearchLogAggregate.searches))) == 1


def test_a_failing_retention_round_leaves_the_loop_running_and_waits_a_day(database):
    unreachable = Settings(tracker_store_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    now = [START]
    mailer = AlertMailer(lambda: database, unreachable, interval_seconds=0, outbox_interval_seconds=0.01,
                         clock=lambda: now[0])
    now[0] = START + RETENTION_FIRST_AFTER

    async def scenario() -> None:
        task = asyncio.create_task(mailer.run_forever())
        while mailer.deliveries < 5:
            await asyncio.sleep(0.01)
        assert not task.done()
        task.cancel()

    asyncio.run(asyncio.wait_for(scenario(), timeout=30))
    assert mailer.retentions == 0 and mailer.retention_due == now[0] + RETENTION_EVERY
