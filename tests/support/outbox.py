"""Reading what DoeMee queued to send: the outbox table, as the tests' inbox."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from doemee.outbox import parsed, plain_text
from doemee.storage.database import Database
from doemee.storage.models import OutboxMail


def queued(database: Database, kind: str | None = None) -> list[OutboxMail]:
    """The rows, oldest first (of one kind, e.g. "signup", or all)."""
    with database.session() as session:
        statement = select(OutboxMail).order_by(OutboxMail.id)
        if kind is not None:
            statement = statement.where(OutboxMail.kind == kind)
        return list(session.scalars(statement))


def mails(database: Database, kind: str | None = None) -> list[EmailMessage]:
    return [parsed(row) for row in queued(database, kind)]


def bodies(database: Database, kind: str | None = None) -> list[str]:
    return [plain_text(row) for row in queued(database, kind)]


def rows_in(session: Session, kind: str | None = None) -> list[OutboxMail]:
    """The rows as one open session sees them (its own uncommitted ones too)."""
    session.flush()
    statement = select(OutboxMail).order_by(OutboxMail.id)
    if kind is not None:
        statement = statement.where(OutboxMail.kind == kind)
    return list(session.scalars(statement))


def plain_mail(to: str, subject: str, body: str = "Een bericht van DoeMee.") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "DoeMee <noreply@doemee.example.org>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message
