"""The loop the Telegram pushers (alerts, follow-up questions) share.

Both run inside the bot process as a plain asyncio task and send what the
domain says is due; only what is due and what to record after a send
differ. A failing cycle (database down) must never end the loop, and a
chat that blocked the bot must be told apart from a Telegram hiccup, so
that lives here once.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime, timezone
from enum import Enum

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.telegram.callbacks import CallbackStore
from bot.telegram.config import chat_id_of
from doemee.leases import Lease
from doemee.storage.database import Database


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Delivery(Enum):
    SENT = "sent"
    GONE = "gone"  # blocked the bot or the chat is gone: sending again would not help
    RETRY = "retry"  # Telegram did not take it this time


class PushLoop(ABC):
    cycle_name = "push"  # what the logs call one cycle
    item_name = "message"  # what the logs call one sent message

    def __init__(
        self,
        database: Database,
        store: CallbackStore,
        interval_seconds: float = 20.0,
        clock: Callable[[], datetime] = utcnow,
        lease: Lease | None = None,
    ) -> None:
        self.database = database
        self.lease = lease  # with Redis: of several bridges only the holder pushes
        self.store = store
        self.interval_seconds = interval_seconds
        self.clock = clock
        self.cycles = 0  # finished cycles, so tests can wait for one instead of sleeping
        self.log = logging.getLogger(type(self).__module__)

    @abstractmethod
    async def run_once(self, bot: Bot) -> int:
        """Sends what is due now; returns how many were sent."""

    async def run_forever(self, bot: Bot) -> None:
        """One cycle every `interval_seconds`; a failing cycle (database down) never ends the loop."""
        try:
            while True:
                try:
                    if self.lease is None or await self.lease.hold():
                        await self.run_once(bot)
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # the bot must keep chatting while this fails
                    self.log.error("%s cycle failed (%s)", self.cycle_name, type(error).__name__)
                await asyncio.sleep(self.interval_seconds)
        finally:
            if self.lease is not None:
                await self.lease.release()

    async def deliver(
        self, bot: Bot, sender: str, compose: Callable[[], tuple[str, InlineKeyboardMarkup]]
    ) -> Delivery | None:
        """Sends to a Telegram sender; None when the sender is not a Telegram chat."""
        chat_id = chat_id_of(sender)
        if chat_id is None:
            return None
        text, markup = compose()
        await self.store.share()
        try:
            await bot.send_message(chat_id, text, reply_markup=markup)
        except (Forbidden, BadRequest) as error:
            self.log.warning("%s not delivered (%s)", self.item_name, type(error).__name__)
            return Delivery.GONE
        except TelegramError as error:
            self.log.warning("%s not sent, will retry (%s)", self.item_name, type(error).__name__)
            return Delivery.RETRY
        return Delivery.SENT
