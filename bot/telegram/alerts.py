"""Pushes new matching opportunities to subscribed Telegram residents.

Runs inside the bot process as a plain asyncio task, every 20 seconds, so
a new opportunity reaches its residents within a minute of publication.
`doemee.alerts` decides who is due (at most one message a day, never the
same opportunity twice); this module only sends, with a button that stops
the alerts in one tap, and records what was sent.
"""

from __future__ import annotations

import json
import logging
from functools import partial

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.callbacks import CallbackStore
from bot.telegram.config import CHANNEL, sender_id
from bot.telegram.push_loop import Delivery, PushLoop
from doemee import messages
from doemee.alerts import DueAlert, due_alerts, mark_sent, unsubscribe

log = logging.getLogger(__name__)
# The Rasa message an "Aanmelden" button sends (CONTRACT intent sign_up).
SIGN_UP_INTENT = "/sign_up"
MAX_TITLE_IN_BUTTON = 30


def sign_up_payload(opportunity_id: int) -> str:
    return SIGN_UP_INTENT + json.dumps({"opportunity_id": str(opportunity_id)}, separators=(",", ":"))


def alert_message(alert: DueAlert, store: CallbackStore) -> tuple[str, InlineKeyboardMarkup]:
    """The alert's text and buttons: one "Aanmelden" per match, then "Stop meldingen"."""
    text = messages.telegram_alert(alert.matches)
    rows = [
        [InlineKeyboardButton(
            messages.NEWS_SIGN_UP.format(title=short_title(m.opportunity.title)),
            callback_data=store.payload(sign_up_payload(m.opportunity.id)),
        )]
        for m in alert.matches
    ]
    rows.append([InlineKeyboardButton(messages.TELEGRAM_STOP_ALERTS, callback_data=store.stop_alerts())])
    return text, InlineKeyboardMarkup(rows)


def short_title(title: str) -> str:
    return title if len(title) <= MAX_TITLE_IN_BUTTON else title[: MAX_TITLE_IN_BUTTON - 1].rstrip() + "…"


class AlertPusher(PushLoop):
    cycle_name = "alert"
    item_name = "alert"

    async def run_once(self, bot: Bot) -> int:
        """Sends every due Telegram alert; returns how many were sent."""
        now = self.clock()
        # Only Telegram residents: the widget shows its residents' news when they come back.
        due = await self.database.run_sync(lambda session: due_alerts(session, now, channel=CHANNEL))
        sent = 0
        for alert in due:
            delivery = await self.deliver(bot, alert.sender_id, partial(alert_message, alert, self.store))
            if delivery in (None, Delivery.RETRY):
                continue
            # A chat that blocked the bot waits a day too, instead of being tried every cycle.
            if delivery is Delivery.SENT:
                sent += 1
            await self.database.run_sync(lambda session, a=alert: mark_sent(session, a.subscription_id, now))
        if sent:
            log.info("sent %d alert(s)", sent)
        self.cycles += 1
        return sent

    async def stop_for(self, chat_id: int) -> int:
        """Removes every alert subscription of this chat; returns how many there were."""
        return await self.database.run_sync(lambda session: unsubscribe(session, CHANNEL, sender_id(chat_id)))
