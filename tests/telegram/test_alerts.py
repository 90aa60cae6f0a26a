"""Alerts end to end: a new opportunity reaches a subscribed resident on Telegram.

The bot runs with its pusher on a 1-second cycle against the fake Bot API
and a real database (SQLite and PostgreSQL); opportunities are published
the way every door does it, through doemee.opportunities.save.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.telegram.alerts import AlertPusher
from bot.telegram.app import build_application
from bot.telegram.config import DEFAULT_ALERT_INTERVAL_SECONDS, TelegramConfig
from doemee import messages
from doemee.alerts import AlertCriteria, subscribe
from doemee.geo.index import get_geo_index
from doemee.opportunities import OpportunityInput, save
from doemee.settings import Settings
from doemee.storage.models import AlertSubscription
from tests.telegram.conftest import start_polling, stop_polling, with_config

CHAT = 5150
SENDER = f"telegram:{CHAT}"
UTRECHT = (52.0907, 5.1214)  # PC4 3511
CRITERIA = AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",))


@pytest.fixture(scope="module")
def geo():
    if not (Settings.from_env().geo_dir / "NL_postal.txt").is_file():
        pytest.skip("GeoNames files not found")
    return get_geo_index()


def publish(database, geo, external_id: str, title: str, category: str = "groen", postcode: str = "3512 AB") -> int:
    item = OpportunityInput(
        external_id=external_id, initiative_name="Buurttuin Lombok", title=title,
        description="Samen de buurttuin bijhouden.", category=category, postcode=postcode,
        time_commitment="wekelijks", contact_email="tuin@example.org",
    )
    with database.session() as session:
        return save(session, geo, item, source="test").id


def subscribe_chat(database, sender: str = SENDER, channel: str = "telegram") -> int:
    with database.session() as session:
        subscription, _ = subscribe(session, channel, sender, CRITERIA)
        return subscription.id


async def cycles_pass(pusher: AlertPusher, count: int, timeout: float = 20.0) -> None:
    """Waits until `count` more full pusher cycles have finished."""
    target = pusher.cycles + count
    deadline = time.monotonic() + timeout
    while pusher.cycles < target:
        assert time.monotonic() < deadline, "the pusher stopped cycling"
        await asyncio.sleep(0.05)


@pytest.fixture
async def alerting_bot(database, bot_config, fake_telegram):
    config = with_config(bot_config, database_url=database.url, alert_interval_seconds=1.0)
    application = build_application(config)
    await start_polling(application)
    await fake_telegram.await_for("getUpdates")
    yield application
    await stop_polling(application)


def _subscriptions(database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(AlertSubscription))


def test_the_pusher_runs_often_enough_to_alert_within_a_minute():
    assert DEFAULT_ALERT_INTERVAL_SECONDS <= 20
    assert TelegramConfig.from_env({"TELEGRAM_BOT_TOKEN": "1:a"}).alert_interval_seconds <= 20


async def test_a_new_matching_opportunity_is_pushed_with_a_stop_button(database, geo, alerting_bot, fake_telegram):
    subscribe_chat(database)
    publish(database, geo, "tuin-1", "Onkruid wieden in de buurttuin")
    alert = await fake_telegram.await_message(CHAT, timeout=20)
    assert "Onkruid wieden in de buurttuin" in alert.params["text"]
    assert "Buurttuin Lombok" in alert.params["text"]
    titles = [b["text"] for b in alert.inline_buttons]
    assert titles[-1] == messages.TELEGRAM_STOP_ALERTS
    assert any(t.startswith("Aanmelden") for t in titles)


async def test_a_second_opportunity_the_same_day_sends_nothing(database, geo, alerting_bot, fake_telegram):
    subscribe_chat(database)
    publish(database, geo, "tuin-1", "Onkruid wieden in de buurttuin")
    await fake_telegram.await_message(CHAT, timeout=20)
    mark = fake_telegram.mark()
    publish(database, geo, "tuin-2", "Bloembollen planten")
    await cycles_pass(alerting_bot.bot_data["pusher"], 3)
    assert fake_telegram.messages_to(CHAT, after=mark) == []


async def test_an_opportunity_that_does_not_match_sends_nothing(database, geo, alerting_bot, fake_telegram):
    subscribe_chat(database)
    publish(database, geo, "sport-1", "Voetbaltrainer gezocht", category="sport")
    publish(database, geo, "ver-weg-1", "Tuinieren in Groningen", postcode="9711")
    await cycles_pass(alerting_bot.bot_data["pusher"], 3)
    assert fake_telegram.messages_to(CHAT) == []


async def test_pressing_stop_removes_the_subscription(database, geo, alerting_bot, fake_telegram, rasa):
    subscribe_chat(database)
    publish(database, geo, "tuin-1", "Onkruid wieden in de buurttuin")
    alert = await fake_telegram.await_message(CHAT, timeout=20)
    stop = alert.inline_buttons[-1]
    mark = fake_telegram.mark()
    fake_telegram.press(CHAT, stop["callback_data"], message_id=1)
    await fake_telegram.await_message(CHAT, after=mark)
    assert rasa.requests[-1]["message"] == "/unsubscribe_alerts"
    assert _subscriptions(database) == 0


async def test_stop_works_even_when_rasa_is_down(database, alerting_bot, fake_telegram, rasa):
    subscribe_chat(database)
    rasa.stop()
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "/stop")
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] == messages.TELEGRAM_ALERTS_STOPPED
    assert _subscriptions(database) == 0


async def test_other_channels_subscriptions_are_left_for_their_channel(database, geo, alerting_bot, fake_telegram):
    subscribe_chat(database, sender="web-browser-1", channel="web")
    publish(database, geo, "tuin-1", "Onkruid wieden in de buurttuin")
    await cycles_pass(alerting_bot.bot_data["pusher"], 3)
    assert fake_telegram.calls_of("sendMessage") == []
    with database.session() as session:
        assert session.scalar(select(AlertSubscription.last_sent_at)) is None


async def test_a_resident_who_blocked_the_bot_is_tried_again_only_the_next_day(database, geo, bot_config, fake_telegram):
    subscribe_chat(database)
    publish(database, geo, "tuin-1", "Onkruid wieden in de buurttuin")
    fake_telegram.blocked_chats.add(CHAT)
    now = datetime.now(timezone.utc) + timedelta(seconds=1)
    application = build_application(with_config(bot_config, database_url=database.url), with_alerts=False)
    async with application:
        pusher = AlertPusher(application.bot_data["pusher"].database, application.bot_data["pusher"].store, clock=lambda: now)
        assert await pusher.run_once(application.bot) == 0
        with database.session() as session:
            assert session.scalar(select(AlertSubscription.last_sent_at)) is not None
        assert await pusher.run_once(application.bot) == 0
    assert len(fake_telegram.calls_of("sendMessage")) == 1
