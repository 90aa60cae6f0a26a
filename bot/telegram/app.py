"""Builds DoeMee's Telegram Application: handlers, Dutch commands, the alert and follow-up pushers."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder

from bot.rasa_client import RasaClient
from bot.telegram.alerts import AlertPusher
from bot.telegram.callbacks import CallbackStore
from bot.telegram.config import CHANNEL, TelegramConfig
from bot.telegram.conversation import Relay
from bot.telegram.followup import FollowUpPusher
from bot.telegram.handlers import Handlers
from doemee import messages
from doemee.leases import Lease, lease_ttl
from doemee.settings import Settings
from doemee.shared_state import shared_state
from doemee.storage.database import Database

log = logging.getLogger(__name__)
CONCURRENT_UPDATES = 64  # chats served side by side; one chat's turns stay in order


def build_application(config: TelegramConfig, with_alerts: bool = True) -> Application:
    shared = shared_state(config.redis_url, Settings(secret_key=config.secret_key))
    store = CallbackStore(shared=shared)
    rasa = RasaClient(config.rasa_url, timeout=config.rasa_timeout_seconds, input_channel=CHANNEL)
    database = Database(config.database_url)
    ttl = lease_ttl(config.alert_interval_seconds)
    pusher = AlertPusher(database, store, config.alert_interval_seconds,
                         lease=Lease(shared, "telegram-alerts", ttl))
    follow_up = FollowUpPusher(database, store, config.alert_interval_seconds,
                               lease=Lease(shared, "telegram-follow-up", ttl))
    handlers = Handlers(Relay(rasa, store), store, pusher.stop_for, follow_up.answer)
    tasks: list[asyncio.Task] = []

    async def post_init(application: Application) -> None:
        commands = [BotCommand(name, text) for name, text in messages.TELEGRAM_COMMANDS.items()]
        await application.bot.set_my_commands(commands, language_code="nl")
        await application.bot.set_my_commands(commands)
        if with_alerts:
            tasks.append(asyncio.create_task(pusher.run_forever(application.bot), name="alerts"))
            tasks.append(asyncio.create_task(follow_up.run_forever(application.bot), name="follow-up"))

    async def post_shutdown(application: Application) -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await rasa.aclose()
        if shared is not None:
            await shared.aclose()
        database.dispose()

    application = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(config.api_url)
        .base_file_url(_file_url(config.api_url))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    handlers.install(application)
    application.bot_data["pusher"] = pusher
    application.bot_data["follow_up"] = follow_up
    return application


def _file_url(api_url: str) -> str:
    """Telegram serves files next to the Bot API: .../bot -> .../file/bot."""
    return api_url[: -len("/bot")] + "/file/bot" if api_url.endswith("/bot") else api_url
