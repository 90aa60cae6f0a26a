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

import logging
from functools import partial

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.alerts import short_title, sign_up_payload
from bot.telegram.callbacks import CallbackStore
from bot.telegram.config import CHANNEL, sender_id
from bot.telegram.push_loop import Delivery, PushLoop
from doemee import followup, messages
from doemee.followup import Answered, Question
from doemee.storage.models import FollowUpAnswer

log = logging.getLogger(__name__)


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
        [InlineKeyboardButton(messages.NEWS_SIGN_UP.format(title=short_title(m.opportunity.title)),
                              callback_data=store.payload(sign_up_payload(m.opportunity.id)))]
        for m in done.alternatives
    ]
    return done.text, InlineKeyboardMarkup(rows) if rows else None


class FollowUpPusher(PushLoop):
    cycle_name = "follow-up"
    item_name = "follow-up question"

    async def run_once(self, bot: Bot) -> int:
        """Pushes every question due to a Telegram resident; returns how many arrived."""
        now = self.clock()
        due = await self.database.run_sync(lambda session: followup.questions_to_push(session, CHANNEL, now))
        sent = 0
        for pushed in due:
            delivery = await self.deliver(bot, pushed.sender_id, partial(question_message, pushed.question))
            # A chat that blocked the bot keeps its question shown: asking again would not help.
            if delivery is Delivery.RETRY:
                await self.database.run_sync(lambda session, p=pushed: followup.unshow(session, p.question.sign_up_id))
            if delivery is Delivery.SENT:
                sent += 1
        if sent:
            log.info("asked %d follow-up question(s)", sent)
        self.cycles += 1
        return sent

    async def answer(self, bot: Bot, chat_id: int, sign_up_id: int, answer: str) -> None:
        """Takes a pressed answer for this chat's own sign-up and replies."""
        now = self.clock()
        choice = FollowUpAnswer(answer)
        done = await self.database.run_sync(
            lambda session: followup.answer_as(session, CHANNEL, sender_id(chat_id), sign_up_id, choice, now)
        )
        text, markup = answer_message(done, self.store)
        await self.store.share()
        await bot.send_message(chat_id, text, reply_markup=markup)
