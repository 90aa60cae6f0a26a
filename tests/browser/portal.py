"""What the portal's browser tests share: a member, a running gateway, logging in, and the checks on each page."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from sqlalchemy.orm import Session

from bot.web.app import create_app
from bot.web.config import GatewayConfig
from doemee import staff
from doemee.settings import Settings
from tests.browser.conftest import serve
from tests.web.conftest import free_port

EMAIL = "sanne@example.org"
PASSWORD = "een lange zin als wachtwoord"
PHONE_WIDTH = 390


@contextmanager
def portal_gateway(database, tmp_path, fill: Callable[[Session], object]) -> Iterator[tuple[str, object]]:
    """A gateway whose database holds one member of Utrecht and what `fill` adds; yields (url, fill's result)."""
    mail = Settings(secret_key="geheim" * 8)
    with database.session() as session:
        invitation = staff.invite(session, EMAIL, "utrecht", False, mail)
        staff.accept_invitation(session, invitation.link.rsplit("/", 1)[1], PASSWORD)
        filled = fill(session)
    config = replace(GatewayConfig(rasa_url=f"http://127.0.0.1:{free_port()}"), database_url=database.url,
                     mail=mail, email_alert_interval_seconds=0)
    with serve(create_app(config)) as url:
        yield url, filled


def log_in(page: Page, url: str) -> None:
    page.goto(f"{url}/portaal")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{url}/portaal/vandaag")


def no_violations(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _png_width(data: bytes) -> int:
    return struct.unpack(">I", data[16:20])[0]


def fits_a_phone(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert max(widths[:2]) <= widths[2] == PHONE_WIDTH, (page.url, widths)
    assert _png_width(page.screenshot(full_page=True)) == PHONE_WIDTH, page.url


@contextmanager
def desktop_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A Dutch desktop page; yields it with the script errors it raises, which a test expects to stay empty."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, errors
    finally:
        context.close()


@contextmanager
def phone_page(browser: Browser) -> Iterator[Page]:
    """A Dutch page as wide as a phone, at one pixel a point so a screenshot's width is the page's."""
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844}, locale="nl-NL", device_scale_factor=1)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
    finally:
        context.close()
