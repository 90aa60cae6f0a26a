"""The loopback cluster for the tests: stores owned by the test, services under make run-cluster's supervisor.

PostgreSQL and Redis belong to the test, so it can restart and stop them;
two Rasa instances (each with its action server), the gateway and the
Telegram bridge (against the fake Bot API) run under `make run-cluster`'s
supervisor as a process of their own (tests/support/cluster.py).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bot.rasa_client import rank, rest_urls
from doemee import messages
from doemee.storage.database import Database
from doemee.storage.models import SignUp
from scripts.local_services import PostgresServer, RedisServer
from scripts.run_cluster import setup_database
from scripts.stack import APP_PY, ROOT
from tests.support.fake_telegram import FakeTelegram
from tests.support.processes import Console, SupervisedServices

SEARCH = "ik woon in 3512 en wil iets met ouderen doen"
APOLOGIES = {messages.WEB_RASA_DOWN, messages.WEB_NO_ANSWER}


@dataclass
class Cluster(SupervisedServices):
    process: subprocess.Popen
    console: Console
    postgres: PostgresServer
    redis: RedisServer
    telegram: FakeTelegram
    database: Database
    log_dir: Path
    gateway_url: str
    rasa_urls: list[str]
    action_ports: list[int]
    pids: dict[str, int]

    def home(self, sender: str) -> str:
        """The Rasa service a conversation belongs to, as the gateway and the bridge route it."""
        urls = rest_urls(self.rasa_urls)
        return f"rasa-{urls.index(rank(urls, sender)[0]) + 1}"

    def sender_at(self, service: str) -> str:
        while True:
            sender = "web-" + secrets.token_hex(16)
            if self.home(sender) == service:
                return sender

    def signups(self, contact: str) -> int:
        with self.database.session() as session:
            return session.scalar(select(func.count()).select_from(SignUp).where(SignUp.contact == contact))

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.log_dir.glob("*.log")))


class Resident:
    def __init__(self, cluster: Cluster, sender: str | None = None) -> None:
        self.cluster = cluster
        self.sender = sender or "web-" + secrets.token_hex(16)

    def say(self, text: str, timeout: float = 60) -> httpx.Response:
        body = {"sender": self.sender, "message": text, "centre": "utrecht"}
        return httpx.post(f"{self.cluster.gateway_url}/api/chat", json=body, timeout=timeout, trust_env=False)

    def text(self, message: str) -> str:
        response = self.say(message)
        assert response.status_code == 200, response.text
        said = "\n".join(reply["text"] for reply in response.json())
        assert not APOLOGIES & {reply["text"] for reply in response.json()}, said
        return said

    def search(self) -> list[dict]:
        response = self.say(SEARCH)
        assert response.status_code == 200, response.text
        assert any(b["title"] == "Meer info" for r in response.json() for b in r.get("buttons") or []), response.text
        return response.json()

    def sign_up(self, name: str, contact: str) -> None:
        self.search()
        assert "Hoe heet je?" in self.text("nummer 1")
        assert "e-mailadres" in self.text(name)
        assert name in self.text(contact)
        assert "Gelukt" in self.text("ja")


def texts(response: httpx.Response) -> set[str]:
    return {reply["text"] for reply in response.json()}


@contextmanager
def running_cluster(folder: Path) -> Iterator[Cluster]:
    postgres, redis, telegram = PostgresServer(), RedisServer(), FakeTelegram().start()
    process = None
    try:
        database_url = postgres.start()
        tracker_url = postgres.create_database("rasa")
        redis.start()
        setup_database(database_url)
        process = subprocess.Popen(
            [str(APP_PY), "-m", "tests.support.cluster", str(folder), database_url, tracker_url, redis.url,
             telegram.url],
            cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        console = Console(process)
        started = json.loads(console.wait_for(lambda line: line.startswith("{"), timeout=900)[0])
        telegram.wait_until_polled(timeout=120)
        yield Cluster(process, console, postgres, redis, telegram, Database(database_url), folder / "log", **started)
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=120)
        telegram.stop()
        redis.close()
        postgres.close()
