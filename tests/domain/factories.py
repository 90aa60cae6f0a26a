"""Rows for the domain tests, written straight to the real database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import count

from sqlalchemy.orm import Session

from doemee.storage.models import Initiative, Opportunity

_ids = count(1)

# Utrecht centre (PC4 3511) and a point about 3 km east of it.
UTRECHT = (52.0907, 5.1214)
UTRECHT_EAST = (52.0907, 5.165)


def make_opportunity(
    session: Session,
    *,
    title: str = "Tuinieren in de buurttuin",
    category: str = "groen",
    lat: float = UTRECHT[0],
    lon: float = UTRECHT[1],
    status: str = "open",
    created_at: datetime | None = None,
    published_at: datetime | None = None,
    municipality_code: str = "0344",
    initiative: str | None = None,
    contact_email: str = "tuin@example.org",
) -> Opportunity:
    number = next(_ids)
    name = initiative or f"Buurtinitiatief {number}"
    owner = session.query(Initiative).filter_by(name=name).one_or_none()
    if owner is None:
        owner = Initiative(name=name, website="https://buurt.example.org", contact_email=contact_email)
        session.add(owner)
    moment = created_at or datetime.now(timezone.utc) - timedelta(days=3)
    opportunity = Opportunity(
        source="test", external_id=f"t{number}", initiative=owner, title=title,
        description="Samen de tuin bijhouden met buren.", category=category, postcode="3511",
        pc4="3511", place="Utrecht", municipality_code=municipality_code, lat=lat, lon=lon,
        time_commitment="wekelijks", day_parts="ochtend", remote=False, contact_email=contact_email,
        created_at=moment, updated_at=moment,
        # An open row counts as published when it was created, unless the test says otherwise.
        published_at=published_at or (moment if status == "open" else None), status=status,
    )
    session.add(opportunity)
    session.flush()
    return opportunity
