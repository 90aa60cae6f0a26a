"""Opportunities placed directly by coordinates, so matching tests need no geography."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from itertools import count

from sqlalchemy.orm import Session

from doemee.matching.query import SearchQuery
from doemee.storage.models import Initiative, Opportunity

TODAY = date(2026, 11, 27)
UTRECHT = (52.0907, 5.1214)  # Domplein, postcode 3511
OVERVECHT = (52.1170, 5.1130)  # about 3 km north
ZEIST = (52.0894, 5.2330)  # about 7.6 km east
AMERSFOORT = (52.1561, 5.3878)  # about 19.6 km east
AMSTERDAM = (52.3728, 4.8936)  # about 35 km north
MAASTRICHT = (50.8514, 5.6910)  # about 144 km south

_numbers = count(1)


def published(days_ago: int) -> datetime:
    return datetime.combine(TODAY, datetime.min.time(), tzinfo=timezone.utc) - timedelta(days=days_ago)


def add(session: Session, at: tuple[float, float] = UTRECHT, **fields) -> Opportunity:
    """An open, weekly, two-month-old opportunity at `at`, unless `fields` say otherwise."""
    n = next(_numbers)
    values = dict(
        source="test", external_id=f"t{n}", title=f"Vrijwilliger {n}", description="Help mee in de buurt.",
        category="groen", postcode="3511 AB", pc4="3511", place="Utrecht", municipality_code="0344",
        lat=at[0], lon=at[1], time_commitment="wekelijks", day_parts="", remote=False,
        contact_email=f"c{n}@example.org", valid_until=None, status="open", created_at=published(60),
    )
    values.update(fields)
    if values["status"] == "open":
        values.setdefault("published_at", values["created_at"])
    if "initiative" not in values:
        values["initiative"] = Initiative(name=f"Initiatief {n}", website=f"https://i{n}.example.org")
    opportunity = Opportunity(**values)
    session.add(opportunity)
    session.flush()
    return opportunity


def near(at: tuple[float, float] = UTRECHT, origin: str = "3511", **fields) -> SearchQuery:
    values = dict(lat=at[0], lon=at[1], origin=origin, pc4="3511", municipality_code="0344", today=TODAY)
    values.update(fields)
    return SearchQuery(**values)


def ids(result) -> list[int]:
    return [m.opportunity.id for m in result.matches]
