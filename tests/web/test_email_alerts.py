"""Alerts by email end to end over real HTTP: the chat's request, the link, the news, one-click unsubscribe."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.message import Message
from urllib.parse import quote, urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from actions.alerts import ActionSubscribeAlerts
from bot.web.alert_mailer import AlertMailer
from bot.web.app import create_app
from bot.web.config import GatewayConfig
from bot.web.templating import render
from doemee import messages
from doemee.alerts import AlertCriteria
from doemee.email_alerts import request, send_confirmation, unsubscribe_link
from doemee.handoff import leave_question, mark_handled
from doemee.settings import get_settings
from doemee.storage.database import get_database
from doemee.storage.models import AlertSubscription, Centre, EmailAlert, HandoffRequest
from tests.actions.conftest import make_tracker, run
from tests.actions.test_search import _search_slots
from tests.domain.factories import UTRECHT, make_opportunity
from tests.support.outbox import mails
from tests.web.conftest import SENDER, free_port, serve

PUBLIC = "https://doemee.example.org"
ADDRESS = "jan@example.nl"
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)">')


@pytest.fixture
def mail_env(database, monkeypatch, tmp_path):
    """The actions and the gateway share one database (with its outbox), signing key and public address."""
    monkeypatch.setenv("DOEMEE_DATABASE_URL", database.url)
    monkeypatch.setenv("DOEMEE_SECRET_KEY", "test-secret")
    monkeypatch.setenv("DOEMEE_PUBLIC_URL", PUBLIC)
    monkeypatch.delenv("DOEMEE_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    get_database.cache_clear()
    yield get_settings()
    get_settings.cache_clear()
    get_database.cache_clear()


@pytest.fixture
def gateway(mail_env, database):
    """A running gateway whose alert sender runs only when a test says so."""
    config = replace(
        GatewayConfig(rasa_url=f"http://127.0.0.1:{free_port()}"),
        database_url=database.url, mail=mail_env, email_alert_interval_seconds=0,
    )
    app = create_app(config)
    with serve(app) as url:
        yield app, url


def _mails(database, confirmations: bool) -> list[Message]:
    return list(mails(database, "alert-confirm" if confirmations else "alert"))


def _link(message: Message, path: str, base: str) -> str:
    """The link to `path` in the mail, pointed at the gateway under test instead of the public address."""
    body = message.get_payload(decode=True).decode()
    found = next(word for word in body.split() if path in word)
    assert found.startswith(PUBLIC + path + "?token=")
    parts = urlsplit(found)
    return f"{base}{parts.path}?{parts.query}"


def _button(page: httpx.Response, base: str) -> str:
    return base + FORM_ACTION.search(page.text).group(1).replace("&amp;", "&")


async def _ask_by_chat(sender: str = SENDER) -> str:
    """What Rasa does after the widget's alerts form got an address: the submit action."""
    tracker = make_tracker(
        text=ADDRESS, metadata={"channel": "web", "centre": "utrecht", "municipalities": []}, sender=sender,
        slots={**_search_slots(pc4="3511", interests=("groen",)), "alert_email": ADDRESS},
    )
    return (await run(ActionSubscribeAlerts(), tracker, {})).all_text


async def test_from_the_chat_to_one_alert_mail_and_a_working_unsubscribe(gateway, mail_env, database, client):
    app, base = gateway
    said = await _ask_by_chat()
    assert ADDRESS in said
    [confirmation] = _mails(database, confirmations=True)
    confirm_url = _link(confirmation, "/meldingen/bevestig", base)

    # Opening the link (as a mail scanner does) only shows the button.
    page = client.get(confirm_url)
    assert page.status_code == 200 and messages.ALERT_CONFIRM_BUTTON in page.text
    with database.session() as session:
        assert session.scalar(select(EmailAlert.confirmed_at)) is None
    confirmed = client.post(_button(page, base))
    assert confirmed.status_code == 200 and messages.ALERT_CONFIRMED in confirmed.text

    with database.session() as session:
        make_opportunity(session, title="Onkruid wieden in de buurttuin", created_at=datetime.now(timezone.utc))
    await app.state.mailer.run_once()
    await app.state.mailer.run_once()

    [alert] = _mails(database, confirmations=False)
    assert alert["To"] == ADDRESS and "Onkruid wieden in de buurttuin" in alert.get_payload(decode=True).decode()
    unsubscribe_url = _link(alert, "/meldingen/afmelden", base)
    assert alert["List-Unsubscribe"] == f"<{unsubscribe_url.replace(base, PUBLIC)}>"
    page = client.get(unsubscribe_url)
    assert page.status_code == 200 and messages.ALERT_UNSUBSCRIBE_BUTTON in page.text
    stopped = client.post(_button(page, base))
    assert stopped.status_code == 200 and messages.ALERT_UNSUBSCRIBED in stopped.text
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(EmailAlert)) == 0
        assert session.scalar(select(func.count()).select_from(AlertSubscription)) == 0
        make_opportunity(session, title="Nog een tuin", created_at=datetime.now(timezone.utc))
    app.state.mailer.clock = lambda: datetime.now(timezone.utc) + timedelta(days=2)
    await app.state.mailer.run_once()
    assert len(_mails(database, confirmations=False)) == 1


def _pending(database, settings, now: datetime | None = None) -> str:
    """A request made at `now` whose confirmation mail went out; returns the link's path and query."""
    moment = now or datetime.now(timezone.utc)
    criteria = AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",))
    with database.session() as session:
        asked = request(session, "web", SENDER, criteria, ADDRESS, "toestemming", moment)
    assert send_confirmation(database, asked.email_alert_id, settings, moment)
    [mail] = _mails(database, confirmations=True)
    return _link(mail, "/meldingen/bevestig", "")


def test_a_mail_program_unsubscribes_with_one_click(gateway, mail_env, database, client):
    _, base = gateway
    path = _pending(database, mail_env)
    client.post(_button(client.get(base + path), base))
    with database.session() as session:
        one_click = unsubscribe_link(session.scalars(select(EmailAlert)).one(), mail_env).replace(PUBLIC, base)

    response = client.post(one_click, content="List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert response.status_code == 200
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(EmailAlert)) == 0
    again = client.post(one_click)
    assert again.status_code == 200 and messages.ALERT_UNSUBSCRIBED_BEFORE in again.text


def test_a_confirmation_link_used_twice_says_it_was_done(gateway, mail_env, database, client):
    _, base = gateway
    path = _pending(database, mail_env)
    assert client.post(base + path).status_code == 200
    again = client.post(base + path)
    assert again.status_code == 200 and messages.ALERT_CONFIRMED_BEFORE in again.text
    assert messages.ALERT_CONFIRMED_BEFORE in client.get(base + path).text


def test_an_expired_confirmation_link_gets_a_dutch_page(gateway, mail_env, database, client):
    _, base = gateway
    path = _pending(database, mail_env, datetime.now(timezone.utc) - timedelta(days=8))
    for response in (client.get(base + path), client.post(base + path)):
        assert response.status_code == 410 and messages.ALERT_LINK_EXPIRED in response.text
    with database.session() as session:
        assert session.scalar(select(EmailAlert.confirmed_at)) is None


@pytest.mark.parametrize("token", [
    "", "WzEsImFiYyJd.abc.def", "WzEsImFiYyJd", "%00%ff", "<script>alert(1)</script>", "a" * 5000,
])
@pytest.mark.parametrize("path", ["/meldingen/bevestig", "/meldingen/afmelden"])
def test_a_forged_or_broken_link_gets_a_dutch_page_and_never_a_trace(gateway, mail_env, database, client, path, token):
    _, base = gateway
    _pending(database, mail_env)
    for response in (client.get(f"{base}{path}", params={"token": token}),
                     client.post(f"{base}{path}", params={"token": token})):
        assert response.status_code == 400
        assert messages.ALERT_LINK_INVALID in response.text and "Traceback" not in response.text
        assert "<script>" not in response.text
    with database.session() as session:
        assert session.scalar(select(EmailAlert.confirmed_at)) is None
        assert session.scalar(select(func.count()).select_from(EmailAlert)) == 1


@pytest.mark.parametrize("path", ["/meldingen/bevestig", "/meldingen/afmelden"])
def test_what_a_link_carries_is_never_shown_nor_evaluated(gateway, mail_env, database, client, path):
    _, base = gateway
    typed = "<script>alert(1)</script> {{ 7*7 }} &amp;"
    for response in (client.get(f"{base}{path}", params={"token": typed}),
                     client.post(f"{base}{path}", params={"token": typed}),
                     client.get(f"{base}{_pending(database, mail_env)}&extra={quote(typed)}")):
        shown = FORM_ACTION.sub("", response.text)  # a real token may hold any digits
        assert "<script>alert(" not in shown and "7*7" not in shown
        assert "49" not in shown and "&amp;amp;" not in shown


def test_the_link_page_escapes_whatever_it_is_given():
    typed = "<script>alert(1)</script> {{ 7*7 }} &amp;"
    page = render("alert.html", text=typed, action=f"/x?{typed}", button=typed)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp;amp;"
    assert "<script>alert(" not in page
    assert f"<p>{escaped}</p>" in page
    assert f'action="/x?{escaped}"' in page
    assert f'<button type="submit">{escaped}</button>' in page


def test_an_altered_link_confirms_nothing(gateway, mail_env, database, client):
    _, base = gateway
    path = _pending(database, mail_env)
    altered = path[:-3] + ("xyz" if not path.endswith("xyz") else "abc")
    response = client.post(base + altered)
    assert response.status_code == 400
    with database.session() as session:
        assert session.scalar(select(EmailAlert.confirmed_at)) is None


def test_the_link_pages_carry_the_gateways_security_headers_and_leak_no_token(gateway, mail_env, database, client):
    _, base = gateway
    response = client.get(base + _pending(database, mail_env))
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_the_gateway_runs_the_alert_sender_by_itself(mail_env, database, client):
    config = replace(
        GatewayConfig(rasa_url=f"http://127.0.0.1:{free_port()}"),
        database_url=database.url, mail=mail_env, email_alert_interval_seconds=1,
    )
    app = create_app(config)
    criteria = AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",))
    with database.session() as session:
        request(session, "web", SENDER, criteria, ADDRESS, "toestemming")
    with serve(app):
        deadline = time.monotonic() + 20
        while app.state.mailer.rounds < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert app.state.mailer.rounds >= 1
    assert len(_mails(database, confirmations=True)) == 1  # the link the chat could not send went in the round


def test_make_run_sends_alert_mails_every_minute_by_default():
    assert GatewayConfig.from_env({}).email_alert_interval_seconds == 60
    assert GatewayConfig.from_env({"DOEMEE_EMAIL_ALERT_INTERVAL_SECONDS": "0"}).email_alert_interval_seconds == 0


def test_the_sender_keeps_going_when_a_round_fails(mail_env):
    tried = []

    def database_down():
        tried.append(1)
        raise ConnectionError("database down")

    mailer = AlertMailer(database_down, mail_env, interval_seconds=0.01)

    async def some_rounds() -> None:
        task = asyncio.create_task(mailer.run_forever())
        while len(tried) < 3:
            await asyncio.sleep(0.01)
        assert not task.done()
        task.cancel()

    asyncio.run(asyncio.wait_for(some_rounds(), timeout=10))


def test_a_round_also_deletes_questions_handled_more_than_90_days_ago(mail_env, database):
    now = datetime.now(timezone.utc)
    with database.session() as session:
        utrecht = session.scalar(select(Centre).where(Centre.slug == "utrecht"))
        old = leave_question(session, utrecht, "Kan ik ook op zondag helpen?", "0612345678", now=now).request_id
        fresh = leave_question(session, utrecht, "Is er een proefdag?", "0612345678", now=now).request_id
        mark_handled(session, frozenset({utrecht.id}), old, None, now=now - timedelta(days=91))
        mark_handled(session, frozenset({utrecht.id}), fresh, None, now=now - timedelta(days=10))

    asyncio.run(AlertMailer(lambda: database, mail_env, interval_seconds=60).run_once())

    with database.session() as session:
        assert session.scalars(select(HandoffRequest.id)).all() == [fresh]
