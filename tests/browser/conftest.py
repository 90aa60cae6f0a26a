"""Debian's Chromium driven by Playwright, and gateways for it to talk to."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bot.web.app import create_app
from bot.web.config import GatewayConfig
from tests.web.conftest import e2e_stack, free_port, serve  # noqa: F401  (e2e_stack is a fixture)
from tests.web.rasa_peer import rasa_peer, replies

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for the browser tests, gone before other packages run.

    Playwright's sync API keeps an event loop running while it is open, and
    asyncio tests elsewhere cannot start their own loop beside it.
    """
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page plus what went wrong on it: script errors and alert() calls."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Watched(page)
    context.close()


@pytest.fixture
def page(watched: Watched) -> Page:
    return watched.page


def _gateway(**overrides) -> GatewayConfig:
    return replace(GatewayConfig(rasa_url=f"http://127.0.0.1:{free_port()}"), **overrides)


@pytest.fixture
def offline_gateway() -> Iterator[str]:
    """A gateway whose Rasa is down: every message gets the Dutch apology."""
    with serve(create_app(_gateway())) as url:
        yield url


HOSTILE_REPLY = [
    {"text": "Kijk op [de website](https://moestuin.example.org/doe-mee) of https://example.org/info. "
             "Niet op [deze](javascript:alert(1)). <img src=x onerror=alert(1)>",
     "buttons": [{"title": "Aanmelden", "payload": "/sign_up"},
                 {"title": "<b onmouseover=alert(2)>vet</b>", "payload": "<img src=x onerror=alert(3)>"}]},
]


@pytest.fixture
def hostile_gateway() -> Iterator[tuple[str, list[dict]]]:
    """A gateway in front of a Rasa-compatible peer whose replies try to inject HTML."""
    received: list[dict] = []
    with serve(rasa_peer(replies(HOSTILE_REPLY), received)) as rasa:
        with serve(create_app(_gateway(rasa_url=rasa))) as url:
            yield url, received
