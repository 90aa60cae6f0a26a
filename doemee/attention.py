"""What needs a centre's attention today: the portal's first page.

Counts and short lists only, always for the centres a member may see; the
page links on to where the work is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from doemee.handoff import count_open
from doemee.storage.models import Opportunity, SignUp, Status

SOON = timedelta(days=14)
RECENT = timedelta(days=14)
MAX_EXPIRING = 50


@dataclass(frozen=True)
class Expiring:
    id: int
    title: str
    valid_until: date


@dataclass(frozen=True)
class Attention:
    concepts_waiting: int
    expiring: list[Expiring]
    recent_signups: int
    open_questions: int = 0


def attention(session: Session, centre_ids: frozenset[int], now: datetime) -> Attention:
    scope = sorted(centre_ids)
    today = now.date()
    waiting = session.scalar(
        select(func.count()).select_from(Opportunity)
        .where(Opportunity.status == Status.CONCEPT.value, Opportunity.centre_id.in_(scope))
    ) or 0
    expiring = [
        Expiring(o.id, o.title, o.valid_until)
        for o in session.execute(
            select(Opportunity.id, Opportunity.title, Opportunity.valid_until)
            .where(
                Opportunity.status == Status.OPEN.value, Opportunity.centre_id.in_(scope),
                Opportunity.valid_until >= today, Opportunity.valid_until <= today + SOON,
            )
            .order_by(Opportunity.valid_until, Opportunity.id)
            .limit(MAX_EXPIRING)
        )
    ]
    signups = session.scalar(
        select(func.count()).select_from(SignUp)
        .join(Opportunity, Opportunity.id == SignUp.opportunity_id)
        .where(Opportunity.centre_id.in_(scope), SignUp.created_at >= now - RECENT)
    ) or 0
    return Attention(concepts_waiting=waiting, expiring=expiring, recent_signups=signups,
                     open_questions=count_open(session, centre_ids))
