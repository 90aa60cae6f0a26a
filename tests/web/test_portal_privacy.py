"""Privacy in the portal over real HTTP, on SQLite and PostgreSQL: forget a resident by their contact."""

from __future__ import annotations

from dataclasses import replace
from html import unescape

import pytest
from sqlalchemy import func, select

from doemee import audit, handoff
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.residents import Contact, get_or_create
from doemee.signups import sign_up
from doemee.storage.models import AuditEvent, HandoffRequest, Resident, SignUp
from tests.domain.factories import make_opportunity
from tests.support.postgres import free_port
from tests.support.tracker_store import add_conversation, events_per_sender, tracker_store
from tests.web.test_portal import Portal, browsers, gateway, mail_settings, member  # noqa: F401  (fixtures)

PAGE = "/portaal/privacy"


def resident_of(database, centre: str, sender: str, contact: Contact) -> None:
    """A resident who signed up and left a question through `centre`'s widget."""
    with database.session() as session:
        where = centre_for_slug(session, centre)
        opportunity = make_opportunity(session)
        sign_up(session, "web", sender, opportunity.id, "Anna", contact, "ok", centre=where)
        handoff.leave_question(session, where, "Wie belt mij?", contact, resident=get_or_create(session, "web", sender))


def residents(database) -> list[str]:
    with database.session() as session:
        return list(session.scalars(select(Resident.sender_id).order_by(Resident.sender_id)))


@pytest.fixture
def me(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    one = browsers()
    assert one.login("sanne@example.org").status_code == 303
    return one


def test_a_member_searches_sees_counts_only_then_forgets_everything(database, me):
    resident_of(database, "utrecht", "web-anna", Contact("email", "anna@example.org"))
    resident_of(database, "utrecht", "web-piet", Contact("phone", "0687654321"))

    shown = me.post(PAGE, {"contact": " Anna@Example.org "})

    page = unescape(shown.text)
    assert shown.status_code == 200 and "Wat we wissen" in page
    assert "1 inwoner in de chat" in page and "1 hulpvraag" in page and "1 aanmelding" in page
    assert "Wie belt mij?" not in page and "Anna<" not in page and "0687654321" not in page
    assert text.PRIVACY_ALSO_ELSEWHERE in page
    assert residents(database) == ["web-anna", "web-piet"]

    done = me.post(f"{PAGE}/vergeten", {"contact": "anna@example.org"}, csrf_from=PAGE)

    assert done.status_code == 200 and text.PRIVACY_DONE in unescape(done.text)
    assert residents(database) == ["web-piet"]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(HandoffRequest)) == 1
        assert session.scalar(select(func.count()).select_from(SignUp).where(SignUp.contact.is_(None))) == 1
        events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("privacy.%"))
                                 .order_by(AuditEvent.id)).all()
        assert [event.action for event in events] == [audit.PRIVACY_SEARCHED["email"], audit.PRIVACY_FORGOTTEN["email"]]
        assert events[1].object_type == "resident" and events[1].staff_id is not None
        stored = " ".join(str(value) for event in events for value in vars(event).values())
        assert "anna" not in stored.lower()


def test_a_phone_number_is_found_however_it_is_written(database, me):
    resident_of(database, "utrecht", "web-bel", Contact("phone", "0612345678"))
    shown = unescape(me.post(PAGE, {"contact": "+31 (0)6-12 34 56 78"}).text)
    assert "1 inwoner in de chat" in shown and "0612345678" in shown
    me.post(f"{PAGE}/vergeten", {"contact": "06 12345678"}, csrf_from=PAGE)
    assert residents(database) == []
    with database.session() as session:
        assert audit.PRIVACY_FORGOTTEN["phone"] in audit.actions_of(session)


def test_a_resident_of_another_centre_is_not_found_and_not_forgotten(database, me):
    resident_of(database, "amsterdam", "web-amsterdam", Contact("email", "anna@example.org"))
    shown = me.post(PAGE, {"contact": "anna@example.org"})
    assert text.PRIVACY_NOTHING in unescape(shown.text) and "Alles wissen" not in shown.text
    done = me.post(f"{PAGE}/vergeten", {"contact": "anna@example.org"}, csrf_from=PAGE)
    assert text.PRIVACY_GONE_MEANWHILE in unescape(done.text)
    assert residents(database) == ["web-amsterdam"]


def test_an_admin_forgets_a_resident_of_any_centre(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    resident_of(database, "amsterdam", "web-amsterdam", Contact("email", "anna@example.org"))
    admin = browsers()
    admin.login("beheer@example.org")
    shown = unescape(admin.post(PAGE, {"contact": "anna@example.org"}).text)
    assert "1 inwoner in de chat" in shown and text.PRIVACY_ALSO_ELSEWHERE not in shown
    admin.post(f"{PAGE}/vergeten", {"contact": "anna@example.org"}, csrf_from=PAGE)
    assert residents(database) == []


@pytest.mark.parametrize(("typed", "message"), [
    ("", text.PRIVACY_EMPTY),
    ("x" * 10_000, text.PRIVACY_TOO_LONG),
    ("hallo daar", text.PRIVACY_NOT_A_CONTACT),
    ("' OR 1=1 --", text.PRIVACY_NOT_A_CONTACT),
    ("<script>alert(1)</script>", text.PRIVACY_NOT_A_CONTACT),
    ("\u202e\U0001f600\x00", text.PRIVACY_NOT_A_CONTACT),
    ("a@example.org b@example.org", text.PRIVACY_ONE_CONTACT),
])
def test_bad_input_gets_a_clear_dutch_answer_on_both_steps(database, me, typed, message):
    resident_of(database, "utrecht", "web-anna", Contact("email", "anna@example.org"))
    for path in (PAGE, f"{PAGE}/vergeten"):
        answer = me.post(path, {"contact": typed}, csrf_from=PAGE)
        assert answer.status_code == 400 and message in unescape(answer.text), path
        assert "<script>alert(1)" not in answer.text
    assert residents(database) == ["web-anna"]


def test_bytes_that_are_no_utf8_get_a_dutch_answer(database, me):
    token = me.csrf(PAGE)
    answer = me.http.post(PAGE, content=f"csrf_token={token}&contact=%ED%A0%80%FF%40x.nl".encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": me.base})
    assert answer.status_code == 400 and text.PRIVACY_NOT_A_CONTACT in unescape(answer.text)


def test_forgetting_without_the_csrf_token_is_refused_and_removes_nothing(database, me):
    resident_of(database, "utrecht", "web-anna", Contact("email", "anna@example.org"))
    for data in ({"contact": "anna@example.org"}, {"contact": "anna@example.org", "csrf_token": "nep"}):
        for path in (PAGE, f"{PAGE}/vergeten"):
            refused = me.http.post(path, data=data, headers={"Origin": me.base})
            assert refused.status_code == 403 and text.FORBIDDEN in refused.text
    assert residents(database) == ["web-anna"]


def test_the_page_needs_a_login(gateway):  # noqa: F811
    import httpx

    with httpx.Client(base_url=gateway, trust_env=False) as http:
        assert http.get(PAGE).headers["location"] == "/portaal"


@pytest.mark.parametrize("reachable", [True, False], ids=["store", "store-down"])
def test_forgetting_also_deletes_the_conversations_from_rasas_tracker_store(
        database, make_gateway, mail_settings, tmp_path, reachable):  # noqa: F811
    with tracker_store("sqlite", tmp_path) as url:
        add_conversation(url, "web-anna", 1_700_000_000.0, 1_700_000_060.0)
        add_conversation(url, "web-piet", 1_700_000_000.0)
        where = url if reachable else f"postgresql+psycopg://doemee@127.0.0.1:{free_port()}/rasa"
        settings = replace(mail_settings, tracker_store_url=where)
        portal = Portal(make_gateway(database_url=database.url, mail=settings, email_alert_interval_seconds=0))
        try:
            member(database, settings, "sanne@example.org", "utrecht")
            assert portal.login("sanne@example.org").status_code == 303
            resident_of(database, "utrecht", "web-anna", Contact("email", "anna@example.org"))
            done = portal.post(f"{PAGE}/vergeten", {"contact": "anna@example.org"}, csrf_from=PAGE)
        finally:
            portal.close()
        page = unescape(done.text)
        assert done.status_code == 200 and text.PRIVACY_DONE in page and residents(database) == []
        if reachable:
            assert text.privacy_conversations_gone(1) in page
            assert events_per_sender(url) == {"web-piet": 1}
        else:
            assert text.privacy_conversations_kept(settings.retention_days) in page
            assert events_per_sender(url) == {"web-anna": 2, "web-piet": 1}
