"""Signing a resident up for one opportunity, exactly once, with proof of consent.

The resident's name and contact go to the initiative only after consent;
the consent text is stored as it was shown. A repeated click or a retried
request finds the existing sign-up instead of adding a second one (the
unique constraint on resident and opportunity backs this up when two
requests race).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from doemee.residents import Contact, get_or_create, remember_contact
from doemee.storage.models import Centre, Initiative, Opportunity, SignUp, Status, utcnow


@dataclass(frozen=True)
class OpportunityContact:
    """What the resident may see after consenting, and where the notice goes."""

    opportunity_id: int
    title: str
    initiative: str
    contact_email: str
    website: str | None


@dataclass(frozen=True)
class SignUpOutcome:
    sign_up_id: int
    created: bool  # False: this resident was already signed up for it
    opportunity: OpportunityContact


class OpportunityUnavailable(Exception):
    """The opportunity is gone, filled or closed, so nobody can sign up for it."""


def opportunity_contact(session: Session, opportunity_id: int) -> OpportunityContact | None:
    """The open opportunity with its initiative, or None when nobody can sign up for it."""
    row = session.execute(
        select(Opportunity, Initiative)
        .join(Initiative, Opportunity.initiative_id == Initiative.id)
        .where(Opportunity.id == opportunity_id, Opportunity.status == Status.OPEN.value)
    ).first()
    if row is None:
        return None
    opportunity, initiative = row
    return OpportunityContact(
        opportunity_id=opportunity.id,
        title=opportunity.title,
        initiative=initiative.name,
        contact_email=opportunity.contact_email,
        website=initiative.website,
    )


def sign_up(
    session: Session,
    channel: str,
    sender_id: str,
    opportunity_id: int,
    first_name: str,
    contact: Contact,
    consent_text: str,
    now: datetime | None = None,
    centre: Centre | None = None,
) -> SignUpOutcome:
    """Stores the sign-up once; a second call for the same resident and opportunity returns the first.

    `centre` is the one whose widget (or region, on Telegram) the resident
    came through, for that centre's own counts; None when nobody knows.
    """
    target = opportunity_contact(session, opportunity_id)
    if target is None:
        raise OpportunityUnavailable(opportunity_id)
    resident = get_or_create(session, channel, sender_id)
    remember_contact(resident, first_name, contact)
    existing = _existing(session, resident.id, opportunity_id)
    if existing is not None:
        return SignUpOutcome(existing.id, False, target)
    moment = now or utcnow()
    try:
        with session.begin_nested():
            row = SignUp(
                resident_id=resident.id,
                opportunity_id=opportunity_id,
                first_name=first_name,
                contact=contact.value,
                consent_text=consent_text,
                centre_id=centre.id if centre is not None else None,
                consented_at=moment,
                created_at=moment,
            )
            session.add(row)
    except IntegrityError:
        existing = _existing(session, resident.id, opportunity_id)
        if existing is None:
            raise
        return SignUpOutcome(existing.id, False, target)
    return SignUpOutcome(row.id, True, target)


def mark_notified(session: Session, sign_up_id: int, now: datetime | None = None) -> None:
    row = session.get(SignUp, sign_up_id)
    if row is not None:
        row.notified_at = now or utcnow()


def _existing(session: Session, resident_id: int, opportunity_id: int) -> SignUp | None:
    return session.scalar(
        select(SignUp).where(SignUp.resident_id == resident_id, SignUp.opportunity_id == opportunity_id)
    )
