"""Two Telegram bridges share button state and pusher leases through a real Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from telegram.ext import Application

from bot.telegram.alerts import AlertPusher
from bot.telegram.app import build_application
from bot.telegram.callbacks import CallbackStore
from bot.telegram.config import TelegramConfig
from doemee import messages
from doemee.leases import Lease
from doemee.shared_state import SharedState
from doemee.storage.database import Database
from tests.telegram.conftest import start_polling, stop_polling, with_config
from tests.telegram.rasa_standin import echo

CHAT = 5151
LONG_PAYLOAD = '/sign_up{"opportunity_id":"9876543210","source":"csv","external_id":"buurttuin-2026"}'


@asynccontextmanager
async def bridge(config: TelegramConfig, fake_telegram) -> AsyncIterator[Application]:
    application = build_application(config, with_alerts=False)
    await start_polling(application)
    mark = fake_telegram.mark()
    await fake_telegram.await_for("getUpdates", after=mark)
    try:
        yield application
    finally:
        await stop_polling(application)


async def button_from_first_bridge(config, fake_telegram, rasa) -> str:
    """Callback data of a long-payload button one bridge sent; that bridge is gone afterwards."""
    rasa.responder = lambda body: (200, [{"text": "Kies:", "buttons": [{"title": "Aanmelden", "payload": LONG_PAYLOAD}]}])
    async with bridge(config, fake_telegram):
        mark = fake_telegram.mark()
        fake_telegram.send_text(CHAT, "zoek")
        reply = await fake_telegram.await_message(CHAT, after=mark)
    data = reply.inline_buttons[0]["callback_data"]
    assert data.startswith("k:")
    return data


async def press_on_second_bridge(config, fake_telegram, rasa, data: str) -> str:
    rasa.responder = echo
    async with bridge(config, fake_telegram):
        mark = fake_telegram.mark()
        fake_telegram.press(CHAT, data)
        answer = await fake_telegram.await_message(CHAT, after=mark)
    return answer.params["text"]


async def test_a_button_one_bridge_sent_works_on_another(bot_config, fake_telegram, rasa, redis_url):
    config = with_config(bot_config, redis_url=redis_url)
    data = await button_from_first_bridge(config, fake_telegram, rasa)
    assert await press_on_second_bridge(config, fake_telegram, rasa, data) == f"je zei: {LONG_PAYLOAD}"
    assert rasa.requests[-1]["message"] == LONG_PAYLOAD


async def test_without_redis_the_other_bridge_does_not_know_the_button(bot_config, fake_telegram, rasa):
    data = await button_from_first_bridge(bot_config, fake_telegram, rasa)
    assert await press_on_second_bridge(bot_config, fake_telegram, rasa, data) == messages.TELEGRAM_BUTTON_EXPIRED


async def test_a_retry_button_resends_the_message_from_another_bridge(bot_config, fake_telegram, rasa, redis_url):
    config = with_config(bot_config, redis_url=redis_url)
    rasa.responder = lambda body: (500, {"error": "kapot"})
    async with bridge(config, fake_telegram):
        mark = fake_telegram.mark()
        fake_telegram.send_location(CHAT, 52.0907, 5.1214)
        outage = await fake_telegram.await_message(CHAT, lambda c: bool(c.inline_buttons), after=mark)
    data = outage.inline_buttons[0]["callback_data"]
    assert await press_on_second_bridge(config, fake_telegram, rasa, data) == "je zei: /inform"
    assert rasa.requests[-1]["metadata"]["location"] == {"latitude": 52.0907, "longitude": 5.1214}


async def test_with_redis_stopped_buttons_still_work_on_their_own_bridge(
    bot_config, fake_telegram, rasa, redis_url, redis_server
):
    config = with_config(bot_config, redis_url=redis_url)
    redis_server.stop()
    try:
        rasa.responder = lambda body: (200, [{"text": "Kies:", "buttons": [{"title": "Aanmelden", "payload": LONG_PAYLOAD}]}])
        async with bridge(config, fake_telegram):
            mark = fake_telegram.mark()
            fake_telegram.send_text(CHAT, "zoek")
            reply = await fake_telegram.await_message(CHAT, after=mark)
            rasa.responder = echo
            mark = fake_telegram.mark()
            fake_telegram.press(CHAT, reply.inline_buttons[0]["callback_data"])
            answer = await fake_telegram.await_message(CHAT, after=mark)
        assert answer.params["text"] == f"je zei: {LONG_PAYLOAD}"
    finally:
        redis_server.start()


async def test_a_shared_value_is_kept_for_a_while_and_forged_keys_find_nothing(redis_url):
    shared = SharedState(redis_url)
    first, second = CallbackStore(shared=shared), CallbackStore(shared=SharedState(redis_url))
    data = first.payload(LONG_PAYLOAD)
    await first.share()
    ttl = await shared.call(lambda client: client.ttl(f"doemee:button:{data[2:]}"))
    assert 0 < ttl <= 7 * 24 * 3600
    assert (await second.lookup(data)).value == LONG_PAYLOAD
    for forged in ("k:" + "a" * 200, "k:../../x", "r:" + data[2:], "k:", "k:*"):
        assert await second.lookup(forged) is None, forged
    await shared.aclose()
    await second.shared.aclose()


def pushers(database: Database, redis_url: str | None) -> list[AlertPusher]:
    return [
        AlertPusher(database, CallbackStore(), interval_seconds=0.05,
                    lease=Lease(SharedState(redis_url) if redis_url else None, "telegram-alerts", 10))
        for _ in range(2)
    ]


async def cycles_of(pair: list[AlertPusher], bot, enough: Callable[[], bool]) -> None:
    tasks = [asyncio.create_task(pusher.run_forever(bot)) for pusher in pair]
    try:
        async with asyncio.timeout(20):
            while not enough():
                await asyncio.sleep(0.02)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@pytest.mark.parametrize("with_redis", [True, False])
async def test_of_two_pushers_only_the_lease_holder_runs_a_cycle(bot, bot_database_url, request, with_redis):
    redis_url = request.getfixturevalue("redis_url") if with_redis else None
    pair = pushers(Database(bot_database_url), redis_url)
    await cycles_of(pair, bot.bot, lambda: sum(p.cycles for p in pair) >= 6 and (with_redis or min(p.cycles for p in pair) > 0))
    if with_redis:
        assert min(p.cycles for p in pair) == 0
    else:
        assert min(p.cycles for p in pair) > 0


async def test_a_location_keyboard_one_bridge_showed_is_taken_away_by_another(bot_config, fake_telegram, rasa, redis_url):
    config = with_config(bot_config, redis_url=redis_url)
    rasa.responder = lambda body: (200, [{"text": "Waar woon je?", "custom": {"telegram": {"request_location": True}}}])
    async with bridge(config, fake_telegram):
        mark = fake_telegram.mark()
        fake_telegram.send_text(CHAT, "ik wil helpen")
        await fake_telegram.await_message(CHAT, lambda c: bool(c.keyboard_buttons), after=mark)
    rasa.responder = echo
    async with bridge(config, fake_telegram):
        mark = fake_telegram.mark()
        fake_telegram.send_text(CHAT, "3511")
        reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.reply_markup == {"remove_keyboard": True}
