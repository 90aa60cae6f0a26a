"""Team in the portal over real HTTP, on SQLite and PostgreSQL: the list, inviting, switching off and on."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import func, select

from doemee import audit
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.storage.models import AuditEvent, OutboxMail, StaffMember, StaffRole, StaffSession
from tests.web.test_portal import PASSWORD, browsers, gateway, mail_settings, member  # noqa: F401  (fixtures)

PAGE = "/portaal/team"


@pytest.fixture
def admin(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    one = browsers()
    assert one.login("beheer@example.org").status_code == 303
    return one


def test_a_member_sees_their_own_team_without_other_centres_or_forms(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    member(database, mail_settings, "collega@example.org", "utrecht")
    member(database, mail_settings, "geheim@example.org", "amsterdam")
    me = browsers()
    me.login("sanne@example.org")

    page = unescape(me.http.get(PAGE).text)

    assert "collega@example.org" in page and "sanne@example.org (jij)" in page
    assert "geheim@example.org" not in page and "Centrum</th>" not in page
    assert "Uitzetten" not in page and "Uitnodiging sturen" not in page
    assert 'aria-current="page">Team' in page


def test_only_an_admin_may_invite_or_switch_off(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    colleague = member(database, mail_settings, "collega@example.org", "utrecht")
    me = browsers()
    me.login("sanne@example.org")
    invite = me.post(f"{PAGE}/uitnodigen", {"email": "nieuw@example.org", "centre": "utrecht"}, csrf_from=PAGE)
    off = me.post(f"{PAGE}/{colleague}/uitzetten", {}, csrf_from=PAGE)
    assert invite.status_code == off.status_code == 403
    assert text.TEAM_ADMINS_ONLY in unescape(off.text)
    with database.session() as session:
        assert session.scalar(select(StaffMember).where(StaffMember.email == "nieuw@example.org")) is None
        assert session.get(StaffMember, colleague).active


def test_an_admin_sees_every_centre_with_its_name_and_invites_a_member(database, mail_settings, admin):  # noqa: F811
    member(database, mail_settings, "amsterdammer@example.org", "amsterdam")
    with database.session() as session:
        amsterdam = centre_for_slug(session, "amsterdam").name
    page = unescape(admin.http.get(PAGE).text)
    assert "amsterdammer@example.org" in page and f"<td>{amsterdam}</td>" in page

    invited = admin.post(f"{PAGE}/uitnodigen", {"email": " Nieuw@Example.org ", "centre": "amsterdam",
                                                "role": "staff"}, csrf_from=PAGE)

    shown = unescape(invited.text)
    assert invited.status_code == 200 and text.TEAM_INVITE_SENT in shown
    assert "nieuw@example.org" in shown and "Uitgenodigd" in shown and "/portaal/uitnodiging/" not in shown
    with database.session() as session:
        new = session.scalar(select(StaffMember).where(StaffMember.email == "nieuw@example.org"))
        assert (new.role, new.centre.slug, new.password_hash) == (StaffRole.STAFF, "amsterdam", None)
        assert session.scalar(select(func.count()).select_from(OutboxMail)) >= 1
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == audit.INVITED,
                                                        AuditEvent.object_id == new.id))
        assert event.staff_id is not None


@pytest.mark.parametrize(("data", "message"), [
    ({"email": "", "centre": "utrecht"}, "geen goed e-mailadres"),
    ({"email": "x" * 10_000, "centre": "utrecht"}, "geen goed e-mailadres"),
    ({"email": "<script>@x", "centre": "utrecht"}, "geen goed e-mailadres"),
    ({"email": "nieuw@example.org", "centre": "bestaat-niet"}, text.TEAM_CHOOSE_CENTRE),
    ({"email": "nieuw@example.org", "centre": ""}, text.TEAM_CHOOSE_CENTRE),
    ({"email": "beheer@example.org", "centre": "utrecht"}, "heeft al een account"),
])
def test_a_bad_invitation_gets_a_dutch_answer_and_stores_nothing(database, admin, data, message):
    answer = admin.post(f"{PAGE}/uitnodigen", data, csrf_from=PAGE)
    assert answer.status_code == 400 and message in unescape(answer.text)
    assert "<script>@x" not in answer.text
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(StaffMember)) == 1


def test_switching_a_member_off_ends_their_sessions_and_on_again_lets_them_log_in(
    database, mail_settings, browsers, admin,  # noqa: F811
):
    colleague = member(database, mail_settings, "collega@example.org", "utrecht")
    them = browsers()
    them.login("collega@example.org")
    assert them.http.get("/portaal/vandaag").status_code == 200

    off = admin.post(f"{PAGE}/{colleague}/uitzetten", {}, csrf_from=PAGE)

    assert (off.status_code, off.headers["location"]) == (303, f"{PAGE}?gedaan=uitgezet")
    assert text.TEAM_DONE["uitgezet"] in unescape(admin.http.get(off.headers["location"]).text)
    assert them.http.get("/portaal/vandaag").headers["location"] == "/portaal"
    assert them.login("collega@example.org").status_code == 401
    with database.session() as session:
        assert session.scalar(select(StaffSession).where(StaffSession.staff_id == colleague)) is None

    on = admin.post(f"{PAGE}/{colleague}/aanzetten", {}, csrf_from=PAGE)
    assert on.headers["location"] == f"{PAGE}?gedaan=aangezet"
    assert them.login("collega@example.org", PASSWORD).status_code == 303
    with database.session() as session:
        actions = audit.actions_of(session)
        assert actions.index(audit.STAFF_DEACTIVATED) < actions.index(audit.STAFF_REACTIVATED)
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == audit.STAFF_DEACTIVATED))
        assert (event.object_type, event.object_id) == ("staff_member", colleague)


def test_nobody_switches_themself_off(database, admin):
    with database.session() as session:
        own = session.scalar(select(StaffMember.id).where(StaffMember.email == "beheer@example.org"))
    answer = admin.post(f"{PAGE}/{own}/uitzetten", {}, csrf_from=PAGE)
    assert answer.status_code == 400 and text.TEAM_NOT_YOURSELF in unescape(answer.text)
    assert admin.http.get(PAGE).status_code == 200


def test_switching_without_the_csrf_token_is_refused(database, mail_settings, admin):  # noqa: F811
    colleague = member(database, mail_settings, "collega@example.org", "utrecht")
    refused = admin.http.post(f"{PAGE}/{colleague}/uitzetten", data={"csrf_token": "nep"},
                              headers={"Origin": admin.base})
    assert refused.status_code == 403 and text.FORBIDDEN in refused.text
    with database.session() as session:
        assert session.get(StaffMember, colleague).active


@pytest.mark.parametrize("forged", ["-1", "0", "abc", "9" * 40, "999999", "%D9%A3"])
def test_forged_or_unknown_member_ids_get_a_dutch_404(database, admin, forged):
    for action in ("uitzetten", "aanzetten"):
        answer = admin.post(f"{PAGE}/{forged}/{action}", {}, csrf_from=PAGE)
        assert answer.status_code == 404 and text.NOT_FOUND in answer.text
