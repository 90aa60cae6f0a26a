"""Asks Telegram residents "heeft <initiatief> contact met je opgenomen?" and takes their answer.

Like the alert pusher, a plain asyncio task in the bot process. The
gateway's round (doemee.followup.run_once) decides at day 10 that a
resident is to be asked; this loop pushes the question with three buttons
(ja / nee / niet meer nodig). Each question is claimed in the database
before it is sent and released when Telegram did not take it, so two bots
never both ask. A pressed button goes straight to the domain, not through
Rasa: no intent, no training data. Its data holds the sign-up's id, so the
domain checks that the sign-up belongs to this chat; any other id, forged
or not, gets one friendly Dutch line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.telegram.alerts import sign_up_payload, utcnow
from bot.telegram.callbacks import CallbackStore
from bot.telegram.config import CHANNEL, chat_id_of, sender_id
from doemee import followup, messages
from doemee.followup import Answered, Question
from doemee.storage.database import Database
from doemee.storage.models import FollowUpAnswer

log = logging.getLogger(__name__)
MAX_TITLE_IN_BUTTON = 30


def question_message(question: Question) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        InlineKeyboardButton(label, callback_data=CallbackStore.follow_up(question.sign_up_id, choice.value))
        for choice, label in followup.CHOICES
    ]
    return question.text, InlineKeyboardMarkup([buttons])


def answer_message(done: Answered | None, store: CallbackStore) -> tuple[str, InlineKeyboardMarkup | None]:
    """The reply to a pressed answer: thanks, or the initiative's contact and "Aanmelden" for each alternative."""
    if done is None:
        return messages.FOLLOWUP_UNKNOWN, None
    rows = [
        [InlineKeyboardButton(messages.NEWS_SIGN_UP.format(title=_short(m.opportunity.title)),
                              callback_data=store.payload(sign_up_payload(m.opportunity.id)))]
        for m in done.alternatives
    ]
    return done.text, InlineKeyboardMarkup(rows) if rows else None


def _short(title: str) -> str:
    return title if len(title) <= MAX_TITLE_IN_BUTTON else title[: MAX_TITLE_IN_BUTTON - 1].rstrip() + "…"


class FollowUpPusher:
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
        """Pushes every question due to a Telegram resident; returns how many arrived."""
        now = self.clock()
        due = await self.database.run_sync(lambda session: followup.questions_to_push(session, CHANNEL, now))
        sent = 0
        for pushed in due:
            chat_id = chat_id_of(pushed.sender_id)
            if chat_id is None:
                continue
            text, markup = question_message(pushed.question)
            try:
                await bot.send_message(chat_id, text, reply_markup=markup)
            except (Forbidden, BadRequest) as error:
                # Blocked the bot or the chat is gone: asking again would not help.
                log.warning("follow-up question not delivered (%s)", type(error).__name__)
            except TelegramError as error:
                log.warning("follow-up question not sent, will retry (%s)", type(error).__name__)
                await self.database.run_sync(lambda session, p=pushed: followup.unshow(session, p.question.sign_up_id))
            else:
                sent += 1
        if sent:
            log.info("asked %d follow-up question(s)", sent)
        self.cycles += 1
        return sent

    async def run_forever(self, bot: Bot) -> None:
        while True:
            try:
                await self.run_once(bot)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the bot must keep chatting while this fails
                log.error("follow-up cycle failed (%s)", type(error).__name__)
            await asyncio.sleep(self.interval_seconds)

    async def answer(self, bot: Bot, chat_id: int, sign_up_id: int, answer: str) -> None:
        """Takes a pressed answer for this chat's own sign-up and replies."""
        now = self.clock()
        choice = FollowUpAnswer(answer)
        done = await self.database.run_sync(
            lambda session: followup.answer_as(session, CHANNEL, sender_id(chat_id), sign_up_id, choice, now)
        )
        text, markup = answer_message(done, self.store)
        await bot.send_message(chat_id, text, reply_markup=markup)
