"""DoeMee's open listings in Open Referral HSDS 3.0, so another platform can take them without scraping.

An opportunity is an HSDS `service`, its initiative the `organization`,
its place a `location` (linked by a `service_at_location`), and its
category, time commitment and day parts `attribute`s with DoeMee's own
taxonomy terms. docs/open-data-hsds.md gives the whole mapping.

Only what the public listing page (/kansen) already shows goes out: no
contact address of the initiative, no street, nothing about residents.
Demo listings are left out: another platform must never import them.

HSDS ids are UUIDs. DoeMee's are integers, so each HSDS id is a UUIDv8
(RFC 9562, the version meant for ids of one's own making) that carries
the kind of object and its number: stable, and reversible without a table.
"""

from __future__ import annotations

import math
import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from doemee.categories import CATEGORIES, LABELS
from doemee.storage.models import DAY_PARTS, Initiative, Opportunity, Status, TimeCommitment, as_utc

HSDS_VERSION = "3.0"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
LANGUAGE = "nld"
# "doemee" in ASCII: the first 48 bits of every DoeMee HSDS id.
_MARK = int.from_bytes(b"doemee", "big")
SERVICE, ORGANIZATION, LOCATION, SERVICE_AT_LOCATION, TERM, ATTRIBUTE, TAXONOMY = range(1, 8)
TAXONOMIES = {
    "category": (1, "DoeMee-interesses", "De veertien interesses waarop DoeMee vrijwilligerswerk zoekt."),
    "time_commitment": (2, "DoeMee-tijdsinzet", "Hoe vaak een vrijwilliger meedoet."),
    "day_part": (3, "DoeMee-dagdelen", "Op welke dagdelen het werk gebeurt."),
}
TIME_LABELS = {"eenmalig": "Eenmalig", "wekelijks": "Wekelijks", "maandelijks": "Maandelijks", "flexibel": "Flexibel"}
DAY_PART_LABELS = {"ochtend": "Ochtend", "middag": "Middag", "avond": "Avond", "weekend": "Weekend"}
_TERMS: dict[str, tuple[str, ...]] = {
    "category": tuple(c.slug for c in CATEGORIES),
    "time_commitment": tuple(t.value for t in TimeCommitment),
    "day_part": DAY_PARTS,
}


def hsds_id(kind: int, number: int) -> str:
    """The UUIDv8 for object `number` of `kind`: 48 bits of mark, version 8, kind, variant, 48 bits of number."""
    value = (_MARK << 80) | (0x8 << 76) | ((kind & 0xFFF) << 64) | (0b10 << 62) | (number & 0xFFFF_FFFF_FFFF)
    return str(uuid.UUID(int=value))


def number_of(text: str, kind: int) -> int | None:
    """The DoeMee number inside an HSDS id of `kind`, or None for anything else."""
    if len(text) > 45:
        return None
    try:
        value = uuid.UUID(text).int
    except ValueError:
        return None
    expected = hsds_id(kind, 0)
    if value & ~0xFFFF_FFFF_FFFF != uuid.UUID(expected).int:
        return None
    number = value & 0xFFFF_FFFF_FFFF
    return number if 1 <= number <= 2**31 - 1 else None


def _term_number(taxonomy: str, code: str) -> int:
    return TAXONOMIES[taxonomy][0] * 1000 + _TERMS[taxonomy].index(code) + 1


def _term(taxonomy: str, code: str) -> dict[str, Any]:
    number, name, _ = TAXONOMIES[taxonomy]
    label = {"category": LABELS, "time_commitment": TIME_LABELS, "day_part": DAY_PART_LABELS}[taxonomy].get(code, code)
    return {
        "id": hsds_id(TERM, _term_number(taxonomy, code)), "code": code, "name": label, "description": label,
        "taxonomy": name, "taxonomy_id": hsds_id(TAXONOMY, number), "language": LANGUAGE,
    }


def _attribute(service_id: int, taxonomy: str, code: str) -> dict[str, Any]:
    term = _term(taxonomy, code)
    return {
        "id": hsds_id(ATTRIBUTE, service_id * 100 + _term_number(taxonomy, code) % 100 + 20 * TAXONOMIES[taxonomy][0]),
        "link_id": hsds_id(SERVICE, service_id), "link_type": taxonomy, "link_entity": "service",
        "taxonomy_term_id": term["id"], "value": code, "label": term["name"], "taxonomy_term": term,
    }


def _open(today: date):
    return (
        Opportunity.status == Status.OPEN.value,
        or_(Opportunity.valid_until.is_(None), Opportunity.valid_until >= today),
        Opportunity.is_demo.is_(False),
    )


def organization(initiative: Initiative) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": hsds_id(ORGANIZATION, initiative.id), "name": initiative.name,
        "description": f"{initiative.name} zoekt vrijwilligers via DoeMee.",
    }
    if initiative.website:
        found["website"] = initiative.website
    return found


def service(o: Opportunity, initiative: Initiative, base_url: str, full: bool = True) -> dict[str, Any]:
    """One listing as an HSDS service; `full` adds the one-to-many parts (attributes, location)."""
    found: dict[str, Any] = {
        "id": hsds_id(SERVICE, o.id), "organization_id": hsds_id(ORGANIZATION, initiative.id), "name": o.title,
        "description": o.description, "url": f"{base_url}/kansen#kans-{o.id}", "status": "active",
        "application_process": "Meld je aan via de chat van DoeMee. Het initiatief neemt dan contact met je op.",
        "last_modified": as_utc(o.updated_at).isoformat().replace("+00:00", "Z"),
        "organization": organization(initiative),
    }
    if o.valid_until is not None:
        found["alert"] = f"Deze vacature staat open tot en met {o.valid_until.isoformat()}."
    if not full:
        return found
    attributes = [_attribute(o.id, "category", o.category)] if o.category in _TERMS["category"] else []
    if o.time_commitment in _TERMS["time_commitment"]:
        attributes.append(_attribute(o.id, "time_commitment", o.time_commitment))
    attributes += [_attribute(o.id, "day_part", part) for part in o.day_part_list if part in DAY_PARTS]
    location: dict[str, Any] = {
        "id": hsds_id(LOCATION, o.id), "location_type": "virtual" if o.remote else "physical",
        "name": o.place, "description": f"Postcodegebied {o.pc4}, {o.place}",
        "latitude": round(o.lat, 4), "longitude": round(o.lon, 4),
        "external_identifier": o.pc4, "external_identifier_type": "postcode (PC4)",
    }
    found.update({
        "attributes": attributes,
        "languages": [{"id": hsds_id(ATTRIBUTE, o.id * 100 + 99), "service_id": found["id"], "name": "Nederlands",
                       "code": LANGUAGE}],
        "service_at_locations": [{
            "id": hsds_id(SERVICE_AT_LOCATION, o.id), "service_id": found["id"], "location_id": location["id"],
            "location": location,
        }],
    })
    return found


def page(total: int, number: int, per_page: int, contents: list[dict[str, Any]]) -> dict[str, Any]:
    """HSDS's Page: counts, where this page is, and its contents."""
    pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total, "total_pages": pages, "page_number": number, "size": len(contents),
        "first_page": number == 1, "last_page": number >= pages, "empty": not contents, "contents": contents,
    }


def services(session: Session, base_url: str, number: int = 1, per_page: int = DEFAULT_PER_PAGE,
             today: date | None = None) -> dict[str, Any]:
    """A page of open listings, oldest first (so a harvester paging through misses nothing new)."""
    where = _open(today or date.today())
    total = session.scalar(select(func.count()).select_from(Opportunity).where(*where)) or 0
    rows = session.execute(
        select(Opportunity, Initiative).join(Initiative, Opportunity.initiative_id == Initiative.id).where(*where)
        .order_by(Opportunity.id).offset((number - 1) * per_page).limit(per_page)
    ).all()
    return page(total, number, per_page, [service(o, i, base_url, full=False) for o, i in rows])


def one_service(session: Session, hsds: str, base_url: str, today: date | None = None) -> dict[str, Any] | None:
    number = number_of(hsds, SERVICE)
    if number is None:
        return None
    row = session.execute(
        select(Opportunity, Initiative).join(Initiative, Opportunity.initiative_id == Initiative.id)
        .where(Opportunity.id == number, *_open(today or date.today()))
    ).first()
    return None if row is None else service(row[0], row[1], base_url)


def organizations(session: Session, number: int = 1, per_page: int = DEFAULT_PER_PAGE,
                  today: date | None = None) -> dict[str, Any]:
    """The initiatives with at least one open listing, by id."""
    with_open = select(Opportunity.initiative_id).where(*_open(today or date.today()))
    chosen = select(Initiative).where(Initiative.id.in_(with_open))
    total = session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
    rows = session.scalars(chosen.order_by(Initiative.id).offset((number - 1) * per_page).limit(per_page)).all()
    return page(total, number, per_page, [organization(i) for i in rows])


def taxonomy_terms() -> list[dict[str, Any]]:
    return [_term(taxonomy, code) for taxonomy in TAXONOMIES for code in _TERMS[taxonomy]]


def about(base_url: str, publisher: str) -> dict[str, Any]:
    """HSDS's "/" answer: which version, where the OpenAPI file is, who publishes."""
    return {
        "version": HSDS_VERSION, "profile": "https://docs.openreferral.org/en/latest/hsds/overview.html",
        "openapi_url": f"{base_url}/api/v1/openapi.json",
        "description": "Open vrijwilligersvacatures van DoeMee, in Open Referral HSDS 3.0.",
        "publisher": {"name": publisher, "website": f"{base_url}/kansen"},
    }
