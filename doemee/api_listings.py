"""A centre's listings written by a partner platform through the API, and the open ones anyone may read.

A partner sends a listing as JSON with the fields of the CSV format
(CONTRACT section 4), under its own `external_id`. The checks are the
import's own (`doemee.opportunities.validate`) and so is the writer, so
a listing that arrives by API obeys every rule an imported one does; a
`valid_until` already past stores it closed, as an import does. API
listings are their own source ("api"): a CSV import with `--replace`
never removes them, and their external ids never collide with a file's.

Every write is for the key's centre only: another centre's row with the
same external id is another row, which this module never reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from doemee import api_messages as text
from doemee import messages
from doemee.categories import LABELS
from doemee.matching.query import OpportunityView
from doemee.opportunities import Geography, OpportunityInput, Writer, validate
from doemee.storage.models import Centre, Initiative, Opportunity, Status, as_utc
from doemee.vacancies import shared_website_problems, close as close_vacancy

API_SOURCE = "api"
TEXT_FIELDS: tuple[str, ...] = (
    "initiative_name", "initiative_website", "title", "description", "category", "postcode", "place",
    "time_commitment", "contact_email", "valid_until",
)
FIELDS: frozenset[str] = frozenset((*TEXT_FIELDS, "day_parts", "remote"))
MAX_EXTERNAL_ID = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True)
class Listing:
    """A listing as the centre's partner sees it after writing it (its own data, contact included)."""

    id: int
    external_id: str
    status: str
    title: str
    description: str
    initiative: str
    initiative_website: str | None
    category: str
    postcode: str
    place: str
    time_commitment: str
    day_parts: tuple[str, ...]
    remote: bool
    contact_email: str
    valid_until: date | None
    updated_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "external_id": self.external_id, "status": self.status, "title": self.title,
            "description": self.description, "initiative": self.initiative,
            "initiative_website": self.initiative_website, "category": self.category, "postcode": self.postcode,
            "place": self.place, "time_commitment": self.time_commitment, "day_parts": list(self.day_parts),
            "remote": self.remote, "contact_email": self.contact_email,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class PublicListing:
    """An open listing as anyone may read it: what residents are shown, so no contact address (they sign up)."""

    opportunity: OpportunityView
    is_demo: bool

    def as_json(self) -> dict[str, Any]:
        o = self.opportunity
        return {
            "id": o.id, "external_id": o.external_id, "title": o.title, "description": o.description,
            "initiative": o.initiative, "initiative_website": o.initiative_website, "category": o.category,
            "category_label": LABELS.get(o.category, o.category), "place": o.place, "pc4": o.pc4,
            "time_commitment": o.time_commitment, "day_parts": list(o.day_parts), "remote": o.remote,
            "valid_until": o.valid_until.isoformat() if o.valid_until else None, "is_demo": self.is_demo,
        }


class ListingConflict(Exception):
    """The listing exists but cannot be changed this way (a concept waiting for moderation)."""


def check_external_id(value: str) -> str | None:
    """The Dutch reason an external id from the path cannot be one, or None when it is fine."""
    if not value or len(value) > MAX_EXTERNAL_ID or value != value.strip() or _CONTROL.search(value):
        return text.EXTERNAL_ID_BAD
    return None


def parse(body: object, external_id: str, geo: Geography) -> tuple[OpportunityInput | None, list[Problem]]:
    """The listing a JSON body describes, or every problem with it (field, Dutch reason)."""
    if not isinstance(body, dict):
        return None, [Problem("", text.BODY_NOT_OBJECT)]
    problems = [Problem(str(name)[:60], text.FIELD_UNKNOWN) for name in body if name not in FIELDS]
    texts: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = body.get(name)
        if value is None:
            texts[name] = ""
        elif isinstance(value, str):
            texts[name] = value
        else:
            problems.append(Problem(name, text.FIELD_NOT_TEXT))
            texts[name] = ""
    remote = body.get("remote", False)
    if remote is None:
        remote = False
    if not isinstance(remote, bool):
        problems.append(Problem("remote", text.FIELD_NOT_BOOLEAN))
        remote = False
    day_parts = body.get("day_parts") or []
    if not isinstance(day_parts, list) or not all(isinstance(p, str) for p in day_parts) or len(day_parts) > 8:
        problems.append(Problem("day_parts", text.FIELD_NOT_LIST))
        day_parts = []
    valid_until = None
    raw_date = texts["valid_until"].strip()
    if raw_date:
        try:
            valid_until = date.fromisoformat(raw_date) if _ISO_DATE.fullmatch(raw_date) else None
        except ValueError:
            valid_until = None
        if valid_until is None:
            problems.append(Problem("valid_until", messages.bad_date(raw_date[:40])))
    item = OpportunityInput(
        external_id=external_id, initiative_name=texts["initiative_name"], title=texts["title"],
        description=texts["description"], category=texts["category"].strip().lower(), postcode=texts["postcode"],
        time_commitment=texts["time_commitment"].strip().lower(), contact_email=texts["contact_email"].strip(),
        initiative_website=texts["initiative_website"].strip() or None, place=texts["place"] or None,
        day_parts=tuple(dict.fromkeys(p.strip().lower() for p in day_parts if p.strip())),
        remote=remote, valid_until=valid_until,
    )
    problems += [Problem(p.column, p.reason) for p in validate(item, geo)]
    return (None if problems else item), problems


def upsert(session: Session, geo: Geography, centre_id: int, item: OpportunityInput,
           today: date | None = None) -> tuple[Listing | None, bool, list[Problem]]:
    """Creates or updates the centre's API listing `item.external_id`; (listing, created, problems)."""
    centre = session.get(Centre, centre_id)
    if centre is None:
        raise LookupError("the key's centre is gone")
    shared = shared_website_problems(session, (centre_id,), item)
    if shared:
        return None, False, [Problem(p.field, p.reason) for p in shared]
    opportunity, created = Writer(session, geo, API_SOURCE, centre=centre, today=today).upsert(item)
    return _listing(opportunity), created, []


def close(session: Session, centre_id: int, external_id: str, today: date | None = None) -> Listing | None:
    """Closes the centre's API listing; None when it has none by that id. Closing a closed one changes nothing."""
    opportunity = _own(session, centre_id, external_id)
    if opportunity is None:
        return None
    if opportunity.status == Status.CONCEPT.value:
        raise ListingConflict()
    if opportunity.status != Status.CLOSED.value:
        close_vacancy(session, (centre_id,), opportunity.id, today)
    return _listing(opportunity)


def get(session: Session, centre_id: int, external_id: str) -> Listing | None:
    opportunity = _own(session, centre_id, external_id)
    return None if opportunity is None else _listing(opportunity)


def open_listing(session: Session, opportunity_id: int, today: date | None = None) -> PublicListing | None:
    """One listing residents can find now (open and not past its last day), or None."""
    if not (1 <= opportunity_id <= 2**31 - 1):
        return None
    today = today or date.today()
    row = session.execute(
        select(Opportunity, Initiative).join(Initiative, Opportunity.initiative_id == Initiative.id).where(
            Opportunity.id == opportunity_id, Opportunity.status == Status.OPEN.value,
            or_(Opportunity.valid_until.is_(None), Opportunity.valid_until >= today),
        )
    ).first()
    if row is None:
        return None
    o, initiative = row
    return PublicListing(OpportunityView.of(o, initiative), is_demo=bool(o.is_demo))


def _own(session: Session, centre_id: int, external_id: str) -> Opportunity | None:
    return session.scalar(select(Opportunity).where(
        Opportunity.centre_id == centre_id, Opportunity.source == API_SOURCE, Opportunity.external_id == external_id,
    ))


def _listing(o: Opportunity) -> Listing:
    return Listing(
        id=o.id, external_id=o.external_id, status=o.status, title=o.title, description=o.description,
        initiative=o.initiative.name, initiative_website=o.initiative.website, category=o.category,
        postcode=o.postcode, place=o.place, time_commitment=o.time_commitment, day_parts=tuple(o.day_part_list),
        remote=bool(o.remote), contact_email=o.contact_email, valid_until=o.valid_until,
        updated_at=as_utc(o.updated_at),
    )
