"""Webhook mode: updates are accepted only with Telegram's secret token."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest

from bot.telegram.app import build_application
from bot.telegram.config import ConfigError, TelegramConfig
from bot.telegram.webhook import SECRET_HEADER, serve_webhook, webhook_server
from scripts.stack import ROOT, free_port
from tests.telegram.conftest import with_config

CHAT = 777
SECRET = "s3cret-Token_for-tests"


def _update(fake, text: str) -> dict:
    return {"update_id": 99, "message": fake.make_message(CHAT, text=text)}


@pytest.fixture
async def webhook(bot_config, fake_telegram):
    port = free_port()
    config = with_config(
        bot_config, webhook_url="https://bot.example.org/telegram/hook", secret_token=SECRET,
        webhook_port=port,
    )
    application = build_application(config, with_alerts=False)
    server = webhook_server(application, config)
    task = asyncio.create_task(serve_webhook(application, config, server))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        for _ in range(200):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    break
            except httpx.HTTPError:
                await asyncio.sleep(0.05)
        yield client
    server.should_exit = True
    await asyncio.wait_for(task, 20)


async def test_the_webhook_is_registered_with_the_secret_token(webhook, fake_telegram):
    call = fake_telegram.calls_of("setWebhook")[-1]
    assert call.params["url"] == "https://bot.example.org/telegram/hook"
    assert call.params["secret_token"] == SECRET


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET + "x"}])
async def test_updates_without_the_right_secret_are_refused(webhook, fake_telegram, rasa, headers):
    response = await webhook.post("/telegram/hook", json=_update(fake_telegram, "hoi"), headers=headers)
    assert response.status_code == 403
    assert rasa.requests == []


async def test_updates_with_the_right_secret_are_answered(webhook, fake_telegram, rasa):
    mark = fake_telegram.mark()
    response = await webhook.post("/telegram/hook", json=_update(fake_telegram, "hoi"), headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] == "je zei: hoi"


async def test_garbage_with_the_right_secret_is_a_bad_request(webhook, rasa):
    response = await webhook.post("/telegram/hook", content=b"{not json", headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400
    assert rasa.requests == []


def test_a_webhook_without_a_configured_secret_gets_a_random_one():
    config = TelegramConfig.from_env({"TELEGRAM_BOT_TOKEN": "1:a", "DOEMEE_TELEGRAM_WEBHOOK_URL": "https://x.example/t"})
    other = TelegramConfig.from_env({"TELEGRAM_BOT_TOKEN": "1:a", "DOEMEE_TELEGRAM_WEBHOOK_URL": "https://x.example/t"})
    assert config.secret_token and len(config.secret_token) >= 32
    assert config.secret_token != other.secret_token
    assert config.webhook_path == "/t"


@pytest.mark.parametrize("env", [
    {},
    {"TELEGRAM_BOT_TOKEN": "1:a", "DOEMEE_TELEGRAM_WEBHOOK_URL": "http://x.example/t"},
    {"TELEGRAM_BOT_TOKEN": "1:a", "DOEMEE_TELEGRAM_SECRET_TOKEN": "met spaties en ü"},
    {"TELEGRAM_BOT_TOKEN": "1:a", "DOEMEE_TELEGRAM_WEBHOOK_PORT": "acht"},
])
def test_bad_settings_are_refused_with_a_reason(env):
    with pytest.raises(ConfigError):
        TelegramConfig.from_env(env)


def test_the_bot_without_a_token_exits_with_one_line_and_no_traceback():
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "bot.telegram"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and "Traceback" not in done.stderr
