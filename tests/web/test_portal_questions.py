"""Hulpvragen in the portal over real HTTP, on SQLite and PostgreSQL, with a real logged-in session."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from html import unescape

import pytest
from sqlalchemy import select

from doemee import audit, handoff
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.residents import get_or_create
from doemee.storage.models import AuditEvent, HandoffRequest, HandoffStatus
from tests.web.test_portal import browsers, gateway, mail_settings, member  # noqa: F401  (fixtures)


def question_in(database, centre: str, question: str, days_old: int = 0, contact: str = "anna@example.org",
                first_name: str | None = None, sender: str = "web-1") -> int:
    with database.session() as session:
        return handoff.leave_question(
            session, centre_for_slug(session, centre), question, contact, first_name,
            resident=get_or_create(session, "web", sender),
            now=datetime.now(timezone.utc) - timedelta(days=days_old),
        ).request_id


@pytest.fixture
def me(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    one = browsers()
    assert one.login("sanne@example.org").status_code == 303
    return one


def test_open_questions_are_listed_oldest_first_with_name_contact_and_age(database, me):
    question_in(database, "utrecht", "Nieuwe vraag", days_old=0, contact="06 123 456 78")
    question_in(database, "utrecht", "Oude vraag", days_old=3, first_name="Anna")
    question_in(database, "amsterdam", "Vraag voor Amsterdam")

    page = unescape(me.http.get("/portaal/hulpvragen").text)

    assert page.index("Oude vraag") < page.index("Nieuwe vraag")
    assert "Vraag voor Amsterdam" not in page
    assert "Anna" in page and "anna@example.org" in page and "0612345678" in page
    assert "3 dagen geleden" in page and "vandaag" in page
    assert 'aria-current="page">Hulpvragen' in page


def test_a_member_marks_a_question_handled_it_moves_down_and_the_audit_trail_says_who(database, me):
    asked = question_in(database, "utrecht", "Kan ik met mijn hond helpen?")
    assert "Er wacht <strong>1 vraag</strong>" in me.http.get("/portaal/vandaag").text

    done = me.post(f"/portaal/hulpvragen/{asked}/afgehandeld", {}, csrf_from="/portaal/hulpvragen")

    assert (done.status_code, done.headers["location"]) == (303, "/portaal/hulpvragen?gedaan=afgehandeld")
    page = unescape(me.http.get(done.headers["location"]).text)
    assert text.QUESTION_DONE in page and "Er zijn geen open hulpvragen." in page
    assert "Kan ik met mijn hond helpen?" in page.split("Afgehandeld</h2>")[1]
    assert "Er wachten geen vragen van inwoners" in me.http.get("/portaal/vandaag").text
    with database.session() as session:
        stored = session.get(HandoffRequest, asked)
        assert stored.status is HandoffStatus.HANDLED and stored.handled_by is not None
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == audit.QUESTION_HANDLED))
        assert (event.object_type, event.object_id, event.staff_id) == ("handoff_request", asked, stored.handled_by)


def test_marking_handled_needs_the_csrf_token(database, me):
    asked = question_in(database, "utrecht", "Hoi?")
    forged = me.http.post(f"/portaal/hulpvragen/{asked}/afgehandeld", data={"csrf_token": "nep"},
                          headers={"Origin": me.base})
    assert forged.status_code == 403
    with database.session() as session:
        assert session.get(HandoffRequest, asked).status is HandoffStatus.OPEN


@pytest.mark.parametrize("forged", ["-1", "0", "abc", "9" * 40, "1.5", "%D9%A3", "999999"])
def test_forged_or_unknown_ids_get_a_dutch_404(database, me, forged):
    answer = me.post(f"/portaal/hulpvragen/{forged}/afgehandeld", {}, csrf_from="/portaal/hulpvragen")
    assert answer.status_code == 404 and text.NOT_FOUND in answer.text


def test_an_admin_sees_every_centres_questions_with_the_centre_named(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    question_in(database, "amsterdam", "Vraag voor Amsterdam")
    admin = browsers()
    admin.login("beheer@example.org")
    page = unescape(admin.http.get("/portaal/hulpvragen").text)
    with database.session() as session:
        name = centre_for_slug(session, "amsterdam").name
    assert "Vraag voor Amsterdam" in page and name in page


def test_markup_in_a_question_shows_literally(database, me):
    question_in(database, "utrecht", "<script>alert(1)</script> {{ 7*7 }}")
    page = me.http.get("/portaal/hulpvragen").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page and "{{ 7*7 }}" in page
