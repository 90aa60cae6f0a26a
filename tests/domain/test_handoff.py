"""Questions residents leave for their centre, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from doemee import handoff, messages, staff
from doemee.attribution import centre_for_slug
from doemee.privacy import forget
from doemee.residents import Contact, get_or_create
from doemee.settings import Settings
from doemee.outbox import plain_text
from doemee.storage.models import HandoffRequest, HandoffStatus, Resident, as_utc
from tests.support.outbox import queued

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
PASSWORD = "een lange zin als wachtwoord"


def settings(tmp_path: Path) -> Settings:
    return Settings(public_url="https://doemee.example.org")


def member(session, tmp_path, address: str = "sanne@example.org", centre: str = "utrecht") -> int:
    invitation = staff.invite(session, address, centre, False, settings(tmp_path), now=NOW)
    return staff.accept_invitation(session, invitation.link.rsplit("/", 1)[1], PASSWORD, now=NOW)


def leave(session, tmp_path, centre: str = "utrecht", sender: str = "web-1", question: str = "Kan ik helpen?",
          contact: Contact | str = "anna@example.org", now: datetime = NOW, **extra) -> handoff.HandoffReceipt:
    resident = get_or_create(session, "web", sender)
    return handoff.leave_question(session, centre_for_slug(session, centre), question, contact,
                                  resident=resident, settings=settings(tmp_path), now=now, **extra)


def test_a_question_is_stored_for_the_centre_and_the_receipt_says_who_answers_and_how_soon(db, tmp_path):
    receipt = leave(db, tmp_path, question="  Mag ik\n met mijn hond  komen helpen? ",
                    contact="bel me op 06 123 456 78", first_name="Anna")
    assert receipt.answer_within == "binnen 2 werkdagen"
    assert receipt.contact == Contact("phone", "0612345678")
    stored = db.get(HandoffRequest, receipt.request_id)
    assert stored.question == "Mag ik met mijn hond komen helpen?"
    assert (stored.contact_kind, stored.contact_value, stored.first_name) == ("phone", "0612345678", "Anna")
    assert stored.status is HandoffStatus.OPEN and stored.handled_at is None and stored.handled_by is None
    assert stored.centre_id == centre_for_slug(db, "utrecht").id
    assert receipt.centre_name == centre_for_slug(db, "utrecht").name


@pytest.mark.parametrize(("question", "reason"), [
    ("", messages.QUESTION_EMPTY),
    ("   \n\t ", messages.QUESTION_EMPTY),
    (None, messages.QUESTION_EMPTY),
    ("x" * 501, messages.QUESTION_TOO_LONG),
    ("x" * 1_000_000, messages.QUESTION_TOO_LONG),
    ("hallo\x00daar", messages.QUESTION_BAD_CHARACTERS),
    ("hallo\x1b[31m", messages.QUESTION_BAD_CHARACTERS),
    ("abc\u202edcba", messages.QUESTION_BAD_CHARACTERS),
])
def test_an_empty_huge_or_garbled_question_is_refused_in_dutch_and_nothing_is_stored(db, tmp_path, question, reason):
    with pytest.raises(handoff.QuestionError) as refused:
        leave(db, tmp_path, question=question)
    assert refused.value.message == reason
    assert db.scalar(select(func.count()).select_from(HandoffRequest)) == 0


@pytest.mark.parametrize("contact", ["", "geen", "06 12", "a@b", Contact("email", "niet-een-adres"), None])
def test_a_question_without_a_usable_contact_is_refused(db, tmp_path, contact):
    with pytest.raises(handoff.QuestionError) as refused:
        leave(db, tmp_path, contact=contact)
    assert refused.value.message == messages.QUESTION_NO_CONTACT


def test_a_question_of_500_characters_and_emoji_is_fine(db, tmp_path):
    receipt = leave(db, tmp_path, question="🙂" + "a" * 499)
    assert len(db.get(HandoffRequest, receipt.request_id).question) == 500


def test_open_requests_are_oldest_first_and_only_of_the_given_centres(db, tmp_path):
    later = leave(db, tmp_path, question="Later", now=NOW + timedelta(hours=2)).request_id
    first = leave(db, tmp_path, question="Eerst", now=NOW).request_id
    leave(db, tmp_path, centre="amsterdam", question="Van Amsterdam")
    utrecht = frozenset({centre_for_slug(db, "utrecht").id})
    assert [q.id for q in handoff.open_requests(db, utrecht)] == [first, later]
    assert handoff.count_open(db, utrecht) == 2
    assert handoff.open_requests(db, frozenset()) == []


def test_marking_handled_records_who_and_when_and_another_centres_request_is_missing(db, tmp_path):
    staff_id = member(db, tmp_path)
    own = leave(db, tmp_path).request_id
    other = leave(db, tmp_path, centre="amsterdam").request_id
    utrecht = frozenset({centre_for_slug(db, "utrecht").id})

    assert handoff.mark_handled(db, utrecht, other, staff_id) is None
    assert db.get(HandoffRequest, other).status is HandoffStatus.OPEN
    assert handoff.mark_handled(db, utrecht, 999_999, staff_id) is None

    done = handoff.mark_handled(db, utrecht, own, staff_id, now=NOW + timedelta(hours=1))
    assert (done.status, done.handled_by) == (HandoffStatus.HANDLED, staff_id)
    again = handoff.mark_handled(db, utrecht, own, None, now=NOW + timedelta(days=1))
    assert as_utc(again.handled_at) == NOW + timedelta(hours=1)
    assert again.handled_by == staff_id
    assert handoff.open_requests(db, utrecht) == []
    assert [q.id for q in handoff.handled_requests(db, utrecht)] == [own]


def test_the_centres_active_staff_are_mailed_with_the_question_and_only_a_link(database, tmp_path):
    with database.session() as session:
        member(session, tmp_path)
        member(session, tmp_path, "amsterdam@example.org", "amsterdam")
    with pytest.raises(RuntimeError), database.session() as session:
        leave(session, tmp_path, question="Teruggedraaide vraag", contact="anna@example.org")
        raise RuntimeError("rolled back")
    assert queued(database, "staff-question") == []
    with database.session() as session:
        leave(session, tmp_path, question="Geheime vraag", contact="anna@example.org")
    [sent] = queued(database, "staff-question")
    body = plain_text(sent)
    assert sent.to_address == "sanne@example.org"
    assert "https://doemee.example.org/portaal/hulpvragen" in body
    assert "Geheime vraag" not in body and "anna@example.org" not in body


def test_a_mail_server_that_is_down_never_loses_the_question(database, tmp_path):
    with database.session() as session:
        member(session, tmp_path)
    down = replace(settings(tmp_path), smtp_host="127.0.0.1", smtp_port=9)
    with database.session() as session:
        resident = get_or_create(session, "web", "web-1")
        handoff.leave_question(session, centre_for_slug(session, "utrecht"), "Hoi?", "anna@example.org",
                               resident=resident, settings=down)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(HandoffRequest)) == 1


def test_forget_me_deletes_the_residents_questions_open_or_handled_and_no_one_elses(db, tmp_path):
    gone = leave(db, tmp_path, sender="web-gone").request_id
    handled = leave(db, tmp_path, sender="web-gone").request_id
    handoff.mark_handled(db, frozenset({centre_for_slug(db, "utrecht").id}), handled, None)
    stays = leave(db, tmp_path, sender="web-stays").request_id

    forget(db, "web-gone")

    db.expire_all()
    assert db.scalar(select(Resident).where(Resident.sender_id == "web-gone")) is None
    assert db.get(HandoffRequest, gone) is None and db.get(HandoffRequest, handled) is None
    assert db.get(HandoffRequest, stays) is not None


def test_handled_requests_are_deleted_after_90_days_open_ones_stay(db, tmp_path):
    utrecht = frozenset({centre_for_slug(db, "utrecht").id})
    old = leave(db, tmp_path, now=NOW - timedelta(days=200)).request_id
    handoff.mark_handled(db, utrecht, old, None, now=NOW - timedelta(days=91))
    recent = leave(db, tmp_path, now=NOW - timedelta(days=200)).request_id
    handoff.mark_handled(db, utrecht, recent, None, now=NOW - timedelta(days=89))
    waiting = leave(db, tmp_path, now=NOW - timedelta(days=365)).request_id

    assert handoff.delete_old_handled(db, now=NOW) == 1

    db.expire_all()
    assert db.get(HandoffRequest, old) is None
    assert db.get(HandoffRequest, recent) is not None and db.get(HandoffRequest, waiting) is not None


def test_today_counts_the_open_questions_of_the_members_centres_only(db, tmp_path):
    from doemee.attention import attention

    utrecht = frozenset({centre_for_slug(db, "utrecht").id})
    leave(db, tmp_path)
    handled = leave(db, tmp_path).request_id
    handoff.mark_handled(db, utrecht, handled, None)
    leave(db, tmp_path, centre="amsterdam")
    assert attention(db, utrecht, NOW).open_questions == 1
