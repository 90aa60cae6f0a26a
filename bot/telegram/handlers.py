"""What the bot does with each kind of update: text, location, commands, button presses."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.telegram.callbacks import CallbackStore, Kind
from bot.telegram.conversation import Relay, Request
from doemee import messages

log = logging.getLogger(__name__)

# Commands and the Rasa intent each one stands for. /stop is handled apart.
INTENT_COMMANDS: dict[str, str] = {
    "start": "/greet",
    "help": "/help",
    "vergeetmij": "/forget_me",
    "privacy": "/ask_privacy",
}
STOP_INTENT = "/unsubscribe_alerts"
LOCATION_INTENT = "/inform"

# Ends a chat's alert subscriptions without Rasa; returns how many were removed.
AlertsOff = Callable[[int], Awaitable[int]]
# Takes a follow-up answer (bot, chat id, sign-up id, answer) without Rasa and replies.
FollowUpAnswer = Callable[[Any, int, int, str], Awaitable[None]]


class Handlers:
    def __init__(
        self, relay: Relay, store: CallbackStore, alerts_off: AlertsOff, follow_up: FollowUpAnswer | None = None,
    ) -> None:
        self.relay = relay
        self.store = store
        self.alerts_off = alerts_off
        self.follow_up = follow_up

    def install(self, application: Application) -> None:
        # New messages in private chats; an edit of an old message is not a new turn.
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        for command, intent in INTENT_COMMANDS.items():
            application.add_handler(CommandHandler(command, self._intent_command(intent), filters=private))
        application.add_handler(CommandHandler("stop", self.on_stop, filters=private))
        application.add_handler(MessageHandler(private & filters.LOCATION, self.on_location))
        # Anything starting with "/" is a command, never a Rasa intent typed by hand.
        application.add_handler(MessageHandler(private & filters.Regex(r"^\s*/"), self.on_unknown_command))
        application.add_handler(MessageHandler(private & filters.TEXT, self.on_text))
        application.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, self.on_other))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_error_handler(self.on_error)

    def _intent_command(self, intent: str):
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            await self._ask(update, context, Request(intent))
        return handle

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        text = (update.effective_message.text or "").strip()
        if text:
            await self._ask(update, context, Request(text))

    async def on_location(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        location = update.effective_message.location
        metadata = {"location": {"latitude": location.latitude, "longitude": location.longitude}}
        await self._ask(update, context, Request(LOCATION_INTENT, metadata))

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(messages.TELEGRAM_UNKNOWN_COMMAND)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(messages.TELEGRAM_ONLY_TEXT)

    async def on_stop(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.stop_alerts(update.effective_chat.id, context)

    async def stop_alerts(self, chat_id: int, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Through Rasa, so the dialogue knows and answers; then made certain in the domain.

        Stopping must work every time, also when Rasa or its action server
        is down: a resident who asked to stop and still gets messages has
        every reason to be annoyed. Removing subscriptions twice is harmless.
        """
        bot = context.bot

        async def without_rasa() -> None:
            await self.alerts_off(chat_id)
            await bot.send_message(chat_id, messages.TELEGRAM_ALERTS_STOPPED)

        async def also_directly() -> None:
            await self.alerts_off(chat_id)

        await self.relay.ask(bot, chat_id, Request(STOP_INTENT), context.chat_data, without_rasa, also_directly)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat = update.effective_chat
        callback = await self.store.lookup(query.data)
        try:
            await query.answer()
        except TelegramError as error:
            log.warning("could not answer a button press (%s)", type(error).__name__)
        if chat is None:
            return
        if callback is None:
            await context.bot.send_message(chat.id, messages.TELEGRAM_BUTTON_EXPIRED)
            return
        if callback.kind in (Kind.RETRY, Kind.STOP_ALERTS, Kind.FOLLOW_UP):
            await _remove_buttons(query)
        if callback.kind is Kind.FOLLOW_UP:
            if self.follow_up is None:
                await context.bot.send_message(chat.id, messages.TELEGRAM_BUTTON_EXPIRED)
            else:
                await self.follow_up(context.bot, chat.id, *callback.value)
        elif callback.kind is Kind.STOP_ALERTS:
            await self.stop_alerts(chat.id, context)
        elif callback.kind is Kind.RETRY:
            await self.relay.ask(context.bot, chat.id, callback.value, context.chat_data)
        else:
            await self.relay.ask(context.bot, chat.id, Request(callback.value), context.chat_data)

    async def _ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE, request: Request) -> None:
        await self.relay.ask(context.bot, update.effective_chat.id, request, context.chat_data)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs the kind of error only (updates hold personal data) and tells the resident."""
        log.error("error while handling an update: %s", type(context.error).__name__)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, messages.TELEGRAM_ERROR)
            except TelegramError:
                pass


async def _remove_buttons(query) -> None:
    """A retry or stop button works once; removing it shows it was pressed."""
    if query.message is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=InlineKeyboardMarkup([]))
    except TelegramError as error:
        log.info("could not remove buttons (%s)", type(error).__name__)
