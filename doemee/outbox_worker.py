"""Sends what the outbox holds: claimed row by row, retried with growing pauses, never twice.

A row is claimed with one UPDATE that only succeeds while it is still due,
so two gateways running this at once never both send it. The claim moves
`next_attempt_at` past a timeout: a worker that dies while sending leaves
a row that becomes due again by itself. After MAX_ATTEMPTS (or a refusal
that will not change, an SMTP 5xx) the row is `failed` and waits for a
person to press "opnieuw versturen" in the portal.

Without `DOEMEE_SMTP_HOST` nothing leaves the machine: rows become `kept`
and can be read in the portal. Logs hold counts and error types only.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import Session

from doemee.outbox import parsed
from doemee.settings import Settings
from doemee.storage.database import Database, rows_changed
from doemee.storage.models import MailStatus, OutboxMail, as_utc, utcnow

log = logging.getLogger(__name__)

# The pause after the 1st, 2nd, ... failed attempt; the last attempt fails for good.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=12))
MAX_ATTEMPTS = len(BACKOFF) + 1
SENDING_TIMEOUT = timedelta(minutes=10)
BATCH = 100
SMTP_TIMEOUT = 10


@dataclass(frozen=True)
class Delivered:
    """One round in counts (the log may hold nothing else)."""

    sent: int = 0
    kept: int = 0
    retrying: int = 0
    failed: int = 0
    deleted: int = 0


def deliver_due(database: Database, settings: Settings, now: datetime | None = None) -> Delivered:
    moment = as_utc(now or utcnow())
    with database.session() as session:
        due = list(session.scalars(
            select(OutboxMail.id)
            .where(_due(moment))
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(BATCH)
        ))
    counts = {"sent": 0, "kept": 0, "retrying": 0, "failed": 0}
    connection = _Connection(settings)
    try:
        for mail_id in due:
            outcome = _deliver_one(database, connection, mail_id, moment)
            if outcome:
                counts[outcome] += 1
    finally:
        connection.close()
    with database.session() as session:
        deleted = delete_old(session, settings, moment)
    done = Delivered(deleted=deleted, **counts)
    if done != Delivered():
        log.info("outbox: %d sent, %d kept, %d to retry, %d failed, %d deleted",
                 done.sent, done.kept, done.retrying, done.failed, done.deleted)
    return done


def _due(now: datetime) -> ColumnElement[bool]:
    """Waiting and its pause is over (a mail never tried is due whatever the caller's clock says),
    or claimed by a worker longer ago than SENDING_TIMEOUT."""
    return or_(
        (OutboxMail.status == MailStatus.QUEUED) & ((OutboxMail.attempts == 0) | (OutboxMail.next_attempt_at <= now)),
        (OutboxMail.status == MailStatus.SENDING) & (OutboxMail.next_attempt_at <= now),
    )


def delete_old(session: Session, settings: Settings, now: datetime) -> int:
    """Sent (or kept) mails go after `outbox_keep_days`, failed ones as long after they were written."""
    cutoff = now - timedelta(days=settings.outbox_keep_days)
    return rows_changed(session.execute(
        delete(OutboxMail).where(or_(
            (OutboxMail.status.in_((MailStatus.SENT, MailStatus.KEPT))) & (OutboxMail.sent_at < cutoff),
            (OutboxMail.status == MailStatus.FAILED) & (OutboxMail.created_at < cutoff),
        ))
    ))


def _deliver_one(database: Database, connection: "_Connection", mail_id: int, now: datetime) -> str | None:
    with database.session() as session:
        claimed = rows_changed(session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id, _due(now))
            .values(status=MailStatus.SENDING, attempts=OutboxMail.attempts + 1,
                    next_attempt_at=now + SENDING_TIMEOUT)
        ))
        row = session.get(OutboxMail, mail_id) if claimed == 1 else None
        if row is None:
            return None  # another worker has it, or it was forgotten meanwhile
        attempt, message = row.attempts, parsed(row)
    if attempt > MAX_ATTEMPTS:  # claimed again and again by workers that died while sending it
        return _finish(database, mail_id, attempt, now, MailStatus.FAILED, "failed", "SendingTimeout")
    if not connection.configured:
        return _finish(database, mail_id, attempt, now, MailStatus.KEPT, "kept")
    try:
        connection.send(message)
    except (OSError, smtplib.SMTPException) as error:
        connection.close()  # the next mail starts from a fresh connection
        final = attempt >= MAX_ATTEMPTS or (connection.reachable and _permanent(error))
        log.warning("outbox mail %d not sent (attempt %d): %s", mail_id, attempt, type(error).__name__)
        with database.session() as session:
            session.execute(
                update(OutboxMail)
                .where(OutboxMail.id == mail_id, OutboxMail.status == MailStatus.SENDING,
                       OutboxMail.attempts == attempt)
                .values(status=MailStatus.FAILED if final else MailStatus.QUEUED,
                        last_error=type(error).__name__[:80],
                        next_attempt_at=now if final else now + BACKOFF[min(attempt, len(BACKOFF)) - 1])
            )
        return "failed" if final else "retrying"
    return _finish(database, mail_id, attempt, now, MailStatus.SENT, "sent")


def _finish(database: Database, mail_id: int, attempt: int, now: datetime, status: MailStatus, outcome: str,
            error: str | None = None) -> str:
    with database.session() as session:
        session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id, OutboxMail.status == MailStatus.SENDING, OutboxMail.attempts == attempt)
            .values(status=status, sent_at=None if error else now, last_error=error, next_attempt_at=now)
        )
    return outcome


def _permanent(error: Exception) -> bool:
    """A 5xx answer to the message itself will be the same next time; a refused connection will not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPHeloError,
                          smtplib.SMTPAuthenticationError)):
        return False
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


class _Connection:
    """One SMTP connection for a round, opened on the first mail and again after an error.

    A server that cannot be reached is tried once per round: the other mails
    of that round fail with the same error at once, instead of each waiting
    for its own timeout.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.configured = bool(settings.smtp_host)
        self._smtp: smtplib.SMTP | None = None
        self._unreachable: Exception | None = None

    @property
    def reachable(self) -> bool:
        """False after the server could not be reached (or refused our login): no mail's fault."""
        return self._unreachable is None

    def send(self, message: EmailMessage) -> None:
        if self._unreachable is not None:
            raise self._unreachable
        if self._smtp is None:
            try:
                self._smtp = self._open()
            except (OSError, smtplib.SMTPException) as error:
                self._unreachable = error
                raise
        self._smtp.send_message(message)

    def _open(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.settings.smtp_host or "", self.settings.smtp_port, timeout=SMTP_TIMEOUT)
        try:
            if self.settings.smtp_user:
                smtp.starttls()
                smtp.login(self.settings.smtp_user, self.settings.smtp_password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None
