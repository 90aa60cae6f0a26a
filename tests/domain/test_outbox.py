"""The outbox on SQLite and PostgreSQL, with a real SMTP server on loopback that can refuse."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select, update

from doemee import outbox
from doemee.outbox_worker import BACKOFF, MAX_ATTEMPTS, SENDING_TIMEOUT, deliver_due
from doemee.privacy import forget
from doemee.residents import Contact
from doemee.settings import Settings
from doemee.signups import sign_up
from doemee.storage.models import MailStatus, OutboxMail, utcnow
from tests.domain.factories import make_opportunity
from tests.support.outbox import bodies, queued
from tests.support.smtp_server import smtp_server


def mail(to: str = "sanne@example.org", subject: str = "Hallo", body: str = "Een bericht.") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "DoeMee <noreply@doemee.example.org>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def queue_some(database, count: int, **values) -> list[int]:
    with database.session() as session:
        return [outbox.queue(session, mail(f"bewoner{n}@example.org"), kind="test", **values).id
                for n in range(count)]


def smtp(server) -> Settings:
    return replace(Settings(), smtp_host=server.host, smtp_port=server.port)


def statuses(database) -> list[MailStatus]:
    return [row.status for row in queued(database)]


def test_a_mail_exists_exactly_when_the_change_it_belongs_to_commits(database):
    with database.session() as session:
        outbox.queue(session, mail(subject="Bewaard"), kind="test")
    with pytest.raises(RuntimeError), database.session() as session:
        outbox.queue(session, mail(subject="Teruggedraaid"), kind="test")
        raise RuntimeError("the business change failed")
    assert [row.subject for row in queued(database)] == ["Bewaard"]
    assert statuses(database) == [MailStatus.QUEUED]


def test_a_sign_up_rolled_back_takes_its_notice_along(database):
    with database.session() as session:
        opportunity_id = make_opportunity(session).id
    with pytest.raises(RuntimeError), database.session() as session:
        sign_up(session, "rest", "s1", opportunity_id, "Sanne", Contact("email", "s@mail.nl"), "ok")
        raise RuntimeError("the request failed after the sign-up")
    assert queued(database) == []
    with database.session() as session:
        sign_up(session, "rest", "s1", opportunity_id, "Sanne", Contact("email", "s@mail.nl"), "ok")
        sign_up(session, "rest", "s1", opportunity_id, "Sanne", Contact("email", "s@mail.nl"), "ok")
    [notice] = queued(database, "signup")
    assert notice.to_address == "tuin@example.org" and notice.resident_id is not None
    assert "Sanne" in bodies(database, "signup")[0]


def test_without_smtp_mails_are_kept_for_the_portal_and_the_log_names_nobody(database, caplog):
    queue_some(database, 2)
    with caplog.at_level(logging.DEBUG):
        done = deliver_due(database, replace(Settings(), smtp_host=None))
    assert (done.kept, done.sent) == (2, 0)
    assert statuses(database) == [MailStatus.KEPT, MailStatus.KEPT]
    assert all(row.sent_at is not None for row in queued(database))
    assert "example.org" not in caplog.text and "Een bericht" not in caplog.text


def test_a_mail_goes_to_the_smtp_server_once_with_its_own_message_id(database):
    ids = queue_some(database, 3)
    with smtp_server() as server:
        first = deliver_due(database, smtp(server))
        second = deliver_due(database, smtp(server), utcnow() + timedelta(days=1))
    assert (first.sent, second.sent) == (3, 0)
    assert sorted(r.recipients[0] for r in server.received) == [f"bewoner{n}@example.org" for n in range(3)]
    assert len(set(server.message_ids())) == 3
    assert statuses(database) == [MailStatus.SENT] * 3 and len(ids) == 3


def test_two_workers_at_once_never_send_a_mail_twice(database):
    queue_some(database, 30)
    with smtp_server() as server:
        settings, start = smtp(server), threading.Barrier(2)
        results = []

        def worker() -> None:
            start.wait()
            results.append(deliver_due(database, settings))

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert sum(r.sent for r in results) == 30
    assert len(server.received) == 30 and len(set(server.message_ids())) == 30
    assert statuses(database) == [MailStatus.SENT] * 30


def test_a_server_that_refuses_loses_nothing_backs_off_and_later_sends_each_mail_once(database, caplog):
    queue_some(database, 4)
    now = utcnow()
    with smtp_server() as server, caplog.at_level(logging.DEBUG):
        server.refuse = "connect"
        assert deliver_due(database, smtp(server), now).retrying == 4
        assert deliver_due(database, smtp(server), now + BACKOFF[0] - timedelta(seconds=1)).retrying == 0
        rows = queued(database)
        assert {(r.status, r.attempts, r.last_error) for r in rows} == {(MailStatus.QUEUED, 1, "SMTPConnectError")}
        first_pause = rows[0].next_attempt_at

        server.refuse = "mail"  # 451: try again later
        later = now + BACKOFF[0]
        assert deliver_due(database, smtp(server), later).retrying == 4
        rows = queued(database)
        assert {r.attempts for r in rows} == {2}
        assert rows[0].next_attempt_at - first_pause > BACKOFF[0]  # the pause grew

        server.refuse = None
        recovered = later + BACKOFF[1]
        assert deliver_due(database, smtp(server), recovered).sent == 4
        assert deliver_due(database, smtp(server), recovered + timedelta(days=1)).sent == 0
    assert len(server.received) == 4 and len(set(server.message_ids())) == 4
    assert statuses(database) == [MailStatus.SENT] * 4
    assert "bewoner" not in caplog.text and "example.org" not in caplog.text


def test_after_the_last_attempt_a_mail_is_failed_and_resending_sends_it(database):
    [mail_id] = queue_some(database, 1, centre_id=None)
    moment = utcnow()
    with smtp_server() as server:
        server.refuse = "connect"
        for attempt in range(MAX_ATTEMPTS):
            done = deliver_due(database, smtp(server), moment)
            moment += BACKOFF[min(attempt, len(BACKOFF) - 1)]
        assert done.failed == 1
        [row] = queued(database)
        assert (row.status, row.attempts) == (MailStatus.FAILED, MAX_ATTEMPTS)
        assert deliver_due(database, smtp(server), moment + timedelta(days=2)).sent == 0

        with database.session() as session:
            assert outbox.count_failed(session, None) == 1
            assert outbox.resend(session, None, mail_id, moment) is not None
            assert outbox.resend(session, None, mail_id, moment) is None  # queued, no longer failed
        server.refuse = None
        assert deliver_due(database, smtp(server), moment).sent == 1
    assert len(server.received) == 1
    assert statuses(database) == [MailStatus.SENT]


def test_a_refusal_that_will_not_change_fails_at_once(database):
    queue_some(database, 1)
    with smtp_server() as server:
        server.refuse = "reject"
        assert deliver_due(database, smtp(server)).failed == 1
    [row] = queued(database)
    assert (row.status, row.attempts, row.last_error) == (MailStatus.FAILED, 1, "SMTPDataError")


def test_a_mail_left_sending_by_a_worker_that_died_is_sent_after_the_timeout(database):
    [mail_id] = queue_some(database, 1)
    now = utcnow()
    with database.session() as session:
        session.execute(update(OutboxMail).where(OutboxMail.id == mail_id).values(
            status=MailStatus.SENDING, attempts=1, next_attempt_at=now + SENDING_TIMEOUT))
    with smtp_server() as server:
        assert deliver_due(database, smtp(server), now).sent == 0
        assert deliver_due(database, smtp(server), now + SENDING_TIMEOUT).sent == 1
    assert len(server.received) == 1
    [row] = queued(database)
    assert (row.status, row.attempts) == (MailStatus.SENT, 2)


def test_sent_mails_are_deleted_after_the_keep_days_and_unsent_ones_are_not(database):
    queue_some(database, 2)
    settings = replace(Settings(), smtp_host=None, outbox_keep_days=30)
    now = utcnow()
    deliver_due(database, settings, now)
    queue_some(database, 1)
    with database.session() as session:
        session.execute(update(OutboxMail).where(OutboxMail.status == MailStatus.QUEUED)
                        .values(attempts=1, next_attempt_at=now + timedelta(days=60)))
    assert deliver_due(database, settings, now + timedelta(days=29)).deleted == 0
    assert deliver_due(database, settings, now + timedelta(days=31)).deleted == 2
    assert statuses(database) == [MailStatus.QUEUED]


def test_forgetting_a_resident_deletes_their_unsent_mails_and_blanks_the_sent_ones(database):
    with database.session() as session:
        opportunity_id = make_opportunity(session).id
        sign_up(session, "rest", "vergeet", opportunity_id, "Sanne", Contact("email", "sanne@mail.nl"), "ok")
        sign_up(session, "rest", "blijft", opportunity_id, "Piet", Contact("email", "piet@mail.nl"), "ok")
    deliver_due(database, replace(Settings(), smtp_host=None))
    with database.session() as session:
        resident_id = session.scalars(select(OutboxMail.resident_id).order_by(OutboxMail.id)).first()
        outbox.queue(session, mail("sanne@mail.nl", "Nog niet weg"), kind="alert", resident_id=resident_id)
    with database.session() as session:
        assert forget(session, "vergeet").mails == 2
    rows = queued(database)
    assert len(rows) == 2
    blanked, kept = rows
    assert (blanked.resident_id, blanked.to_address, blanked.status) == (None, "(gewist)", MailStatus.KEPT)
    everything = blanked.message.decode("utf-8", "replace")
    assert "Sanne" not in everything and "sanne@mail.nl" not in everything
    assert "Piet" in bodies(database)[1] and kept.resident_id is not None
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.subject == "Nog niet weg")) == 0


def test_a_server_that_cannot_be_reached_is_tried_once_per_round_not_once_per_mail(database):
    queue_some(database, 3)
    with smtp_server() as server:
        server.refuse = "connect"
        assert deliver_due(database, smtp(server)).retrying == 3
    assert server.connections == 1
    assert {(row.status, row.attempts) for row in queued(database)} == {(MailStatus.QUEUED, 1)}
