"""Pushes new matching opportunities to subscribed Telegram residents.

Runs inside the bot process as a plain asyncio task, every 20 seconds, so
a new opportunity reaches its residents within a minute of publication.
`doemee.alerts` decides who is due (at most one message a day, never the
same opportunity twice); this module only sends, with a button that stops
the alerts in one tap, and records what was sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime, timezone

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.telegram.callbacks import CallbackStore
from bot.telegram.config import CHANNEL, chat_id_of, sender_id
from doemee import messages
from doemee.alerts import DueAlert, due_alerts, mark_sent, unsubscribe
from doemee.storage.database import Database

log = logging.getLogger(__name__)
# The Rasa message an "Aanmelden" button sends (CONTRACT intent sign_up).
SIGN_UP_INTENT = "/sign_up"
MAX_TITLE_IN_BUTTON = 30


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def sign_up_payload(opportunity_id: int) -> str:
    return SIGN_UP_INTENT + json.dumps({"opportunity_id": str(opportunity_id)}, separators=(",", ":"))


def alert_message(alert: DueAlert, store: CallbackStore) -> tuple[str, InlineKeyboardMarkup]:
    """The alert's text and buttons: one "Aanmelden" per match, then "Stop meldingen"."""
    text = messages.telegram_alert(alert.matches)
    rows = [
        [InlineKeyboardButton(
            messages.NEWS_SIGN_UP.format(title=_short(m.opportunity.title)),
            callback_data=store.payload(sign_up_payload(m.opportunity.id)),
        )]
        for m in alert.matches
    ]
    rows.append([InlineKeyboardButton(messages.TELEGRAM_STOP_ALERTS, callback_data=store.stop_alerts())])
    return text, InlineKeyboardMarkup(rows)


def _short(title: str) -> str:
    return title if len(title) <= MAX_TITLE_IN_BUTTON else title[: MAX_TITLE_IN_BUTTON - 1].rstrip() + "…"


class AlertPusher:
    def __init__(
        self,
        database: Database,
        store: CallbackStore,
        interval_seconds: float = 20.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.database = database
        self.store = store
        self.interval_seconds = interval_seconds
        self.clock = clock
        self.cycles = 0  # finished cycles, so tests can wait for one instead of sleeping

    async def run_once(self, bot: Bot) -> int:
        """Sends every due Telegram alert; returns how many were sent."""
        now = self.clock()
        # Only Telegram residents: the widget shows its residents' news when they come back.
        due = await self.database.run_sync(lambda session: due_alerts(session, now, channel=CHANNEL))
        sent = 0
        for alert in due:
            chat_id = chat_id_of(alert.sender_id)
            if chat_id is None:
                continue
            text, markup = alert_message(alert, self.store)
            try:
                await bot.send_message(chat_id, text, reply_markup=markup)
            except (Forbidden, BadRequest) as error:
                # Blocked the bot or the chat is gone: wait a day instead of trying every cycle.
                log.warning("alert not delivered (%s)", type(error).__name__)
            except TelegramError as error:
                log.warning("alert not sent, will retry (%s)", type(error).__name__)
                continue
            else:
                sent += 1
            await self.database.run_sync(lambda session, a=alert: mark_sent(session, a.subscription_id, now))
        if sent:
            log.info("sent %d alert(s)", sent)
        self.cycles += 1
        return sent

    async def run_forever(self, bot: Bot) -> None:
        """One cycle every `interval_seconds`; a failing cycle (database down) never ends the loop."""
        while True:
            try:
                await self.run_once(bot)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the bot must keep chatting while alerts fail
                log.error("alert cycle failed (%s)", type(error).__name__)
            await asyncio.sleep(self.interval_seconds)

    async def stop_for(self, chat_id: int) -> int:
        """Removes every alert subscription of this chat; returns how many there were."""
        return await self.database.run_sync(lambda session: unsubscribe(session, CHANNEL, sender_id(chat_id)))
