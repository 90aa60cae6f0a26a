"""Mail to a centre's staff when something waits for them: a new concept, a resident's question.

Only links: what waits stays in the portal, behind a login. Each mail is
queued in the outbox in the transaction that stored what it tells about.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from doemee import outbox
from doemee import staff_messages as text
from doemee.mail_message import compose
from doemee.settings import Settings
from doemee.storage.models import StaffMember


def active_staff_emails(session: Session, centre_id: int) -> list[str]:
    """Who hears about a new concept: the centre's active members who accepted their invitation."""
    return list(session.scalars(
        select(StaffMember.email).where(
            StaffMember.centre_id == centre_id, StaffMember.active.is_(True), StaffMember.password_hash.is_not(None),
        ).order_by(StaffMember.id)
    ))


def new_concept_message(settings: Settings, to: str, title: str, opportunity_id: int) -> EmailMessage:
    link = f"{settings.public_url}/portaal/concepten/{opportunity_id}"
    return compose(settings, to, text.new_concept_subject(" ".join(title.split())[:120]),
                    text.new_concept_body(title, link))


def notify_new_concept(session: Session, opportunity_id: int, centre_id: int, title: str, settings: Settings) -> None:
    """Queues a mail to each of the centre's staff about a new concept, in the concept's transaction.

    A rollback takes the mails back with the concept, and a mail server
    that is down can never lose either: the outbox worker retries.
    """
    _mail_staff(
        session, centre_id, lambda address: new_concept_message(settings, address, title, opportunity_id),
        "staff-concept",
    )


def new_question_message(settings: Settings, to: str) -> EmailMessage:
    """Only a link: the question and the resident's contact stay in the portal, behind a login."""
    return compose(settings, to, text.NEW_QUESTION_SUBJECT,
                    text.new_question_body(f"{settings.public_url}/portaal/hulpvragen"))


def notify_new_question(session: Session, centre_id: int, settings: Settings) -> None:
    """Queues mails to the centre's staff about a resident's question, like a new concept."""
    _mail_staff(session, centre_id, lambda address: new_question_message(settings, address), "staff-question")


def _mail_staff(session: Session, centre_id: int, build: Callable[[str], EmailMessage], kind: str) -> None:
    for address in active_staff_emails(session, centre_id):
        outbox.queue(session, build(address), kind=kind, centre_id=centre_id)
