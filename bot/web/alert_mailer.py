"""The gateway's mail loop: the outbox every few seconds, alert rounds every so many, beside the web requests.

Every tick sends what the outbox holds (doemee.outbox_worker): mails that
the chat, the portal and the command line queued with their changes.

The widget cannot push, so the gateway (always running under `make run`)
mails the news of residents who confirmed alerts by email, mails
confirmation links that the action server could not send at once, and
deletes requests nobody confirmed in time (doemee.email_alerts). Each round
also deletes residents' questions the centre handled long enough ago
(doemee.handoff), the one other thing kept only for a while, warns and
closes listings that end (doemee.lifecycle) and follows up sign-ups nobody
answered (doemee.followup). A round
runs in a worker thread, since SMTP blocks. A failing round (database or
mail server down) is logged by error type and the next one tries again.
Two gateways may both run it: every mail is claimed in the database first.
With Redis (DOEMEE_REDIS_URL) each job also has a lease (doemee.leases), so
of N gateways one runs it and the others only wait to take over (retention
too, though running it twice would only find nothing left to do).
With `alert_interval_seconds` 0 only the outbox is sent, and the other way round.
Once a day, the first time ten minutes after start-up, it also deletes idle
conversations and folds old searches into day counts (doemee.retention).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from doemee import followup, lifecycle, retention
from doemee.email_alerts import Round, run_once
from doemee.handoff import delete_old_handled
from doemee.leases import Lease, lease_ttl
from doemee.outbox_worker import Delivered, deliver_due
from doemee.settings import Settings
from doemee.shared_state import SharedState
from doemee.storage.database import Database
from doemee.storage.models import utcnow

log = logging.getLogger(__name__)

# Idle conversations and old searches (doemee.retention): daily, the first time a while after start-up.
RETENTION_EVERY = timedelta(days=1)
RETENTION_FIRST_AFTER = timedelta(minutes=10)


class AlertMailer:
    def __init__(
        self,
        database: Callable[[], Database],
        settings: Settings,
        interval_seconds: float,
        clock: Callable[[], datetime] = utcnow,
        outbox_interval_seconds: float = 0.0,
        shared: SharedState | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.interval_seconds = interval_seconds
        self.outbox_interval_seconds = outbox_interval_seconds
        self.clock = clock
        self.rounds = 0  # finished rounds, so tests can wait for one instead of sleeping
        self.deliveries = 0  # finished outbox rounds, likewise
        self.follow_ups = 0  # finished lifecycle and follow-up rounds, likewise
        self.retentions = 0  # finished retention rounds, likewise
        self.retention_due = clock() + RETENTION_FIRST_AFTER
        self.alert_lease = Lease(shared, "mail-alerts", lease_ttl(interval_seconds))
        self.follow_up_lease = Lease(shared, "lifecycle-follow-up", lease_ttl(interval_seconds))
        self.outbox_lease = Lease(shared, "outbox", lease_ttl(outbox_interval_seconds))
        self.retention_lease = Lease(shared, "retention", lease_ttl(max(interval_seconds, outbox_interval_seconds)))

    async def run_once(self) -> Round:
        done = await asyncio.to_thread(run_once, self.database(), self.settings, self.clock())
        await asyncio.to_thread(self._forget_handled_questions)
        self.rounds += 1
        return done

    def _forget_handled_questions(self) -> None:
        with self.database().session() as session:
            delete_old_handled(session, self.clock())

    async def follow_up_once(self) -> tuple[lifecycle.Round, followup.Round]:
        """Warns and closes ending listings, reminds initiatives and asks residents (both claim, so two gateways may run it)."""
        ended = await asyncio.to_thread(lifecycle.run_once, self.database(), self.settings, self.clock())
        followed = await asyncio.to_thread(followup.run_once, self.database(), self.settings, self.clock())
        self.follow_ups += 1
        return ended, followed

    async def deliver_once(self) -> Delivered:
        done = await asyncio.to_thread(deliver_due, self.database(), self.settings, self.clock())
        self.deliveries += 1
        return done

    async def retention_once(self) -> retention.Outcome:
        """Safe in two gateways at once (doemee.retention); the next one is due a day later, failed or not."""
        self.retention_due = self.clock() + RETENTION_EVERY
        done = await asyncio.to_thread(retention.run, self.database(), self.settings, self.clock())
        self.retentions += 1
        return done

    async def run_forever(self) -> None:
        """Waits first, so a gateway starts serving before it starts mailing."""
        tick = min(t for t in (self.interval_seconds, self.outbox_interval_seconds) if t > 0)
        since_round = since_outbox = 0.0
        try:
            while True:
                await asyncio.sleep(tick)
                since_round += tick
                since_outbox += tick
                if self.interval_seconds > 0 and since_round >= self.interval_seconds:
                    since_round = 0.0
                    if await self.alert_lease.hold():
                        await self._guarded(self.run_once(), "alert mail round")
                    if await self.follow_up_lease.hold():
                        await self._guarded(self.follow_up_once(), "lifecycle and follow-up round")
                if self.outbox_interval_seconds > 0 and since_outbox >= self.outbox_interval_seconds:
                    since_outbox = 0.0
                    if await self.outbox_lease.hold():
                        await self._guarded(self.deliver_once(), "outbox round")
                if self.clock() >= self.retention_due:
                    if await self.retention_lease.hold():
                        await self._guarded(self.retention_once(), "retention round")
                    else:
                        self.retention_due = self.clock() + RETENTION_EVERY  # another gateway runs it
        finally:
            for lease in (self.alert_lease, self.follow_up_lease, self.outbox_lease, self.retention_lease):
                await lease.release()

    @staticmethod
    async def _guarded(work: Awaitable[object], what: str) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the gateway must keep serving while mail fails
            log.error("%s failed (%s)", what, type(error).__name__)
