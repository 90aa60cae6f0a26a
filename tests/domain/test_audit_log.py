"""The audit trail read back (doemee.audit_log), on SQLite and PostgreSQL: whose rows, which filters, which names."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from doemee import audit, audit_log
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.audit_log import LogFilter, Reader
from doemee.settings import PROJECT_ROOT
from doemee.storage.models import AuditEvent, HandoffRequest, SignUp, SignUpStatus, StaffMember, StaffRole
from tests.domain.factories import make_opportunity

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
# Strings of the same shape that are not actions: help texts' keys, table columns.
NOT_ACTIONS = {"staff.actions", "staff.description"}
ACTION = re.compile(r"""["']((?:staff|concept|vacancy|signup|question|csv|privacy|api_key|mail|initiative|audit)"""
                    r"""\.[a-z_]+)["']""")


def _member(session, email: str, centre: str, admin: bool = False) -> StaffMember:
    row = StaffMember(email=email, centre_id=centre_for_slug(session, centre).id,
                      role=StaffRole.ADMIN if admin else StaffRole.STAFF)
    session.add(row)
    session.flush()
    return row


def _ids(page) -> list[int]:
    return [entry.id for entry in page.entries]


def _event(session, action: str, at: datetime, **values) -> int:
    row = AuditEvent(action=action, at=at, **values)
    session.add(row)
    session.flush()
    return row.id


def test_every_action_the_code_records_has_dutch_words_and_a_topic():
    sources = [path for folder in ("doemee", "bot") for path in (PROJECT_ROOT / folder).rglob("*.py")
               if "storage" not in path.parts and path.name != "staff_messages.py"]
    found = {code for path in sources for code in ACTION.findall(Path(path).read_text(encoding="utf-8"))}
    found -= NOT_ACTIONS
    found |= {f"signup.{status.value}" for status in SignUpStatus if status is not SignUpStatus.WITHDRAWN}
    found |= set(audit.PRIVACY_SEARCHED.values()) | set(audit.PRIVACY_FORGOTTEN.values())
    assert {"concept.approved", "vacancy.paused", "csv.imported", "signup.followed_up", "audit.exported"} <= found
    for code in found:
        assert code in text.AUDIT_ACTIONS, code
        matching = [topic for topic, codes in audit_log.TOPICS.items() if code in codes]
        assert len(matching) == 1, (code, matching)
    assert {code for codes in audit_log.TOPICS.values() for code in codes} == found
    assert set(audit_log.TOPICS) == set(text.AUDIT_TOPICS)


def test_a_member_reads_their_own_centre_an_admin_everything_and_no_filter_widens_that(db):
    utrecht, amsterdam = centre_for_slug(db, "utrecht").id, centre_for_slug(db, "amsterdam").id
    sanne = _member(db, "sanne@example.org", "utrecht")
    piet = _member(db, "piet@example.org", "amsterdam")
    own = _event(db, audit.LOGIN, NOW, staff_id=sanne.id, centre_id=utrecht)
    logout = _event(db, audit.LOGOUT, NOW + timedelta(minutes=1), staff_id=sanne.id, centre_id=utrecht)
    other = _event(db, audit.LOGIN, NOW + timedelta(minutes=2), staff_id=piet.id, centre_id=amsterdam)
    nobody = _event(db, audit.LOGIN_FAILED, NOW + timedelta(minutes=3))

    member = Reader(frozenset({utrecht}))
    assert _ids(audit_log.find(db, member, LogFilter())) == [logout, own]
    assert _ids(audit_log.find(db, member, LogFilter(centre_id=amsterdam))) == []
    assert _ids(audit_log.find(db, member, LogFilter(staff_id=piet.id))) == []
    assert _ids(audit_log.find(db, Reader(frozenset()), LogFilter())) == []
    admin = Reader(frozenset({utrecht, amsterdam}), everything=True)
    assert _ids(audit_log.find(db, admin, LogFilter())) == [nobody, other, logout, own]
    assert _ids(audit_log.find(db, admin, LogFilter(centre_id=amsterdam))) == [other]
    assert _ids(audit_log.find(db, admin, LogFilter(staff_id=sanne.id))) == [logout, own]
    assert _ids(audit_log.find(db, admin, LogFilter(topic="inloggen"))) == [nobody, other, logout, own]
    assert _ids(audit_log.find(db, admin, LogFilter(topic="vacatures"))) == []
    assert [m for _, m in audit_log.members(db, member)] == ["sanne@example.org"]
    assert [m for _, m in audit_log.members(db, admin)] == ["piet@example.org", "sanne@example.org"]


def test_topics_take_every_action_of_their_kind_and_only_those(db):
    utrecht = centre_for_slug(db, "utrecht").id
    reader = Reader(frozenset({utrecht}))
    codes = ["vacancy.paused", "vacancy.created", "concept.approved", "staff.login_locked", "staff.invited",
             "signup.contacted", "privacy.forgotten_by_phone"]
    made = {code: _event(db, code, NOW + timedelta(seconds=n), centre_id=utrecht) for n, code in enumerate(codes)}

    def topic(name: str) -> set[int]:
        return set(_ids(audit_log.find(db, reader, LogFilter(topic=name))))

    assert topic("vacatures") == {made["vacancy.paused"], made["vacancy.created"]}
    assert topic("inloggen") == {made["staff.login_locked"]}
    assert topic("team") == {made["staff.invited"]}
    assert topic("aanmeldingen") == {made["signup.contacted"]}
    assert topic("privacy") == {made["privacy.forgotten_by_phone"]}
    # A code no topic names (an older or unknown action) is found by no topic, only under "Alles".
    odd = _event(db, "staff.loginXfailed", NOW, centre_id=utrecht)
    assert all(odd not in topic(name) for name in audit_log.TOPICS)


def test_a_day_is_a_dutch_calendar_day(db):
    utrecht = centre_for_slug(db, "utrecht").id
    reader = Reader(frozenset({utrecht}))
    # 23:30 UTC on 4 December is 00:30 on 5 December in Amsterdam (winter time, UTC+1).
    late = _event(db, audit.LOGIN, datetime(2026, 12, 4, 23, 30, tzinfo=timezone.utc), centre_id=utrecht)
    early = _event(db, audit.LOGIN, datetime(2026, 12, 4, 22, 59, tzinfo=timezone.utc), centre_id=utrecht)
    # In summer Amsterdam is UTC+2: 22:30 UTC on 1 July is already 2 July.
    summer = _event(db, audit.LOGIN, datetime(2026, 7, 1, 22, 30, tzinfo=timezone.utc), centre_id=utrecht)

    def on(day: date) -> list[int]:
        return _ids(audit_log.find(db, reader, LogFilter(since=day, until=day)))

    assert on(date(2026, 12, 5)) == [late]
    assert on(date(2026, 12, 4)) == [early]
    assert on(date(2026, 7, 2)) == [summer] and on(date(2026, 7, 1)) == []
    assert _ids(audit_log.find(db, reader, LogFilter(since=date(2026, 12, 1)))) == [late, early]
    assert text.date_time_nl(datetime(2026, 12, 4, 23, 30, tzinfo=timezone.utc)) == "5 december 2026, 00:30"


def test_pages_are_newest_first_and_a_page_past_the_end_is_the_last(db):
    utrecht = centre_for_slug(db, "utrecht").id
    reader = Reader(frozenset({utrecht}))
    made = [_event(db, audit.LOGIN, NOW + timedelta(seconds=n), centre_id=utrecht) for n in range(7)]

    first = audit_log.find(db, reader, LogFilter(), page=1, per_page=3)
    assert (first.total, first.pages, _ids(first)) == (7, 3, made[::-1][:3])
    last = audit_log.find(db, reader, LogFilter(), page=10**9, per_page=3)
    assert (last.page, _ids(last)) == (3, [made[0]])


def test_the_download_reads_every_row_once_in_batches_even_when_moments_are_equal(db):
    utrecht = centre_for_slug(db, "utrecht").id
    reader = Reader(frozenset({utrecht}))
    made = [_event(db, audit.LOGIN, NOW + timedelta(seconds=n // 3), centre_id=utrecht) for n in range(10)]
    seen: list[int] = []
    after = None
    while batch := audit_log.export_batch(db, reader, LogFilter(), after, size=4):
        seen += [entry.id for entry in batch]
        after = batch[-1]
    assert sorted(seen) == sorted(made) and len(seen) == len(made)
    assert seen == _ids(audit_log.find(db, reader, LogFilter(), per_page=100))


def test_names_are_shown_only_while_they_are_the_readers_to_see(db):
    utrecht, amsterdam = centre_for_slug(db, "utrecht"), centre_for_slug(db, "amsterdam")
    sanne = _member(db, "sanne@example.org", "utrecht")
    admin = _member(db, "beheer@example.org", "amsterdam", admin=True)
    listing = make_opportunity(db, title="Voorlezen in de bieb", status="concept", initiative="Leesclub Oost")
    listing.centre_id = utrecht.id
    moved = make_opportunity(db, title="Geheime klus", initiative="Klusclub")
    moved.centre_id = amsterdam.id  # it was Utrecht's when the row was written
    sign_up = SignUp(opportunity_id=listing.id, consent_text="ok", status=SignUpStatus.CONTACTED)
    question = HandoffRequest(centre_id=utrecht.id, question="Bel me", contact_kind="email",
                              contact_value="anna@example.org")
    db.add_all([sign_up, question])
    db.flush()
    rows = {
        "approved": _event(db, audit.CONCEPT_APPROVED, NOW, staff_id=admin.id, centre_id=utrecht.id,
                           object_type="opportunity", object_id=listing.id),
        "moved": _event(db, "vacancy.edited", NOW, staff_id=sanne.id, centre_id=utrecht.id,
                        object_type="opportunity", object_id=moved.id),
        "sign_up": _event(db, "signup.contacted", NOW, actor=f"initiative:{listing.initiative_id}",
                          centre_id=utrecht.id, object_type="sign_up", object_id=sign_up.id),
        "question": _event(db, audit.QUESTION_HANDLED, NOW, staff_id=sanne.id, centre_id=utrecht.id,
                           object_type="handoff_request", object_id=question.id),
        "forgotten": _event(db, audit.QUESTION_HANDLED, NOW, staff_id=sanne.id, centre_id=utrecht.id,
                            object_type="handoff_request", object_id=question.id + 1000),
        "foreign_member": _event(db, audit.STAFF_DEACTIVATED, NOW, staff_id=admin.id, centre_id=utrecht.id,
                                 object_type="staff_member", object_id=admin.id),
        "own_member": _event(db, audit.STAFF_DEACTIVATED, NOW, staff_id=admin.id, centre_id=utrecht.id,
                             object_type="staff_member", object_id=sanne.id),
        "foreign_initiative": _event(db, "vacancy.paused", NOW, actor=f"initiative:{moved.initiative_id}",
                                     centre_id=utrecht.id, object_type="opportunity", object_id=moved.id),
    }
    entries = {entry.id: entry for entry in audit_log.find(db, Reader(frozenset({utrecht.id})), LogFilter()).entries}

    approved = entries[rows["approved"]]
    assert approved.staff_email == "beheer@example.org"  # the admin acted on Utrecht's listing
    assert (approved.subject.label, approved.subject.status) == ("Voorlezen in de bieb", "concept")
    assert entries[rows["moved"]].subject.label is None and entries[rows["moved"]].subject.status is None
    by_initiative = entries[rows["sign_up"]]
    assert by_initiative.by_initiative and by_initiative.initiative_name == "Leesclub Oost"
    assert (by_initiative.subject.label, by_initiative.subject.listing_id) == ("Voorlezen in de bieb", listing.id)
    assert entries[rows["question"]].subject.status == "present"
    assert entries[rows["forgotten"]].subject.status is None
    # Who acted is part of the row; a member acted upon is named only when they are of the reader's centres.
    assert entries[rows["foreign_member"]].staff_email == "beheer@example.org"
    assert entries[rows["foreign_member"]].subject.label is None
    assert entries[rows["own_member"]].subject.label == "sanne@example.org"
    # An initiative known only through another centre's listing stays nameless.
    foreign = entries[rows["foreign_initiative"]]
    assert foreign.by_initiative and foreign.initiative_name is None

    everything = Reader(frozenset({utrecht.id, amsterdam.id}), everything=True)
    history = audit_log.history(db, everything, "opportunity", moved.id)
    assert [entry.id for entry in history] == [rows["moved"], rows["foreign_initiative"]]
    assert history[0].subject.label == "Geheime klus" and history[1].initiative_name == "Klusclub"
