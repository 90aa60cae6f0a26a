"""`make run`'s supervisor with the real services: each one killed in turn comes back and serves.

The supervisor runs as its own process (tests/support/supervised.py, the
same `Stack.run` as `make run`) on free ports and a throwaway database
seeded with the demo data, with Telegram against the fake Bot API. Each
test kills one service's whole process group with SIGKILL, checks that the
others serve during the outage and what residents get meanwhile, then that
the service is back. Rasa goes last: it takes a minute to load.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import psutil
import pytest

from doemee import messages
from scripts.stack import APP_PY, ROOT
from tests.support.fake_telegram import FakeTelegram
from tests.support.processes import Console, SupervisedServices, all_gone
from tests.support.stack import has_model, seeded_database

pytestmark = pytest.mark.e2e
CHAT = 4242
SEARCH = "ik woon in 3512 en wil iets met ouderen doen"


@dataclass
class Supervised(SupervisedServices):
    process: subprocess.Popen
    console: Console
    rasa_url: str
    action_health_url: str
    gateway_url: str
    pids: dict[str, int]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture(scope="module")
def supervised(fake, tmp_path_factory) -> Iterator[Supervised]:
    if not has_model():
        pytest.skip("no trained Rasa model in models/ (run `make model`)")
    if (ROOT / ".venv-rasa" / ".installed").exists():
        trained = subprocess.run(["make", "-s", "model"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
        assert trained.returncode == 0, trained.stdout[-2000:] + trained.stderr[-2000:]
    folder = tmp_path_factory.mktemp("supervised")
    seeded_database(folder)
    process = subprocess.Popen(
        [str(APP_PY), "-m", "tests.support.supervised", str(folder), fake.url], cwd=ROOT, stdout=subprocess.PIPE,
        text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        console = Console(process)
        started = json.loads(console.wait_for(lambda line: line.startswith("{"), timeout=600)[0])
        fake.wait_until_polled(timeout=120)
        yield Supervised(process, console, **started)
    finally:
        _stop_after_a_failure(process)


def _stop_after_a_failure(process: subprocess.Popen) -> None:
    """The last test stops the supervisor itself; a SIGKILL here would orphan the services it runs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)


def _rest(supervised: Supervised, text: str) -> list[dict]:
    body = {"sender": f"rest-{secrets.token_hex(8)}", "message": text}
    response = httpx.post(f"{supervised.rasa_url}/webhooks/rest/webhook", json=body, timeout=60, trust_env=False)
    response.raise_for_status()
    return response.json()


def _chat(supervised: Supervised, text: str) -> httpx.Response:
    body = {"sender": "web-" + secrets.token_hex(16), "message": text, "centre": "utrecht"}
    return httpx.post(f"{supervised.gateway_url}/api/chat", json=body, timeout=60, trust_env=False)


def _texts(response: httpx.Response) -> list[str]:
    return [reply["text"] for reply in response.json()]


def _offers(response: httpx.Response) -> bool:
    return any(b["title"] == "Aanmelden" for reply in response.json() for b in reply.get("buttons", []))


def _answered(response: httpx.Response) -> bool:
    apologies = {messages.WEB_RASA_DOWN, messages.WEB_NO_ANSWER}
    return response.status_code == 200 and bool(_texts(response)) and not apologies & set(_texts(response))


def _ok(url: str) -> bool:
    return httpx.get(url, timeout=10, trust_env=False).status_code == 200


def _telegram_says(fake: FakeTelegram, text: str, chat: int = CHAT) -> str:
    mark = fake.mark()
    fake.send_text(chat, text)
    return fake.wait_for_message(chat, after=mark, timeout=90).params["text"]


def test_a_killed_action_server_comes_back_and_meanwhile_residents_get_an_apology(supervised, fake):
    mark = supervised.kill("actions")
    searched = _chat(supervised, SEARCH)
    assert _texts(searched) == [messages.WEB_NO_ANSWER]
    assert _telegram_says(fake, SEARCH) == messages.TELEGRAM_OUTAGE
    assert _rest(supervised, "hallo") and _ok(f"{supervised.gateway_url}/healthz")
    supervised.back("actions", mark, label="De actieserver")
    assert _ok(supervised.action_health_url)
    assert _offers(_chat(supervised, SEARCH))


def test_a_killed_gateway_comes_back_while_rasa_and_the_actions_serve(supervised, fake):
    mark = supervised.kill("gateway")
    assert _rest(supervised, "hallo") and _ok(supervised.action_health_url)
    assert _telegram_says(fake, "hallo") != messages.TELEGRAM_OUTAGE
    supervised.back("gateway", mark, label="De webgateway")
    assert _answered(_chat(supervised, "hallo"))


def test_a_killed_telegram_bot_comes_back_and_answers_what_was_sent_meanwhile(supervised, fake):
    mark = supervised.kill("telegram")
    sent = fake.mark()
    fake.send_text(CHAT + 1, "hallo")
    assert _answered(_chat(supervised, "hallo"))
    supervised.back("telegram", mark, label="De Telegram-bot")
    reply = fake.wait_for_message(CHAT + 1, after=sent, timeout=90)
    assert reply.params["text"].strip() and reply.params["text"] != messages.TELEGRAM_OUTAGE


def test_a_killed_rasa_comes_back_and_meanwhile_both_channels_apologise(supervised, fake):
    mark = supervised.kill("rasa")
    down = _chat(supervised, "hallo")
    assert down.status_code == 503 and _texts(down) == [messages.WEB_RASA_DOWN]
    assert down.json()[0]["buttons"][0]["title"] == messages.BUTTON_RETRY
    assert _telegram_says(fake, "hallo") == messages.TELEGRAM_OUTAGE
    assert _ok(supervised.action_health_url) and _ok(f"{supervised.gateway_url}/healthz")
    supervised.back("rasa", mark, timeout=600, label="Rasa")
    assert _rest(supervised, "hallo")
    assert _offers(_chat(supervised, SEARCH))
    assert _telegram_says(fake, "hallo") != messages.TELEGRAM_OUTAGE


def test_sigterm_stops_the_supervisor_and_every_service(supervised):
    services = [c.pid for c in psutil.Process(supervised.process.pid).children(recursive=True)]
    supervised.process.send_signal(signal.SIGTERM)
    assert supervised.process.wait(timeout=60) == 0
    assert all_gone(services)
