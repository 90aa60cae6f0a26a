"""Mail that is never lost: every outgoing mail is a row, written with the change it tells about.

`queue` adds the row in the caller's session, so the mail exists exactly
when the business change commits; doemee.outbox_worker sends it later and
retries. The portal's Post page reads the rows through `mails` and `opened`,
scoped like every portal page: a member sees their centres' mails, an
administrator (scope None) every mail, including those of no centre.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from doemee import staff_messages as text
from doemee.storage.database import rows_changed
from doemee.storage.models import MailStatus, OutboxMail, as_utc, utcnow

MAX_KIND = 40
MAX_ADDRESS = 254
MAX_SUBJECT = 300
MAX_LISTED = 200
# Unfolded as written: a folded List-Unsubscribe link would no longer be read as one (see email_alerts).
READ_POLICY = policy.default.clone(max_line_length=998)
UNSENT = (MailStatus.QUEUED, MailStatus.SENDING, MailStatus.FAILED)

# Which centres' mails a reader sees: None is every mail (an administrator, the worker).
Scope = frozenset[int] | None


@dataclass(frozen=True)
class MailSummary:
    id: int
    kind: str
    to_address: str
    subject: str
    status: MailStatus
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime
    last_error: str | None


@dataclass(frozen=True)
class OpenedMail:
    summary: MailSummary
    body: str


def queue(
    session: Session,
    message: EmailMessage,
    *,
    kind: str,
    centre_id: int | None = None,
    resident_id: int | None = None,
) -> OutboxMail:
    """Adds the mail to the caller's transaction; nothing is sent before that commits."""
    if message["Date"] is None:
        message["Date"] = formatdate(localtime=False)
    if message["Message-ID"] is None:
        message["Message-ID"] = make_msgid(domain="doemee.local")
    row = OutboxMail(
        kind=kind[:MAX_KIND],
        centre_id=centre_id,
        resident_id=resident_id,
        to_address=str(message["To"] or "")[:MAX_ADDRESS],
        subject=str(message["Subject"] or "")[:MAX_SUBJECT],
        message=bytes(message),
        status=MailStatus.QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def parsed(row: OutboxMail) -> EmailMessage:
    found = message_from_bytes(row.message, policy=READ_POLICY)
    assert isinstance(found, EmailMessage)
    return found


def mails(session: Session, scope: Scope, failed_only: bool = False, limit: int = MAX_LISTED) -> list[MailSummary]:
    """The newest mails first."""
    statement = _scoped(select(OutboxMail), scope).order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
    if failed_only:
        statement = statement.where(OutboxMail.status == MailStatus.FAILED)
    return [_summary(row) for row in session.scalars(statement.limit(limit))]


def opened(session: Session, scope: Scope, mail_id: int) -> OpenedMail | None:
    """One mail with its plain text; None when it does not exist or is not in the scope."""
    row = _row(session, scope, mail_id)
    if row is None:
        return None
    return OpenedMail(_summary(row), plain_text(row))


def plain_text(row: OutboxMail) -> str:
    body = parsed(row).get_body(preferencelist=("plain",))
    if body is None:
        return ""
    content = body.get_content()
    return content if isinstance(content, str) else ""


def resend(session: Session, scope: Scope, mail_id: int, now: datetime | None = None) -> OutboxMail | None:
    """Puts a failed mail back in the queue with fresh attempts; None when there is no such failed mail."""
    row = _row(session, scope, mail_id)
    if row is None or row.status is not MailStatus.FAILED:
        return None
    changed = rows_changed(session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == row.id, OutboxMail.status == MailStatus.FAILED)
        .values(status=MailStatus.QUEUED, attempts=0, last_error=None, next_attempt_at=as_utc(now or utcnow()))
        .execution_options(synchronize_session="fetch")
    ))
    return row if changed == 1 else None


def count_failed(session: Session, scope: Scope) -> int:
    statement = _scoped(select(func.count()).select_from(OutboxMail), scope)
    return session.scalar(statement.where(OutboxMail.status == MailStatus.FAILED)) or 0


def forget_residents(session: Session, resident_ids: list[int]) -> int:
    """"Vergeet mij" for mail: unsent mails about them go, sent ones keep only a neutral note.

    A sent mail stays as a row so the centre still sees that something
    went, and when; nothing in it points to the resident any more.
    """
    if not resident_ids:
        return 0
    deleted = rows_changed(session.execute(
        delete(OutboxMail).where(OutboxMail.resident_id.in_(resident_ids), OutboxMail.status.in_(UNSENT))
    ))
    blanked = rows_changed(session.execute(
        update(OutboxMail)
        .where(OutboxMail.resident_id.in_(resident_ids))
        .values(to_address=text.MAIL_FORGOTTEN_ADDRESS, subject=text.MAIL_FORGOTTEN_SUBJECT,
                message=_forgotten_message(), resident_id=None)
        .execution_options(synchronize_session=False)
    ))
    return deleted + blanked


def _forgotten_message() -> bytes:
    message = EmailMessage()
    message["Subject"] = text.MAIL_FORGOTTEN_SUBJECT
    message.set_content(text.MAIL_FORGOTTEN_BODY)
    return bytes(message)


def _scoped(statement: Select[Any], scope: Scope) -> Select[Any]:
    return statement if scope is None else statement.where(OutboxMail.centre_id.in_(sorted(scope)))


def _row(session: Session, scope: Scope, mail_id: int) -> OutboxMail | None:
    if not 1 <= mail_id <= 2**31 - 1:
        return None
    row = session.get(OutboxMail, mail_id)
    if row is None or (scope is not None and row.centre_id not in scope):
        return None
    return row


def _summary(row: OutboxMail) -> MailSummary:
    return MailSummary(
        id=row.id, kind=row.kind, to_address=row.to_address, subject=row.subject, status=row.status,
        attempts=row.attempts, created_at=as_utc(row.created_at),
        sent_at=as_utc(row.sent_at) if row.sent_at else None,
        next_attempt_at=as_utc(row.next_attempt_at), last_error=row.last_error,
    )
