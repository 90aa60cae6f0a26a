"""Reads the open opportunities for the plain listing page.

Read-only, through the doemee storage session and models: the gateway never
writes to the database. Contact e-mail addresses are left out on purpose;
an initiative hears from a resident only after a sign-up with consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from doemee.storage.models import Category, Initiative, Opportunity, Status

MAX_LISTED = 500


@dataclass(frozen=True)
class ListedOpportunity:
    id: int
    title: str
    description: str
    initiative: str
    initiative_website: str | None
    category_label: str
    place: str
    time_commitment: str
    day_parts: tuple[str, ...]
    remote: bool
    valid_until: date | None


@dataclass(frozen=True)
class Listing:
    opportunities: list[ListedOpportunity]
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
    today = today or date.today()
    scoped = _open(today)
    if municipality_codes:
        scoped = scoped.where(Opportunity.municipality_code.in_(municipality_codes))
    places_query = scoped.with_only_columns(Opportunity.place).distinct().order_by(Opportunity.place)
    places = [p for p in session.scalars(places_query) if p]
    chosen = scoped.where(Opportunity.place == place) if place else scoped
    rows = session.execute(
        chosen.with_only_columns(Opportunity, Initiative.name, Initiative.website, Category.label)
        .join(Initiative, Opportunity.initiative_id == Initiative.id)
        .join(Category, Opportunity.category == Category.slug)
        .order_by(Opportunity.place, Opportunity.title, Opportunity.id)
        .limit(limit + 1)
    ).all()
    listed = [
        ListedOpportunity(
            id=o.id,
            title=o.title,
            description=o.description,
            initiative=name,
            initiative_website=website,
            category_label=label,
            place=o.place,
            time_commitment=o.time_commitment,
            day_parts=tuple(o.day_part_list),
            remote=o.remote,
            valid_until=o.valid_until,
        )
        for o, name, website, label in rows[:limit]
    ]
    return Listing(opportunities=listed, places=places, truncated=len(rows) > limit)
