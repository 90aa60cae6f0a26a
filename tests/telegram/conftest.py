"""The real bot Application, in-process, against the fake Bot API and a Rasa stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace

import pytest
from telegram import Update
from telegram.ext import Application

from bot.telegram.app import build_application
from bot.telegram.config import TelegramConfig
from doemee.storage.database import Database
from tests.support.fake_telegram import FakeTelegram
from tests.telegram.rasa_standin import RasaStandIn

TOKEN = "123:abc"


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def rasa() -> Iterator[RasaStandIn]:
    standin = RasaStandIn().start()
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def bot_database_url(sqlite_url) -> str:
    """A migrated SQLite database for bot tests that do not look inside it."""
    Database(sqlite_url).migrate()
    return sqlite_url


@pytest.fixture
def bot_config(fake_telegram, rasa, bot_database_url) -> TelegramConfig:
    return TelegramConfig(
        token=TOKEN, rasa_url=rasa.url, database_url=bot_database_url, api_url=fake_telegram.url,
        rasa_timeout_seconds=3.0,
    )


async def start_polling(application: Application) -> None:
    """What run_polling does, without taking over the test's event loop."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
    await application.start()


async def stop_polling(application: Application) -> None:
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)


@pytest.fixture
async def bot(bot_config, fake_telegram) -> AsyncIterator[Application]:
    """The bot, polling; alerts off (tests/telegram/test_alerts.py runs the pusher itself)."""
    application = build_application(bot_config, with_alerts=False)
    await start_polling(application)
    await fake_telegram.await_for("getUpdates")
    yield application
    await stop_polling(application)


def with_config(config: TelegramConfig, **changes) -> TelegramConfig:
    return replace(config, **changes)
