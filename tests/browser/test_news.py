"""A widget resident with alerts sees what is new at their next visit, in Chromium against the real stack.

Asking for alerts in the widget now asks for an e-mail address (alerts by
mail, double opt-in); a web subscription without one, as residents made
them before, still shows its news at the next visit.
"""

from __future__ import annotations

import re

import pytest

from doemee import messages
from doemee.alerts import AlertCriteria, subscribe
from doemee.geo.index import get_geo_index
from doemee.opportunities import OpportunityInput, save
from doemee.storage.database import Database
from tests.browser.widget import choose, launcher, log, open_demo, send

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TITLE = "Fruitbomen snoeien in de Pandhof"
NEWS_BUTTON = messages.NEWS_SIGN_UP.format(title=TITLE)


def _publish(database_url: str) -> None:
    """A new garden opportunity in Utrecht, published the way an import publishes it."""
    item = OpportunityInput(
        external_id="news-pandhof", initiative_name="Tuinploeg Pandhof", title=TITLE,
        description="Help de oude fruitbomen in de Pandhof snoeien.", category="groen", postcode="3512 JE",
        time_commitment="eenmalig", contact_email="pandhof@example.org",
    )
    database = Database(database_url)
    try:
        with database.session() as session:
            save(session, get_geo_index(), item, source="e2e-news")
    finally:
        database.dispose()


def _subscribe_without_mail(database_url: str, sender: str) -> None:
    """A web subscription to garden work around 3511, as the widget stored them before alerts went by mail."""
    location = get_geo_index().postcode("3511")
    database = Database(database_url)
    try:
        with database.session() as session:
            subscribe(session, "web", sender, AlertCriteria(location.lat, location.lon, "3511", ("groen",)))
    finally:
        database.dispose()


def _sender(state: dict) -> str:
    return next(item["value"] for origin in state["origins"] for item in origin["localStorage"]
                if item["name"] == "doemee:sender")


def _visit(browser, state=None):
    context = browser.new_context(viewport={"width": 1100, "height": 760}, locale="nl-NL", storage_state=state)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def _news_messages(page):
    return log(page).locator(".dm-bot .dm-bubble", has_text=re.compile("^Welkom terug"))


def test_a_subscribed_web_resident_sees_new_matches_at_the_next_visit(browser, e2e_stack):
    first, page = _visit(browser)
    try:
        open_demo(page, e2e_stack.gateway_url)
        launcher(page).click()
        send(page, "ik wil helpen met tuinieren in 3511")
        send(page, "hou me op de hoogte")
        assert log(page).locator(".dm-bot .dm-bubble").last.inner_text() == messages.ASK_ALERT_EMAIL
        send(page, "stop")
        assert _news_messages(page).count() == 0
        state = first.storage_state()  # localStorage keeps the widget's sender id; the visit itself ends
    finally:
        first.close()

    _subscribe_without_mail(e2e_stack.database_url, _sender(state))
    _publish(e2e_stack.database_url)

    second, page = _visit(browser, state)
    try:
        open_demo(page, e2e_stack.gateway_url)
        launcher(page).click()
        news = _news_messages(page)
        news.first.wait_for()
        assert TITLE in news.first.inner_text()
        assert log(page).get_by_role("button", name=messages.WEB_NEWS_STOP, exact=True).is_visible()

        choose(page, NEWS_BUTTON)
        answer = log(page).locator(".dm-bot .dm-bubble").last.inner_text()
        assert re.search(r"naam|heet je|e-?mail|telefoon|" + re.escape(TITLE), answer, re.I), answer

        with page.expect_response(lambda r: "/api/news" in r.url) as asked:
            page.reload()  # the chat was open, so it opens again and asks for news
        assert asked.value.json() == []  # shown once, then gone
        page.wait_for_selector("doemee-chat[data-ready]", state="attached")
        assert _news_messages(page).count() == 1  # kept in the conversation
    finally:
        second.close()
