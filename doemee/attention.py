"""What needs a centre's attention today: the portal's first page.

Counts and short lists only, always for the centres a member may see; the
page links on to where the work is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from doemee.handoff import count_open
from doemee.outbox import count_failed
from doemee.storage.models import FollowUpAnswer, Initiative, Opportunity, SignUp, SignUpStatus, Status, as_utc

SOON = timedelta(days=14)
RECENT = timedelta(days=14)
MAX_EXPIRING = 50
# A resident's "nee" stays on the page this long, unless the initiative marks the sign-up first.
UNANSWERED_FOR = timedelta(days=30)
MAX_UNANSWERED = 50


@dataclass(frozen=True)
class Expiring:
    id: int
    title: str
    valid_until: date


@dataclass(frozen=True)
class Unanswered:
    """A sign-up whose resident said the initiative never contacted them; no resident data."""

    sign_up_id: int
    title: str
    initiative: str
    contact_email: str
    signed_up_on: date


@dataclass(frozen=True)
class Attention:
    concepts_waiting: int
    expiring: list[Expiring]
    recent_signups: int
    open_questions: int = 0
    failed_mails: int = 0
    unanswered: list[Unanswered] = field(default_factory=list)


def attention(session: Session, centre_ids: frozenset[int], now: datetime, every_mail: bool = False) -> Attention:
    """`every_mail`: an administrator's count of failed mails includes those of no centre."""
    scope = sorted(centre_ids)
    today = now.date()
    waiting = session.scalar(
        select(func.count()).select_from(Opportunity)
        .where(Opportunity.status == Status.CONCEPT.value, Opportunity.centre_id.in_(scope))
    ) or 0
    # The stored last day (doemee.listing_end), with or without a `valid_until`: a range of one index.
    expiring = [Expiring(i, title, day) for i, title, day in session.execute(
        select(Opportunity.id, Opportunity.title, Opportunity.ends_on).where(
            Opportunity.status == Status.OPEN.value, Opportunity.centre_id.in_(scope),
            Opportunity.ends_on >= today, Opportunity.ends_on <= today + SOON,
        ).order_by(Opportunity.ends_on, Opportunity.id).limit(MAX_EXPIRING)
    ) if day is not None]
    signups = session.scalar(
        select(func.count()).select_from(SignUp)
        .join(Opportunity, Opportunity.id == SignUp.opportunity_id)
        .where(Opportunity.centre_id.in_(scope), SignUp.created_at >= now - RECENT)
    ) or 0
    return Attention(concepts_waiting=waiting, expiring=expiring, recent_signups=signups,
                     open_questions=count_open(session, centre_ids),
                     failed_mails=count_failed(session, None if every_mail else centre_ids),
                     unanswered=unanswered(session, scope, now))


def unanswered(session: Session, centre_ids: list[int], now: datetime) -> list[Unanswered]:
    """Sign-ups whose resident answered "nee" to "heeft het initiatief contact opgenomen?", oldest first."""
    rows = session.execute(
        select(SignUp.id, SignUp.created_at, Opportunity.title, Initiative.name, Opportunity.contact_email)
        .join(Opportunity, Opportunity.id == SignUp.opportunity_id)
        .join(Initiative, Initiative.id == Opportunity.initiative_id)
        .where(
            Opportunity.centre_id.in_(centre_ids), SignUp.resident_answer == FollowUpAnswer.NO,
            SignUp.status == SignUpStatus.NEW, SignUp.answered_at >= now - UNANSWERED_FOR,
            SignUp.centre_handled_at.is_(None),
        )
        .order_by(SignUp.created_at, SignUp.id)
        .limit(MAX_UNANSWERED)
    )
    return [Unanswered(i, title, name, email, as_utc(created).date()) for i, created, title, name, email in rows]
