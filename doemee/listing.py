"""Read-only views of open opportunities for whoever shows them: the listing page, "Meer info".

Channels read the collection through here, never through the models, so
what counts as open lives in the domain. Views carry no contact e-mail
address on purpose: an initiative hears from a resident only after a
sign-up with consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from doemee.matching.query import OpportunityView
from doemee.storage.models import Initiative, Opportunity, Status

MAX_LISTED = 500


@dataclass(frozen=True)
class Listing:
    opportunities: list[OpportunityView]
    places: list[str]
    truncated: bool


def _open(today: date) -> Select:
    return select(Opportunity).where(
        Opportunity.status == Status.OPEN.value,
        or_(Opportunity.valid_until.is_(None), Opportunity.valid_until >= today),
    )


def open_opportunities(
    session: Session,
    *,
    place: str | None = None,
    municipality_codes: tuple[str, ...] = (),
    today: date | None = None,
    limit: int = MAX_LISTED,
) -> Listing:
    """Open, unexpired opportunities by place then title; `places` feeds the filter."""
    scoped = _open(today or date.today())
    if municipality_codes:
        scoped = scoped.where(Opportunity.municipality_code.in_(municipality_codes))
    places_query = scoped.with_only_columns(Opportunity.place).distinct().order_by(Opportunity.place)
    places = [p for p in session.scalars(places_query) if p]
    chosen = scoped.where(Opportunity.place == place) if place else scoped
    rows = session.execute(
        chosen.add_columns(Initiative)
        .join(Initiative, Opportunity.initiative_id == Initiative.id)
        .order_by(Opportunity.place, Opportunity.title, Opportunity.id)
        .limit(limit + 1)
    ).all()
    listed = [OpportunityView.of(o, initiative) for o, initiative in rows[:limit]]
    return Listing(opportunities=listed, places=places, truncated=len(rows) > limit)


def open_opportunity(session: Session, opportunity_id: int) -> OpportunityView | None:
    """One opportunity a resident may still sign up for (status open), or None."""
    row = session.execute(
        select(Opportunity, Initiative)
        .join(Initiative, Opportunity.initiative_id == Initiative.id)
        .where(Opportunity.id == opportunity_id, Opportunity.status == Status.OPEN.value)
    ).first()
    return None if row is None else OpportunityView.of(*row)


def shown_opportunities(session: Session, opportunity_ids: list[int]) -> list[OpportunityView]:
    """The opportunities a resident was shown, in the order shown, closed ones included.

    A resident may name a result that closed since it was shown; choosing it
    then says it is gone instead of picking another one.
    """
    if not opportunity_ids:
        return []
    rows = session.execute(
        select(Opportunity, Initiative)
        .join(Initiative, Opportunity.initiative_id == Initiative.id)
        .where(Opportunity.id.in_(opportunity_ids))
    ).all()
    views = {o.id: OpportunityView.of(o, initiative) for o, initiative in rows}
    return [views[i] for i in opportunity_ids if i in views]
