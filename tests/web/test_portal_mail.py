"""Post in the portal over real HTTP, on SQLite and PostgreSQL, with a real SMTP server on loopback."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import delete, select

from doemee import audit, outbox
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.outbox_worker import BACKOFF, MAX_ATTEMPTS, deliver_due
from doemee.storage.models import AuditEvent, MailStatus, OutboxMail, utcnow
from tests.support.outbox import plain_mail, queued
from tests.support.smtp_server import smtp_server
from tests.web.test_portal import browsers, mail_settings, member  # noqa: F401  (fixtures)


@pytest.fixture
def gateway(make_gateway, database, mail_settings):  # noqa: F811
    """The portal without its own mail loop: the tests run the outbox worker when they mean to."""
    return make_gateway(database_url=database.url, mail=mail_settings, email_alert_interval_seconds=0,
                        outbox_interval_seconds=0)


@pytest.fixture
def me(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    one = browsers()
    assert one.login("sanne@example.org").status_code == 303
    return one


def mail_in(database, centre: str | None, subject: str, body: str = "Een bericht van DoeMee.",
            failed: bool = False) -> int:
    with database.session() as session:
        centre_id = centre_for_slug(session, centre).id if centre else None
        row = outbox.queue(session, plain_mail("initiatief@example.org", subject, body), kind="moderation",
                           centre_id=centre_id)
        if failed:
            row.status, row.attempts, row.last_error = MailStatus.FAILED, MAX_ATTEMPTS, "SMTPConnectError"
        return row.id


def test_a_member_sees_their_centres_mails_newest_first_and_can_filter_on_failed(database, me):
    mail_in(database, "utrecht", "Oudste post")
    mail_in(database, "utrecht", "Mislukte post", failed=True)
    mail_in(database, "utrecht", "Nieuwste post")
    mail_in(database, "amsterdam", "Post van Amsterdam")
    mail_in(database, None, "Post van niemand")

    page = unescape(me.http.get("/portaal/post").text)
    assert page.index("Nieuwste post") < page.index("Mislukte post") < page.index("Oudste post")
    assert "Post van Amsterdam" not in page and "Post van niemand" not in page
    assert 'aria-current="page">Post' in page and "Mislukt (1)" in page

    failed = unescape(me.http.get("/portaal/post?mislukt=ja").text)
    assert "Mislukte post" in failed and "Nieuwste post" not in failed


def test_an_admin_sees_every_mail_also_those_of_no_centre(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    mail_in(database, "amsterdam", "Post van Amsterdam")
    none = mail_in(database, None, "Post van niemand")
    admin = browsers()
    admin.login("beheer@example.org")
    page = unescape(admin.http.get("/portaal/post").text)
    assert "Post van Amsterdam" in page and "Post van niemand" in page
    assert admin.http.get(f"/portaal/post/{none}").status_code == 200


def test_opening_a_mail_shows_its_text_escaped(database, me):
    opened = mail_in(database, "utrecht", "Over <b>jou</b>", body="Hallo <script>alert(1)</script>\nTot ziens.")
    page = me.http.get(f"/portaal/post/{opened}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&lt;b&gt;jou&lt;/b&gt;" in page.text and "Tot ziens." in page.text
    assert "Opnieuw versturen" not in page.text  # only a failed mail can be sent again


@pytest.mark.parametrize("forged", ["-1", "0", "abc", "9" * 40, "%D9%A3", "999999"])
def test_forged_mail_ids_get_a_dutch_404(database, me, forged):
    assert me.http.get(f"/portaal/post/{forged}").status_code == 404
    answer = me.post(f"/portaal/post/{forged}/opnieuw", {}, csrf_from="/portaal/post")
    assert answer.status_code == 404 and text.NOT_FOUND in answer.text


def test_a_mail_that_keeps_failing_shows_on_vandaag_and_post_and_resending_sends_it_once(database, me, mail_settings):  # noqa: F811
    with database.session() as session:
        session.execute(delete(OutboxMail))  # the member's invitation
        outbox.queue(session, plain_mail("tuin@example.org", "Je oproep staat in DoeMee"), kind="moderation",
                     centre_id=centre_for_slug(session, "utrecht").id)
    moment = utcnow()
    with smtp_server() as server:
        settings = replace(mail_settings, smtp_host=server.host, smtp_port=server.port)
        server.refuse = "connect"
        for attempt in range(MAX_ATTEMPTS):
            deliver_due(database, settings, moment)
            moment += BACKOFF[min(attempt, len(BACKOFF) - 1)]
        [row] = queued(database)
        assert row.status is MailStatus.FAILED

        today = me.http.get("/portaal/vandaag").text
        assert "<strong>1 e-mail</strong> kon niet verstuurd worden" in today and "/portaal/post?mislukt=ja" in today
        page = unescape(me.http.get(f"/portaal/post/{row.id}").text)
        assert "Mislukt" in page and "SMTPConnectError" in page and "Opnieuw versturen" in page

        forged = me.http.post(f"/portaal/post/{row.id}/opnieuw", data={"csrf_token": "vals"},
                              headers={"Origin": me.base})
        assert forged.status_code == 403 and queued(database)[0].status is MailStatus.FAILED
        again = me.post(f"/portaal/post/{row.id}/opnieuw", {}, csrf_from=f"/portaal/post/{row.id}")
        assert (again.status_code, again.headers["location"]) == (303, "/portaal/post?gedaan=opnieuw")
        assert text.MAIL_RESENT in me.http.get(again.headers["location"]).text
        twice = me.post(f"/portaal/post/{row.id}/opnieuw", {}, csrf_from=f"/portaal/post/{row.id}")
        assert twice.status_code == 409 and text.MAIL_NOT_FAILED in unescape(twice.text)

        server.refuse = None
        assert deliver_due(database, settings, moment).sent == 1
        assert deliver_due(database, settings, moment + timedelta(days=1)).sent == 0
    assert [r.recipients for r in server.received] == [["tuin@example.org"]]
    assert "kon niet verstuurd worden" not in me.http.get("/portaal/vandaag").text
    with database.session() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == audit.MAIL_RESENT))
        assert (event.object_type, event.object_id) == ("outbox_mail", row.id)


def test_the_gateway_sends_the_outbox_by_itself(make_gateway, database, mail_settings):  # noqa: F811
    with smtp_server() as server:
        settings = replace(mail_settings, smtp_host=server.host, smtp_port=server.port)
        make_gateway(database_url=database.url, mail=settings, email_alert_interval_seconds=0,
                     outbox_interval_seconds=1)
        member(database, mail_settings, "nieuw@example.org", "utrecht")
        deadline = time.monotonic() + 20
        while not server.received and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [r.recipients for r in server.received] == [["nieuw@example.org"]]
    assert "/portaal/uitnodiging/" in server.received[0].message.get_body(("plain",)).get_content()


def test_the_outbox_is_sent_every_five_seconds_by_default_and_zero_turns_it_off():
    from bot.web.config import GatewayConfig

    assert GatewayConfig.from_env({}).outbox_interval_seconds == 5
    assert GatewayConfig.from_env({"DOEMEE_OUTBOX_INTERVAL_SECONDS": "0"}).outbox_interval_seconds == 0
    assert GatewayConfig.from_env({"DOEMEE_OUTBOX_INTERVAL_SECONDS": "0.2"}).outbox_interval_seconds == 1


def test_every_kind_of_mail_has_a_dutch_name_on_the_post_page():
    """The Post page shows the kind's name; a new kind without one would show its code to the staff."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    queued_as = re.compile(r'queue\((?:[^()]|\([^()]*\))*?kind="([a-z][a-z_-]*)"')
    constant = re.compile(r'^[A-Z_]*KIND = "([a-z][a-z_-]*)"', re.MULTILINE)
    sources = [path.read_text() for folder in ("doemee", "bot", "actions") for path in (root / folder).rglob("*.py")]
    kinds = {kind for source in sources for pattern in (queued_as, constant) for kind in pattern.findall(source)}
    assert {"signup", "staff-invite", "signup_withdrawn"} <= kinds
    assert kinds - text.MAIL_KINDS.keys() == set()
