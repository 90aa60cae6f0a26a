"""The one-click pages of lifecycle and follow-up mails, and the widget's follow-up question, over real HTTP.

The gateway runs on loopback against SQLite and PostgreSQL; its pages take
the test's clock (app.state.clock), so links are made and used "weeks later"
without waiting. Rasa is not running: the widget's follow-up buttons must
be answered without it.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select

from bot.web.app import create_app
from bot.web.config import GatewayConfig
from bot.web.followup_chat import payload
from doemee import followup, lifecycle, messages
from doemee.attribution import centre_for_slug
from doemee import initiative_messages as initiative_texts
from doemee.residents import Contact
from doemee.settings import Settings
from doemee.signups import sign_up
from doemee.storage.models import AuditEvent, FollowUpAnswer, Opportunity, SignUp, SignUpStatus, Status, utcnow
from tests.domain.factories import UTRECHT_EAST, make_opportunity
from tests.support.outbox import bodies
from tests.web.conftest import SENDER, chat_body, free_port, serve
from tests.web.test_portal import Portal, member

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)
FORM = re.compile(r'<form method="post" action="([^"]+)">')


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(secret_key="een-klik" * 6, public_url="http://doemee.test", outbox_dir=tmp_path / "outbox")


@pytest.fixture
def clock():
    class Clock:
        now = day(84)

    return Clock


@pytest.fixture
def http(database, settings, clock):
    config = replace(GatewayConfig(rasa_url=f"http://127.0.0.1:{free_port()}"), database_url=database.url,
                     mail=settings, email_alert_interval_seconds=0, outbox_interval_seconds=0)
    app = create_app(config)
    app.state.clock = lambda: clock.now
    with serve(app) as url, httpx.Client(base_url=url, timeout=20, trust_env=False) as client:
        yield client


def warned_listing(database, settings) -> tuple[int, str]:
    """A listing published on T0 and warned at day 83; returns its id and the warning's text."""
    with database.session() as session:
        opportunity_id = make_opportunity(session, created_at=T0, published_at=T0).id
    lifecycle.run_once(database, settings, day(83))
    return opportunity_id, bodies(database, lifecycle.MAIL_KIND)[-1]


def path_in(body: str, path: str) -> str:
    link = re.search(rf"http://doemee\.test{re.escape(path)}\?\S+", body).group(0)
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def status_of(database, opportunity_id: int) -> tuple[str, date | None]:
    with database.session() as session:
        row = session.get(Opportunity, opportunity_id)
        return row.status, row.valid_until


def test_opening_the_renew_link_asks_and_only_the_button_renews(database, settings, http):
    opportunity_id, body = warned_listing(database, settings)
    link = path_in(body, lifecycle.RENEW_PATH)
    for _ in range(2):  # a mail scanner may open it more than once
        page = http.get(link)
        assert page.status_code == 200
        assert "Wil je" in page.text and initiative_texts.LIFECYCLE_RENEW_BUTTON in page.text
        assert page.headers["cache-control"] == "no-store"
    assert status_of(database, opportunity_id) == ("open", date(2026, 11, 30))
    action = FORM.search(page.text).group(1).replace("&amp;", "&")
    done = http.post(action)
    assert done.status_code == 200 and "Gelukt!" in done.text
    assert status_of(database, opportunity_id) == ("open", day(84).date() + timedelta(days=90))
    again = http.post(action)
    assert initiative_texts.LIFECYCLE_ALREADY_RENEWED in again.text


def test_the_close_link_closes_on_the_button(database, settings, http):
    opportunity_id, body = warned_listing(database, settings)
    link = path_in(body, lifecycle.CLOSE_PATH)
    assert initiative_texts.LIFECYCLE_CLOSE_BUTTON in http.get(link).text
    assert status_of(database, opportunity_id)[0] == Status.OPEN.value
    assert initiative_texts.LIFECYCLE_CLOSED in http.post(link).text
    assert status_of(database, opportunity_id)[0] == Status.CLOSED.value


@pytest.mark.parametrize("token", [
    "", "abc", "x" * 4000, "<script>alert(1)</script>", "' OR 1=1 --", "%00", "ëéï🙂", "a.b.c",
])
@pytest.mark.parametrize("path", [lifecycle.RENEW_PATH, lifecycle.CLOSE_PATH])
def test_forged_tokens_get_a_dutch_refusal_and_change_nothing(database, settings, http, token, path):
    opportunity_id, _ = warned_listing(database, settings)
    for method in ("GET", "POST"):
        page = http.request(method, path, params={"token": token})
        assert page.status_code == 400
        assert initiative_texts.LIFECYCLE_LINK_INVALID in page.text
        assert "<script>alert" not in page.text
        assert 'href="/initiatief"' in page.text  # a way to ask for a new link
    assert status_of(database, opportunity_id) == ("open", date(2026, 11, 30))


def test_an_expired_link_gets_a_dutch_refusal_and_changes_nothing(database, settings, http, clock):
    opportunity_id, body = warned_listing(database, settings)
    clock.now = day(83 + 31)
    for path in (lifecycle.RENEW_PATH, lifecycle.CLOSE_PATH):
        page = http.post(path_in(body, path))
        assert page.status_code == 410
        assert initiative_texts.LIFECYCLE_LINK_EXPIRED in page.text
    assert status_of(database, opportunity_id)[0] == Status.OPEN.value


def test_a_close_token_on_the_renew_page_is_refused(database, settings, http):
    opportunity_id, body = warned_listing(database, settings)
    token = path_in(body, lifecycle.CLOSE_PATH).split("?", 1)[1]
    page = http.post(f"{lifecycle.RENEW_PATH}?{token}")
    assert page.status_code == 400
    assert status_of(database, opportunity_id) == ("open", date(2026, 11, 30))


# --- the resident's side ------------------------------------------------------------------


def asked(database, settings, channel: str = "web", sender: str = SENDER) -> int:
    """A sign-up of T0 with two alternatives near it, asked about at day 10."""
    with database.session() as session:
        listing = make_opportunity(session, title="Taalmaatje", initiative="Taalhuis Oost", category="taal",
                                   contact_email="taal@example.org", created_at=T0, published_at=T0)
        for n in range(2):
            make_opportunity(session, title=f"Taalcafé {n}", category="taal", lat=UTRECHT_EAST[0], lon=UTRECHT_EAST[1])
        sign_up_id = sign_up(session, channel, sender, listing.id, "Sanne", Contact("email", "sanne@mail.nl"),
                             "ok", now=T0).sign_up_id
    followup.run_once(database, settings, day(10))
    return sign_up_id


def answer_of(database, sign_up_id: int) -> tuple[FollowUpAnswer | None, SignUpStatus]:
    with database.session() as session:
        row = session.get(SignUp, sign_up_id)
        return row.resident_answer, row.status


def test_the_answer_link_in_the_residents_mail_asks_then_answers(database, settings, http, clock):
    sign_up_id = asked(database, settings)
    clock.now = day(11)
    [body] = bodies(database, followup.QUESTION_KIND)
    no = re.search(rf"Nee: http://doemee\.test({followup.ANSWER_PATH}\?\S+)", body).group(1)
    page = http.get(no)
    assert page.status_code == 200 and messages.FOLLOWUP_SEND_BUTTON in page.text
    assert answer_of(database, sign_up_id) == (None, SignUpStatus.NEW)
    done = http.post(no)
    assert "taal@example.org" in done.text and "Taalcafé" in done.text
    assert answer_of(database, sign_up_id) == (FollowUpAnswer.NO, SignUpStatus.NEW)


@pytest.mark.parametrize("token", ["", "nep", "y" * 3000, "<b>vet</b>"])
def test_a_forged_answer_link_gets_a_dutch_refusal(database, settings, http, token):
    sign_up_id = asked(database, settings)
    for method in ("GET", "POST"):
        page = http.request(method, followup.ANSWER_PATH, params={"token": token})
        assert page.status_code == 400 and messages.FOLLOWUP_LINK_INVALID in page.text
    assert answer_of(database, sign_up_id) == (None, SignUpStatus.NEW)


def test_the_widget_asks_the_question_at_the_next_visit_and_its_no_button_is_answered_without_rasa(
    database, settings, http, clock,
):
    sign_up_id = asked(database, settings)
    clock.now = day(11)
    first = http.get("/api/news", params={"sender": SENDER}).json()
    assert http.get("/api/news", params={"sender": SENDER}).json() == []  # asked once
    [question] = first
    assert "Heeft Taalhuis Oost contact met je opgenomen?" in question["text"]
    assert [b["title"] for b in question["buttons"]] == ["Ja", "Nee", "Niet meer nodig"]
    no = question["buttons"][1]["payload"]
    assert no == payload(sign_up_id, FollowUpAnswer.NO)
    replies = http.post("/api/chat", json=chat_body(no)).json()
    assert replies[0]["text"].startswith("Wat jammer")
    assert "taal@example.org" in replies[0]["text"]
    assert [b["title"].startswith("Aanmelden") for b in replies[0]["buttons"]] == [True, True]
    assert answer_of(database, sign_up_id) == (FollowUpAnswer.NO, SignUpStatus.NEW)


@pytest.mark.parametrize("message", [
    "/followup_answer", "/followup_answer{", '/followup_answer{"sign_up_id": "1", "answer": "ja"}',
    '/followup_answer{"sign_up_id": 1, "answer": "no"}', '/followup_answer{"sign_up_id": "99999", "answer": "no"}',
    '/followup_answer["x"]', '/followup_answer{"sign_up_id": "١", "answer": "no"}',
])
def test_forged_widget_answers_get_a_friendly_dutch_line(database, settings, http, message):
    sign_up_id = asked(database, settings)
    replies = http.post("/api/chat", json=chat_body(message))
    assert replies.status_code == 200
    assert replies.json() == [{"text": messages.FOLLOWUP_UNKNOWN}]
    assert answer_of(database, sign_up_id) == (None, SignUpStatus.NEW)


def test_another_widget_cannot_answer_for_this_resident(database, settings, http):
    sign_up_id = asked(database, settings)
    other = "web-" + "f" * 32
    replies = http.post("/api/chat", json=chat_body(payload(sign_up_id, FollowUpAnswer.NOT_NEEDED), sender=other))
    assert replies.json() == [{"text": messages.FOLLOWUP_UNKNOWN}]
    assert answer_of(database, sign_up_id) == (None, SignUpStatus.NEW)


def test_the_gateway_runs_the_lifecycle_and_follow_up_rounds_by_itself(database, settings):
    with database.session() as session:
        make_opportunity(session, created_at=T0, published_at=T0)
    config = replace(GatewayConfig(rasa_url=f"http://127.0.0.1:{free_port()}"), database_url=database.url,
                     mail=settings, email_alert_interval_seconds=0.05, outbox_interval_seconds=0)
    app = create_app(config)
    app.state.mailer.clock = lambda: day(84)
    with serve(app):
        deadline = time.monotonic() + 20
        while app.state.mailer.follow_ups < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    assert app.state.mailer.follow_ups >= 2
    assert len(bodies(database, lifecycle.MAIL_KIND)) == 1  # warned once, however many rounds ran


def test_a_member_marks_an_unanswered_sign_up_handled_and_another_centre_gets_a_404(database, settings):
    now = utcnow()
    with database.session() as session:
        listing = make_opportunity(session, title="Taalmaatje", initiative="Taalhuis Oost",
                                   contact_email="taal@example.org")
        listing.centre_id = centre_for_slug(session, "utrecht").id
        session.flush()
        sign_up_id = sign_up(session, "telegram", "telegram:8", listing.id, "Sanne", Contact("phone", "0612345678"),
                             "ok", now=now - timedelta(days=11)).sign_up_id
    followup.run_once(database, settings, now)
    with database.session() as session:
        followup.answer(session, sign_up_id, FollowUpAnswer.NO, now, settings)
    member(database, settings, "utrecht@example.org", "utrecht")
    member(database, settings, "amsterdam@example.org", "amsterdam")
    config = replace(GatewayConfig(rasa_url=f"http://127.0.0.1:{free_port()}"), database_url=database.url,
                     mail=settings, email_alert_interval_seconds=0)
    path = f"/portaal/vandaag/aanmeldingen/{sign_up_id}/afgehandeld"
    with serve(create_app(config)) as url:
        mine, theirs = Portal(url), Portal(url)
        try:
            mine.login("utrecht@example.org")
            theirs.login("amsterdam@example.org")
            refused = theirs.post(path, {}, csrf_from="/portaal/vandaag")
            assert refused.status_code == 404
            assert "Taalmaatje" in mine.http.get("/portaal/vandaag").text
            done = mine.post(path, {}, csrf_from="/portaal/vandaag")
            assert done.status_code == 303
            page = mine.http.get(done.headers["location"]).text
        finally:
            mine.close()
            theirs.close()
    assert "De aanmelding staat op afgehandeld" in page
    assert "Taalmaatje bij Taalhuis Oost" not in page
    with database.session() as session:
        trail = session.execute(select(AuditEvent.action, AuditEvent.object_id).where(
            AuditEvent.action == followup.CENTRE_HANDLED)).all()
    assert trail == [(followup.CENTRE_HANDLED, sign_up_id)]
