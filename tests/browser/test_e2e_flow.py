"""A resident's whole visit in Chromium against the real stack: search, sign up, come back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from doemee import messages
from scripts.stack import ROOT
from tests.browser.widget import choose, dialog, last_bot_text, launcher, log, open_demo, send

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

SCREENSHOT = ROOT / "docs" / "widget.png"
MAX_SCREENSHOT_BYTES = 300_000
SIGN_UP = messages.BUTTON_SIGN_UP


def _save_screenshot(page, path: Path) -> None:
    """The README's picture: the demo site with the widget showing results."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    if path.stat().st_size > MAX_SCREENSHOT_BYTES:
        box = dialog(page).bounding_box()
        page.screenshot(path=str(path), clip={"x": max(box["x"] - 40, 0), "y": 0,
                                              "width": box["width"] + 80, "height": page.viewport_size["height"]})
    assert path.stat().st_size < MAX_SCREENSHOT_BYTES


def _finish_sign_up(page) -> str:
    """Answers what the sign-up asks (name, contact, consent) until it confirms."""
    for _ in range(8):
        done = log(page).locator(".dm-bot .dm-bubble", has_text=re.compile("^Gelukt"))
        if done.count():
            return done.last.inner_text()
        text = last_bot_text(page)
        buttons = log(page).locator(".dm-msg").last.get_by_role("button")
        if buttons.filter(has_text=re.compile(f"^{messages.BUTTON_YES}$")).count():
            choose(page, messages.BUTTON_YES)
        elif re.search(r"e-?mail|telefoon", text, re.I):
            send(page, "sanne.test@example.org")
        elif re.search(r"naam|heet je", text, re.I):
            send(page, "Sanne")
        else:
            pytest.fail(f"unexpected question during sign-up: {text!r}")
    pytest.fail(f"sign-up did not finish; last answer: {last_bot_text(page)!r}")


def test_a_resident_finds_garden_work_signs_up_and_finds_it_again_after_a_reload(browser, e2e_stack):
    context = browser.new_context(viewport={"width": 1100, "height": 760}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_demo(page, e2e_stack.gateway_url)
        launcher(page).click()
        send(page, "ik wil helpen met tuinieren in 3511")
        results = log(page).get_by_role("button", name=SIGN_UP, exact=True)
        assert results.count() >= 1, last_bot_text(page)
        _save_screenshot(page, SCREENSHOT)

        choose(page, SIGN_UP)
        confirmation = _finish_sign_up(page)
        assert "aangemeld" in confirmation

        page.reload()
        page.wait_for_selector("doemee-chat[data-ready]", state="attached")
        assert dialog(page).is_visible()
        assert log(page).get_by_text("ik wil helpen met tuinieren in 3511", exact=True).is_visible()
        assert log(page).locator(".dm-bot .dm-bubble", has_text=confirmation[:40]).count() >= 1
    finally:
        context.close()
