"""Signing a resident up for one opportunity, exactly once, with proof of consent.

The resident's name and contact go to the initiative only after consent;
the consent text is stored as it was shown. A repeated click or a retried
request finds the existing sign-up instead of adding a second one (the
unique constraint on resident and opportunity backs this up when two
requests race).

A resident may call a sign-up off again in the chat (`withdraw`); the
initiative is told by mail, queued with the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from doemee.initiative_links import link_for_notice
from doemee.notify import SignUpNotice, queue_signup_notice, queue_withdrawn_notice
from doemee.residents import Contact, find_resident, get_or_create, remember_contact
from doemee.settings import Settings, get_settings
from doemee.storage.models import (
    Centre,
    Initiative,
    Opportunity,
    SignUp,
    SignUpStatus,
    Status,
    as_utc,
    utcnow,
)

# Sign-ups a resident can still call off: the initiative has not turned them down, nor have they.
ACTIVE = (SignUpStatus.NEW, SignUpStatus.CONTACTED, SignUpStatus.STARTED)
# More than a chat can show as buttons; the newest come first.
MAX_LISTED = 8


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


@dataclass(frozen=True)
class OwnSignUp:
    """One of the resident's own sign-ups, as the chat names it (doemee.choosing can match it)."""

    id: int
    title: str
    initiative: str
    category: str


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
    settings: Settings | None = None,
) -> SignUpOutcome:
    """Stores the sign-up once; a second call for the same resident and opportunity returns the first.

    `centre` is the one whose widget (or region, on Telegram) the resident
    came through, for that centre's own counts; None when nobody knows.
    The initiative's notice is queued with the sign-up, in the same
    transaction: it exists exactly when the sign-up does.
    """
    target = opportunity_contact(session, opportunity_id)
    if target is None:
        raise OpportunityUnavailable(opportunity_id)
    resident = get_or_create(session, channel, sender_id)
    remember_contact(resident, first_name, contact)
    existing = _existing(session, resident.id, opportunity_id)
    moment = now or utcnow()
    if existing is not None and existing.status is SignUpStatus.WITHDRAWN:
        _reopen(session, existing, target, first_name, contact, consent_text, moment, settings or get_settings())
        return SignUpOutcome(existing.id, True, target)
    if existing is not None:
        return SignUpOutcome(existing.id, False, target)
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
                notified_at=moment,
            )
            session.add(row)
            session.flush()
            _notify(session, row, target, first_name, contact, moment, settings or get_settings())
    except IntegrityError:
        existing = _existing(session, resident.id, opportunity_id)
        if existing is None:
            raise
        return SignUpOutcome(existing.id, False, target)
    return SignUpOutcome(row.id, True, target)


def _notify(
    session: Session, row: SignUp, target: OpportunityContact, first_name: str, contact: Contact, moment: datetime,
    settings: Settings,
) -> None:
    link, personal = link_for_notice(session, target.opportunity_id, target.contact_email, settings, moment)
    queue_signup_notice(
        session,
        SignUpNotice(target.contact_email, target.initiative, target.title, first_name, contact.value,
                     manage_link=link, manage_personal=personal),
        settings,
        centre_id=session.scalar(select(Opportunity.centre_id).where(Opportunity.id == target.opportunity_id)),
        resident_id=row.resident_id,
    )


def _reopen(
    session: Session, row: SignUp, target: OpportunityContact, first_name: str, contact: Contact, consent_text: str,
    moment: datetime, settings: Settings,
) -> None:
    """A resident who called a sign-up off and signs up again starts afresh, follow-up and all."""
    row.first_name, row.contact, row.consent_text = first_name, contact.value, consent_text
    row.consented_at = row.created_at = row.notified_at = row.status_changed_at = moment
    row.status = SignUpStatus.NEW
    row.initiative_reminded_at = row.resident_asked_at = row.question_shown_at = None
    row.resident_answer = None
    row.answered_at = row.centre_handled_at = None
    _notify(session, row, target, first_name, contact, moment, settings)


def _existing(session: Session, resident_id: int, opportunity_id: int) -> SignUp | None:
    return session.scalar(
        select(SignUp).where(SignUp.resident_id == resident_id, SignUp.opportunity_id == opportunity_id)
    )


def active_sign_ups(session: Session, channel: str, sender_id: str) -> list[OwnSignUp]:
    """The sign-ups this sender can still call off, newest first; none for a stranger."""
    resident = find_resident(session, channel, sender_id)
    if resident is None:
        return []
    rows = session.execute(
        select(SignUp, Opportunity, Initiative)
        .join(Opportunity, SignUp.opportunity_id == Opportunity.id)
        .join(Initiative, Opportunity.initiative_id == Initiative.id)
        .where(SignUp.resident_id == resident.id, SignUp.status.in_(ACTIVE))
        .order_by(SignUp.created_at.desc(), SignUp.id.desc())
        .limit(MAX_LISTED)
    ).all()
    return [OwnSignUp(row.id, opportunity.title, initiative.name, opportunity.category)
            for row, opportunity, initiative in rows]


def withdraw(
    session: Session, channel: str, sender_id: str, sign_up_id: int, now: datetime | None = None,
    settings: Settings | None = None,
) -> OwnSignUp | None:
    """Calls off the sender's own active sign-up and tells the initiative; None for any other id.

    The ownership check lives here, not in the chat: a forged button can
    name any id.
    """
    resident = find_resident(session, channel, sender_id)
    row = session.get(SignUp, sign_up_id) if resident is not None else None
    if row is None or resident is None or row.resident_id != resident.id or row.status not in ACTIVE:
        return None
    opportunity = session.get(Opportunity, row.opportunity_id)
    if opportunity is None:
        return None
    initiative = opportunity.initiative
    row.status = SignUpStatus.WITHDRAWN
    row.status_changed_at = as_utc(now or utcnow())
    queue_withdrawn_notice(session, row, opportunity, initiative.name, settings or get_settings())
    return OwnSignUp(row.id, opportunity.title, initiative.name, opportunity.category)
