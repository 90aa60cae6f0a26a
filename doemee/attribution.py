"""Which centre something belongs to: by the widget it came through, or by where it is.

A widget names its centre; Telegram does not, so there the resident's
location decides: the centre whose region holds the municipality. Where a
municipality is claimed by two centres, the one listed first in centres.yml
wins, so the answer never depends on the database's whims. Callers that
need a centre for sure (every opportunity has one) fall back to the first
centre; callers that only record where something came from keep None.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from doemee.geo.types import Location
from doemee.settings import Settings, get_settings
from doemee.storage.models import Centre, CentreMunicipality

# A shared position: a resolved Location, or (lat, lon) as a channel received it.
Position = Location | tuple[float, float]


class NoCentre(LookupError):
    """The database holds no centre yet, so nothing can be attributed (run `doemee centres-sync`)."""


class Nearest(Protocol):
    """What attribution needs from the geography: the municipality around a point."""

    def nearest(self, lat: float, lon: float) -> Location: ...


def centre_for_slug(session: Session, slug: str | None) -> Centre | None:
    if not slug:
        return None
    return session.scalar(select(Centre).where(Centre.slug == slug))


def default_centre(session: Session) -> Centre | None:
    """The first centre of centres.yml: where an import without --centre goes."""
    return session.scalar(select(Centre).order_by(Centre.position, Centre.id).limit(1))


def require_default_centre(session: Session) -> Centre:
    centre = default_centre(session)
    if centre is None:
        raise NoCentre()
    return centre


def centre_for_municipality(session: Session, code: str | None) -> Centre | None:
    """The centre whose region holds the CBS code (the first listed when two claim it)."""
    if not code:
        return None
    return session.scalar(
        select(Centre)
        .join(CentreMunicipality, CentreMunicipality.centre_id == Centre.id)
        .where(CentreMunicipality.municipality_code == code.zfill(4))
        .order_by(Centre.position, Centre.id)
        .limit(1)
    )


def centre_for_position(session: Session, position: Position | None, geo: Nearest | None = None) -> Centre | None:
    """The centre whose region holds the municipality at `position`; None outside every region."""
    code = municipality_at(position, geo)
    return centre_for_municipality(session, code) if code else None


def municipality_at(position: Position | None, geo: Nearest | None = None) -> str | None:
    if position is None:
        return None
    if isinstance(position, Location):
        return position.municipality_code or None
    lat, lon = position
    if geo is None:
        from doemee.geo.index import get_geo_index

        geo = get_geo_index()
    try:
        return geo.nearest(lat, lon).municipality_code or None
    except ValueError:  # not a point on Earth: no municipality, no centre
        return None


def region_owners(session: Session) -> dict[str, int]:
    """CBS code -> centre id for every region at once, for writers that attribute thousands of rows."""
    owners: dict[str, int] = {}
    rows = session.execute(
        select(CentreMunicipality.municipality_code, Centre.id)
        .join(Centre, Centre.id == CentreMunicipality.centre_id)
        .order_by(Centre.position, Centre.id)
    )
    for code, centre_id in rows:
        owners.setdefault(code, centre_id)
    return owners


def attributed_centre(
    session: Session, slug: str | None = None, position: Position | None = None, geo: Nearest | None = None,
) -> Centre | None:
    """The centre a resident's message belongs to: the widget's centre first, else the region around them."""
    return centre_for_slug(session, slug) or centre_for_position(session, position, geo)


def handoff_contact(
    session: Session,
    slug: str | None,
    position: Position | None,
    *,
    geo: Nearest | None = None,
    settings: Settings | None = None,
) -> str:
    """Who a resident can reach for a person: their centre's own contact, else DOEMEE_HANDOFF_CONTACT."""
    centre = attributed_centre(session, slug, position, geo)
    if centre is not None and centre.handoff_contact.strip():
        return centre.handoff_contact
    return (settings or get_settings()).handoff_contact
