"""The gateway's alert mail sender: one round every so many seconds, beside the web requests.

The widget cannot push, so the gateway (always running under `make run`)
mails the news of residents who confirmed alerts by email, mails
confirmation links that the action server could not send at once, and
deletes requests nobody confirmed in time (doemee.email_alerts). Each round
also deletes residents' questions the centre handled long enough ago
(doemee.handoff), the one other thing kept only for a while. A round
runs in a worker thread, since SMTP blocks. A failing round (database or
mail server down) is logged by error type and the next one tries again.
Two gateways may both run it: every mail is claimed in the database first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from doemee.email_alerts import Round, run_once
from doemee.handoff import delete_old_handled
from doemee.settings import Settings
from doemee.storage.database import Database
from doemee.storage.models import utcnow

log = logging.getLogger(__name__)


class AlertMailer:
    def __init__(
        self,
        database: Callable[[], Database],
        settings: Settings,
        interval_seconds: float,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.database = database
        self.settings = settings
        self.interval_seconds = interval_seconds
        self.clock = clock
        self.rounds = 0  # finished rounds, so tests can wait for one instead of sleeping

    async def run_once(self) -> Round:
        done = await asyncio.to_thread(run_once, self.database(), self.settings, self.clock())
        await asyncio.to_thread(self._forget_handled_questions)
        self.rounds += 1
        return done

    def _forget_handled_questions(self) -> None:
        with self.database().session() as session:
            delete_old_handled(session, self.clock())

    async def run_forever(self) -> None:
        """Waits first, so a gateway starts serving before it starts mailing."""
        while True:
            await asyncio.sleep(self.interval_seconds)
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the gateway must keep serving while mail fails
                log.error("alert mail round failed (%s)", type(error).__name__)
