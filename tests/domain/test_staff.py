"""Staff accounts, on SQLite and PostgreSQL: invitations, passwords, throttling, sessions, scope."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from doemee import audit, staff
from doemee.attribution import centre_for_slug
from doemee.settings import Settings
from doemee.staff import StaffError, TokenPurpose, TokenState
from doemee.outbox import plain_text
from doemee.storage.models import AuditEvent, LoginFailure, StaffMember, StaffSession, StaffToken
from tests.support.outbox import queued, rows_in

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
PASSWORD = "een lange zin als wachtwoord"


def settings(tmp_path: Path) -> Settings:
    return Settings(public_url="https://doemee.example.org")


def member(db, tmp_path, address: str = "sanne@example.org", centre: str = "utrecht", admin: bool = False) -> int:
    invitation = staff.invite(db, address, centre, admin, settings(tmp_path), now=NOW)
    token = invitation.link.rsplit("/", 1)[1]
    return staff.accept_invitation(db, token, PASSWORD, now=NOW)


def test_an_invitation_stores_only_the_hash_of_its_token_and_sets_the_password_once(db, tmp_path):
    invitation = staff.invite(db, "  Sanne@Example.ORG ", "utrecht", False, settings(tmp_path), now=NOW)
    token = invitation.link.rsplit("/", 1)[1]
    assert invitation.link.startswith("https://doemee.example.org/portaal/uitnodiging/")
    stored = db.scalar(select(StaffToken))
    assert stored.token_hash == staff.digest(token) and token not in stored.token_hash
    assert stored.expires_at.replace(tzinfo=timezone.utc) == NOW + timedelta(days=7)
    assert db.scalar(select(StaffMember.email)) == "sanne@example.org"
    assert db.scalar(select(StaffMember.password_hash)) is None

    staff_id = staff.accept_invitation(db, token, PASSWORD, now=NOW + timedelta(days=6))
    assert db.get(StaffMember, staff_id).password_hash.startswith("$argon2id$")
    with pytest.raises(StaffError) as used:
        staff.accept_invitation(db, token, PASSWORD, now=NOW + timedelta(days=6))
    assert used.value.message == "Deze link is al gebruikt. Een link werkt maar één keer."


def test_an_invitation_older_than_seven_days_or_a_forged_one_is_refused(db, tmp_path):
    invitation = staff.invite(db, "sanne@example.org", "utrecht", False, settings(tmp_path), now=NOW)
    token = invitation.link.rsplit("/", 1)[1]
    assert staff.token_state(db, token, TokenPurpose.INVITE, NOW + timedelta(days=7, seconds=1)) is TokenState.EXPIRED
    assert staff.token_state(db, token[:-1] + "x", TokenPurpose.INVITE, NOW) is TokenState.INVALID
    assert staff.token_state(db, token, TokenPurpose.RESET, NOW) is TokenState.INVALID
    for forged in ["", "abc", "-1", "ü" * 40, "x" * 10_000]:
        assert staff.token_state(db, forged, TokenPurpose.INVITE, NOW) is TokenState.INVALID


@pytest.mark.parametrize("password", ["kort", "elf tekens!", ""])
def test_a_password_shorter_than_twelve_characters_is_refused_in_dutch(db, tmp_path, password):
    invitation = staff.invite(db, "sanne@example.org", "utrecht", False, settings(tmp_path), now=NOW)
    with pytest.raises(StaffError) as refused:
        staff.accept_invitation(db, invitation.link.rsplit("/", 1)[1], password, now=NOW)
    assert refused.value.message == "Kies een wachtwoord van minstens 12 tekens."


@pytest.mark.parametrize(("address", "slug", "kind"), [
    ("geen-adres", "utrecht", "email"), ("sanne@example.org", "nergens", "centre"), ("", "utrecht", "email"),
])
def test_an_invitation_needs_a_real_address_and_a_known_centre(db, tmp_path, address, slug, kind):
    with pytest.raises(StaffError) as refused:
        staff.invite(db, address, slug, False, settings(tmp_path), now=NOW)
    assert refused.value.kind == kind


def test_one_address_is_one_member(db, tmp_path):
    staff.invite(db, "sanne@example.org", "utrecht", False, settings(tmp_path), now=NOW)
    with pytest.raises(StaffError) as refused:
        staff.invite(db, "SANNE@example.org", "amsterdam", False, settings(tmp_path), now=NOW)
    assert refused.value.kind == "exists"


def test_login_works_with_the_password_and_not_without_it(db, tmp_path):
    staff_id = member(db, tmp_path)
    assert staff.authenticate(db, "Sanne@example.org", PASSWORD, "10.0.0.1", NOW).staff_id == staff_id
    assert staff.authenticate(db, "sanne@example.org", PASSWORD + "x", "10.0.0.1", NOW).staff_id is None
    assert staff.authenticate(db, "niemand@example.org", PASSWORD, "10.0.0.1", NOW).staff_id is None


def test_an_invited_member_without_a_password_cannot_log_in(db, tmp_path):
    staff.invite(db, "sanne@example.org", "utrecht", False, settings(tmp_path), now=NOW)
    assert staff.authenticate(db, "sanne@example.org", "", "10.0.0.1", NOW).staff_id is None


def test_five_failures_lock_the_account_for_fifteen_minutes_even_with_the_right_password(db, tmp_path):
    member(db, tmp_path)
    for minute in range(5):
        staff.authenticate(db, "sanne@example.org", "fout", f"10.0.0.{minute}", NOW + timedelta(minutes=minute))
    locked = staff.authenticate(db, "sanne@example.org", PASSWORD, "10.0.1.1", NOW + timedelta(minutes=5))
    assert locked.locked and locked.staff_id is None
    assert staff.authenticate(db, "sanne@example.org", PASSWORD, "10.0.1.1", NOW + timedelta(minutes=18)).locked
    assert staff.authenticate(db, "sanne@example.org", PASSWORD, "10.0.1.1", NOW + timedelta(minutes=20)).staff_id


def test_five_failures_from_one_address_lock_that_address_for_every_account(db, tmp_path):
    member(db, tmp_path)
    for number in range(5):
        staff.authenticate(db, f"poging{number}@example.org", "fout", "10.9.9.9", NOW)
    assert staff.authenticate(db, "sanne@example.org", PASSWORD, "10.9.9.9", NOW).locked
    assert staff.authenticate(db, "sanne@example.org", PASSWORD, "10.9.9.8", NOW).staff_id is not None


def test_an_unknown_account_locks_like_a_known_one(db, tmp_path):
    for _ in range(5):
        staff.authenticate(db, "niemand@example.org", "fout", "10.0.0.1", NOW)
    assert staff.authenticate(db, "niemand@example.org", "fout", "10.0.0.2", NOW).locked


def test_failures_are_stored_without_addresses_or_names(db, tmp_path):
    staff.authenticate(db, "sanne@example.org", "fout", "192.0.2.7", NOW)
    keys = list(db.scalars(select(LoginFailure.key)))
    assert len(keys) == 2 and all("sanne" not in k and "192.0.2.7" not in k and len(k) == 64 for k in keys)


def test_a_hash_with_old_parameters_is_renewed_at_login(db, tmp_path):
    staff_id = member(db, tmp_path)
    old = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    db.get(StaffMember, staff_id).password_hash = old
    assert staff.authenticate(db, "sanne@example.org", PASSWORD, "10.0.0.1", NOW).staff_id == staff_id
    assert db.get(StaffMember, staff_id).password_hash != old


def test_a_session_ends_after_two_idle_hours_and_after_twelve_hours_in_all(db, tmp_path):
    staff_id = member(db, tmp_path)
    token = staff.start_session(db, staff_id, NOW)
    assert staff.session_for(db, token, NOW + timedelta(hours=1, minutes=59)) is not None
    assert staff.session_for(db, token, NOW + timedelta(hours=3, minutes=58)) is not None
    assert staff.session_for(db, token, NOW + timedelta(hours=6)) is None

    busy = staff.start_session(db, staff_id, NOW)
    for hour in range(1, 12):
        assert staff.session_for(db, busy, NOW + timedelta(hours=hour)) is not None
    assert staff.session_for(db, busy, NOW + timedelta(hours=12)) is None
    assert staff.session_for(db, "niet-bestaand", NOW) is None


def test_a_password_reset_ends_every_session_and_is_mailed_only_to_a_real_account(db, tmp_path):
    staff_id = member(db, tmp_path)
    sessions = [staff.start_session(db, staff_id, NOW) for _ in range(2)]
    staff.request_reset(db, "niemand@example.org", settings(tmp_path), NOW)
    assert rows_in(db, "staff-reset") == []
    staff.request_reset(db, "SANNE@example.org", settings(tmp_path), NOW)
    [mail] = rows_in(db, "staff-reset")
    assert mail.to_address == "sanne@example.org" and mail.centre_id == centre_for_slug(db, "utrecht").id
    link = next(line for line in plain_text(mail).splitlines() if "/portaal/wachtwoord/" in line)
    token = link.rsplit("/", 1)[1]

    assert staff.token_state(db, token, TokenPurpose.RESET, NOW + timedelta(hours=1, seconds=1)) is TokenState.EXPIRED
    staff.reset_password(db, token, "een heel ander wachtwoord", NOW + timedelta(minutes=30))
    assert all(staff.session_for(db, t, NOW + timedelta(minutes=31)) is None for t in sessions)
    assert db.scalar(select(StaffSession)) is None
    assert staff.authenticate(db, "sanne@example.org", "een heel ander wachtwoord", "10.0.0.1", NOW).staff_id


def test_staff_see_their_own_centre_and_admins_see_every_centre(db, tmp_path):
    utrecht = centre_for_slug(db, "utrecht").id
    amsterdam = centre_for_slug(db, "amsterdam").id
    own = staff.start_session(db, member(db, tmp_path), NOW)
    admin = staff.start_session(db, member(db, tmp_path, "beheer@example.org", "amsterdam", admin=True), NOW)
    assert staff.session_for(db, own, NOW).centre_ids == frozenset({utrecht})
    assert staff.session_for(db, admin, NOW).centre_ids == frozenset({utrecht, amsterdam})


def test_every_step_leaves_an_audit_event_without_personal_data(db, tmp_path):
    staff_id = member(db, tmp_path)
    staff.authenticate(db, "sanne@example.org", "fout", "10.0.0.1", NOW)
    token = staff.start_session(db, staff_id, NOW)
    staff.authenticate(db, "sanne@example.org", PASSWORD, "10.0.0.1", NOW)
    staff.end_session(db, token)
    assert audit.actions_of(db) == [
        audit.INVITED, audit.INVITE_ACCEPTED, audit.LOGIN_FAILED, audit.LOGIN, audit.LOGOUT,
    ]
    for event in db.scalars(select(AuditEvent)):
        assert "sanne" not in f"{event.action}{event.object_type}{event.object_id}"


def _need():
    from doemee.needs import NeedDraft

    return NeedDraft(
        initiative_name="Repair Café Lombok", title="Reparateurs gezocht",
        description="Wij zoeken mensen die graag fietsen en lampen repareren.", category="klussen",
        postcode="3511", time_commitment="maandelijks", contact_email="repair@example.org",
    )


def test_a_new_concept_is_mailed_to_the_active_staff_of_its_centre_with_the_concept(database, tmp_path):
    from doemee.geo.index import get_geo_index
    from doemee.needs import post_need

    with database.session() as session:
        member(session, tmp_path)
        member(session, tmp_path, "amsterdam@example.org", "amsterdam")
        staff.invite(session, "nog-niet@example.org", "utrecht", False, settings(tmp_path), now=NOW)
    with pytest.raises(RuntimeError), database.session() as session:
        post_need(session, get_geo_index(), _need(), settings(tmp_path))
        raise RuntimeError("rolled back")
    assert queued(database, "staff-concept") == []  # a concept taken back takes its mails along
    with database.session() as session:
        posted = post_need(session, get_geo_index(), _need(), settings(tmp_path))
    [sent] = queued(database, "staff-concept")
    assert sent.to_address == "sanne@example.org"
    assert f"https://doemee.example.org/portaal/concepten/{posted.opportunity_id}" in plain_text(sent)


def test_a_mail_server_that_is_down_never_loses_the_concept(database, tmp_path):
    from dataclasses import replace

    from doemee.geo.index import get_geo_index
    from doemee.needs import post_need
    from doemee.storage.models import Opportunity

    with database.session() as session:
        member(session, tmp_path)
    down = replace(settings(tmp_path), smtp_host="127.0.0.1", smtp_port=9)
    with database.session() as session:
        posted = post_need(session, get_geo_index(), _need(), down)
    with database.session() as session:
        assert session.get(Opportunity, posted.opportunity_id).status == "concept"
    assert [row.to_address for row in queued(database, "staff-concept")] == ["sanne@example.org"]


def test_at_most_three_reset_mails_an_hour_go_to_one_member(db, tmp_path):
    member(db, tmp_path)
    for minute in range(5):
        staff.request_reset(db, "sanne@example.org", settings(tmp_path), NOW + timedelta(minutes=minute))
    assert len(rows_in(db, "staff-reset")) == 3
    staff.request_reset(db, "sanne@example.org", settings(tmp_path), NOW + timedelta(minutes=61))
    assert len(rows_in(db, "staff-reset")) == 4
