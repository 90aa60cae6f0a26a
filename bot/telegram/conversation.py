"""One chat's turn: the resident's message to Rasa, Rasa's replies back to Telegram.

Turns of one chat run one after another (so replies never cross), turns
of different chats run side by side. Whatever goes wrong on the way to
Rasa, the resident gets a Dutch answer with a retry button, never silence.
Nothing here logs what anyone wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardRemove
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.rasa_client import RasaClient, RasaUnavailable
from bot.telegram.callbacks import CallbackStore, Request
from bot.telegram.config import CHANNEL, sender_id
from bot.telegram.keyboard_state import KeyboardState
from bot.telegram.render import Outgoing, location_keyboard, render
from doemee import messages

log = logging.getLogger(__name__)
TYPING_EVERY_SECONDS = 4.0  # Telegram shows "typing" for about 5 seconds


class Relay:
    def __init__(self, rasa: RasaClient, store: CallbackStore) -> None:
        self.rasa = rasa
        self.store = store
        self.keyboards = KeyboardState(store.shared)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def _lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_id] = lock
        return lock

    async def ask(
        self,
        bot: Bot,
        chat_id: int,
        request: Request,
        chat_data: MutableMapping,
        when_unavailable: Callable[[], Awaitable[None]] | None = None,
        when_answered: Callable[[], Awaitable[None]] | None = None,
    ) -> bool:
        """Sends `request` to Rasa and shows the replies; True when Rasa answered.

        When Rasa cannot answer, `when_unavailable` runs instead of the
        usual apology with a retry button; `when_answered` runs after Rasa
        answered and before the resident sees the answer.
        """
        lock = self._lock(chat_id)
        async with lock:
            try:
                async with typing(bot, chat_id):
                    replies = await self.converse(chat_id, request)
            except RasaUnavailable as error:
                log.warning("rasa unavailable (%s)", error.failure.value)
                if when_unavailable is not None:
                    await when_unavailable()
                else:
                    await self.show_outage(bot, chat_id, request)
                return False
            if when_answered is not None:
                await when_answered()
            await self.show(bot, chat_id, render(replies, self.store), chat_data)
            return True

    async def converse(self, chat_id: int, request: Request) -> list[dict[str, Any]]:
        """Rasa's raw replies; raises RasaUnavailable."""
        metadata = {"channel": CHANNEL, **request.metadata}
        return await self.rasa.post(sender_id(chat_id), request.text, metadata)

    async def show(self, bot: Bot, chat_id: int, outgoing: list[Outgoing], chat_data: MutableMapping) -> None:
        await self.store.share()
        for item in outgoing:
            await self._send(bot, chat_id, item, chat_data)

    async def show_outage(self, bot: Bot, chat_id: int, request: Request) -> None:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(messages.BUTTON_RETRY, callback_data=self.store.retry(request))]]
        )
        await self.store.share()
        await _deliver(bot.send_message(chat_id, messages.TELEGRAM_OUTAGE, reply_markup=markup))

    async def _send(self, bot: Bot, chat_id: int, item: Outgoing, chat_data: MutableMapping) -> None:
        if item.photo is not None:
            await _deliver(bot.send_photo(chat_id, item.photo))
            return
        markup: Any = item.inline
        ask_location_separately = item.request_location and item.inline is not None
        if markup is None and item.request_location:
            markup = location_keyboard()
            await self.keyboards.remember(chat_id, chat_data, True)
        elif markup is None and await self.keyboards.shown(chat_id, chat_data):
            markup = ReplyKeyboardRemove()
            await self.keyboards.remember(chat_id, chat_data, False)
        await _deliver(bot.send_message(chat_id, item.text or "", reply_markup=markup))
        if ask_location_separately:
            await self.keyboards.remember(chat_id, chat_data, True)
            await _deliver(bot.send_message(chat_id, messages.TELEGRAM_ASK_LOCATION, reply_markup=location_keyboard()))


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Shows "typing…" in the chat until the block ends."""

    async def keep_typing() -> None:
        while True:
            with contextlib.suppress(TelegramError):
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            await asyncio.sleep(TYPING_EVERY_SECONDS)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _deliver(sending: Any) -> None:
    """Sends one message; a chat Telegram refuses (blocked bot, gone) is logged, not raised."""
    try:
        await sending
    except TelegramError as error:
        log.warning("telegram refused a message (%s)", type(error).__name__)
