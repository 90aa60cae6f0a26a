"""Where residents look for volunteer work and find nothing near them.

A volunteer centre uses this to see which places and interests need new
initiatives. It reads only the search log, which holds an area and the
interests of each search and nothing about who searched, so the report is
safe to share. A search counts as unmet when nothing lay inside its radius
(the resident was only offered places further away, or none at all).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import case, func, or_, select, union_all
from sqlalchemy.orm import Session

from doemee import search_aggregates
from doemee.categories import LABELS
from doemee.storage.models import Opportunity, SearchLog, Status

DEFAULT_PERIOD_DAYS = 90
# A search without interests asks for anything; it gets its own row.
ANY_CATEGORY = ""


@dataclass(frozen=True)
class DemandRow:
    """Searches for one category in one municipality, and what is open there now."""

    municipality_code: str | None
    municipality: str | None
    category: str
    category_label: str | None
    searches: int
    unmet: int
    open_opportunities: int

    @property
    def unmet_share(self) -> float:
        return self.unmet / self.searches if self.searches else 0.0

    def as_dict(self) -> dict:
        return {
            "municipality_code": self.municipality_code,
            "municipality": self.municipality,
            "category": self.category or None,
            "category_label": self.category_label,
            "searches": self.searches,
            "unmet": self.unmet,
            "unmet_share": round(self.unmet_share, 3),
            "open_opportunities": self.open_opportunities,
        }


@dataclass(frozen=True)
class MunicipalityDemand:
    """All searches in one municipality, each counted once however many interests it named."""

    municipality_code: str
    municipality: str | None
    searches: int
    unmet: int
    open_opportunities: int

    @property
    def unmet_share(self) -> float:
        return self.unmet / self.searches if self.searches else 0.0


@dataclass(frozen=True)
class DemandReport:
    since: date
    municipality_code: str | None
    rows: tuple[DemandRow, ...]
    total_searches: int
    total_unmet: int


def default_since(today: date | None = None) -> date:
    return (today or date.today()) - timedelta(days=DEFAULT_PERIOD_DAYS)


def unmet_demand(
    session: Session,
    since: date,
    municipality_name: Callable[[str], str | None],
    municipality_code: str | None = None,
    limit: int | None = None,
    today: date | None = None,
    region: Collection[str] | None = None,
    centre_ids: Collection[int] | None = None,
) -> DemandReport:
    """Demand per municipality and category since `since` (UTC midnight), most unmet searches first.

    `municipality_name` turns a CBS code into a clean Dutch name (the
    geography's `municipality`); a search that names several interests
    counts once for each of them. Totals count searches, not rows.
    A centre's report passes its `region` (CBS codes: searches elsewhere
    and searches without a municipality are left out) and its `centre_ids`,
    so the open opportunities counted are its own and no other centre's.
    """
    searches = _searches(session, since, municipality_code, region)
    counts: dict[tuple[str | None, str], list[int]] = defaultdict(lambda: [0, 0])
    total_searches = total_unmet = 0
    for code, interests, number, unmet in searches:
        total_searches += number
        total_unmet += unmet
        for category in _categories(interests):
            counts[(code, category)][0] += number
            counts[(code, category)][1] += unmet

    available = _open(session, {code for code, _ in counts if code}, today or date.today(), centre_ids)
    names: dict[str, str | None] = {}
    rows = []
    for (code, category), (number, unmet) in counts.items():
        if code and code not in names:
            names[code] = municipality_name(code)
        rows.append(DemandRow(
            municipality_code=code,
            municipality=names.get(code) if code else None,
            category=category,
            category_label=LABELS.get(category) if category else None,
            searches=number,
            unmet=unmet,
            open_opportunities=_available(available, code, category),
        ))
    rows.sort(key=lambda r: (-r.unmet, -r.searches, r.municipality or "~", r.category_label or "~"))
    if limit is not None:
        rows = rows[:limit]
    return DemandReport(since, municipality_code, tuple(rows), total_searches, total_unmet)


def by_municipality(
    session: Session,
    since: date,
    municipality_name: Callable[[str], str | None],
    region: Collection[str],
    centre_ids: Collection[int] | None = None,
    today: date | None = None,
) -> tuple[MunicipalityDemand, ...]:
    """Every municipality of `region`, searched in or not, with its searches since `since`, by name.

    The same counts as `unmet_demand`, summed over interests, so the map
    and the table of a centre's figures always agree.
    """
    codes = sorted(set(region))
    totals: dict[str, list[int]] = {code: [0, 0] for code in codes}
    for code, _, number, unmet in _searches(session, since, None, codes):
        if code in totals:
            totals[code][0] += number
            totals[code][1] += unmet
    available = _open(session, set(codes), today or date.today(), centre_ids)
    rows = [
        MunicipalityDemand(
            municipality_code=code, municipality=municipality_name(code), searches=number, unmet=unmet,
            open_opportunities=_available(available, code, ANY_CATEGORY),
        )
        for code, (number, unmet) in totals.items()
    ]
    rows.sort(key=lambda r: ((r.municipality or "~").casefold(), r.municipality_code))
    return tuple(rows)


def _searches(
    session: Session, since: date, municipality_code: str | None, region: Collection[str] | None = None,
) -> list[tuple[str | None, str, int, int]]:
    """(municipality, interests, searches, unmet) per distinct pair: the live log and the folded days together."""
    if region is not None and not region:
        return []
    unmet = func.sum(case((SearchLog.within_radius_count == 0, 1), else_=0))
    statement = (
        select(SearchLog.municipality_code, SearchLog.interests, func.count(), unmet)
        .where(SearchLog.created_at >= datetime.combine(since, time.min, tzinfo=timezone.utc))
        .group_by(SearchLog.municipality_code, SearchLog.interests)
    )
    if municipality_code is not None:
        statement = statement.where(SearchLog.municipality_code == municipality_code)
    if region is not None:
        statement = statement.where(SearchLog.municipality_code.in_(sorted(region)))
    # One statement, so a fold running meanwhile is seen wholly or not at all.
    both = union_all(statement, search_aggregates.demand_since(since, municipality_code, region))
    counted: dict[tuple[str | None, str], list[int]] = defaultdict(lambda: [0, 0])
    for code, interests, number, missed in session.execute(both):
        counted[(code, interests or "")][0] += int(number)
        counted[(code, interests or "")][1] += int(missed or 0)
    return [(code, interests, number, missed) for (code, interests), (number, missed) in counted.items()]


def _categories(interests: str) -> list[str]:
    """The known categories of one logged search; none known means "anything"."""
    found = sorted({slug for slug in interests.split(",") if slug in LABELS})
    return found or [ANY_CATEGORY]


def _open(
    session: Session, codes: set[str], today: date, centre_ids: Collection[int] | None = None,
) -> dict[tuple[str, str], int]:
    """Open, unexpired opportunities per (municipality, category) in the given municipalities."""
    if not codes or (centre_ids is not None and not centre_ids):
        return {}
    statement = (
        select(Opportunity.municipality_code, Opportunity.category, func.count())
        .where(
            Opportunity.status == Status.OPEN.value,
            or_(Opportunity.valid_until.is_(None), Opportunity.valid_until >= today),
            Opportunity.municipality_code.in_(sorted(codes)),
        )
        .group_by(Opportunity.municipality_code, Opportunity.category)
    )
    if centre_ids is not None:
        statement = statement.where(Opportunity.centre_id.in_(sorted(centre_ids)))
    return {(code, category): int(number) for code, category, number in session.execute(statement) if code}


def _available(available: dict[tuple[str, str], int], code: str | None, category: str) -> int:
    if not code:
        return 0
    if category == ANY_CATEGORY:
        return sum(number for (place, _), number in available.items() if place == code)
    return available.get((code, category), 0)
