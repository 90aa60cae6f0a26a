"""Creating and updating opportunities, whoever supplies them.

CSV import, the demo data, the chat's post_need and a web portal all write
opportunities; they share this module so the rules (what is valid, where a
postcode lies, when something is closed, which centre owns it) are the same
for every door. A door that knows its centre names it (an import, a
centre's widget); otherwise an opportunity goes to the centre whose region
holds its municipality, else to the first centre.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from doemee import messages
from doemee.attribution import region_owners, require_default_centre
from doemee.categories import SLUGS
from doemee.geo.postcodes import normalise_postcode
from doemee.geo.types import Location
from doemee.storage.models import DAY_PARTS, Centre, Initiative, Opportunity, Status, TimeCommitment

# Field limits: the model's column sizes, and a sane bound for free text.
LIMITS: dict[str, int] = {
    "external_id": 100,
    "initiative_name": 200,
    "initiative_website": 300,
    "title": 120,
    "description": 5000,
    "place": 120,
    "contact_email": 254,
}
REQUIRED: tuple[str, ...] = (
    "external_id", "initiative_name", "title", "description", "category", "postcode",
    "time_commitment", "contact_email",
)
TIME_COMMITMENTS: tuple[str, ...] = tuple(t.value for t in TimeCommitment)

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
# Control characters other than tab, newline and carriage return, and lone surrogates (no
# database can store those); never meant in a text field.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_VOUCHED = frozenset({Status.OPEN.value, Status.PAUSED.value, Status.FILLED.value})
_SINGLE_LINE = ("external_id", "initiative_name", "initiative_website", "title", "place", "contact_email")


class Geography(Protocol):
    """The one thing saving needs from the geography: where a postcode lies."""

    def postcode(self, text: str) -> Location | None: ...


@dataclass(frozen=True)
class Problem:
    """Why one value cannot be stored; `column` is the CSV column name."""

    column: str
    reason: str


@dataclass(frozen=True)
class OpportunityInput:
    """An opportunity as a supplier describes it: the CSV columns, typed."""

    external_id: str
    initiative_name: str
    title: str
    description: str
    category: str
    postcode: str
    time_commitment: str
    contact_email: str
    initiative_website: str | None = None
    place: str | None = None
    day_parts: tuple[str, ...] = field(default_factory=tuple)
    remote: bool = False
    valid_until: date | None = None


def is_valid_email(text: str) -> bool:
    if len(text) > LIMITS["contact_email"] or ".." in text:
        return False
    return bool(_EMAIL.match(text))


def is_valid_website(text: str) -> bool:
    if any(ch.isspace() for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "." in (parts.hostname or "")


def validate(item: OpportunityInput, geo: Geography) -> list[Problem]:
    """Every problem with `item`, in column order; empty when it can be saved."""
    problems: list[Problem] = []
    texts = {
        "external_id": item.external_id,
        "initiative_name": item.initiative_name,
        "initiative_website": item.initiative_website or "",
        "title": item.title,
        "description": item.description,
        "category": item.category,
        "postcode": item.postcode,
        "place": item.place or "",
        "time_commitment": item.time_commitment,
        "contact_email": item.contact_email,
    }
    bad: set[str] = set()
    for column, value in texts.items():
        if column in REQUIRED and not value.strip():
            problems.append(Problem(column, messages.FIELD_REQUIRED))
            bad.add(column)
        elif column in LIMITS and len(value) > LIMITS[column]:
            problems.append(Problem(column, messages.field_too_long(LIMITS[column], len(value))))
            bad.add(column)
        elif _CONTROL.search(value) or (column in _SINGLE_LINE and any(ch in value for ch in "\n\r\t")):
            problems.append(Problem(column, messages.FIELD_CONTROL_CHARS))
            bad.add(column)

    if "initiative_website" not in bad and item.initiative_website and not is_valid_website(item.initiative_website):
        problems.append(Problem("initiative_website", messages.bad_website(item.initiative_website)))
    if "category" not in bad and item.category not in SLUGS:
        problems.append(Problem("category", messages.unknown_category(item.category)))
    if "postcode" not in bad:
        normalised = normalise_postcode(item.postcode)
        if normalised is None:
            problems.append(Problem("postcode", messages.bad_postcode(item.postcode)))
        elif geo.postcode(normalised) is None:
            problems.append(Problem("postcode", messages.unknown_postcode(normalised)))
    if "time_commitment" not in bad and item.time_commitment not in TIME_COMMITMENTS:
        problems.append(Problem("time_commitment", messages.bad_time_commitment(item.time_commitment)))
    for part in item.day_parts:
        if part not in DAY_PARTS:
            problems.append(Problem("day_parts", messages.bad_day_part(part)))
    if "contact_email" not in bad and item.contact_email and not is_valid_email(item.contact_email):
        problems.append(Problem("contact_email", messages.bad_email(item.contact_email)))
    return problems


def status_for(valid_until: date | None, wanted: str = Status.OPEN.value, today: date | None = None) -> str:
    """An opportunity past its last day is closed, whatever the caller wanted."""
    if valid_until is not None and valid_until < (today or date.today()):
        return Status.CLOSED.value
    return wanted


def publish(session: Session, opportunity_id: int, now: datetime) -> Opportunity | None:
    """Opens an opportunity for residents as of `now` (a concept a moderator approved, say).

    Alerts go by `published_at`, so an opportunity written long ago is still
    news the day it opens. One already published keeps its first moment; one
    past its last day closes instead. None when the id is unknown.
    """
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None:
        return None
    moment = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    status = status_for(opportunity.valid_until, Status.OPEN.value, moment.date())
    if status == Status.OPEN.value and opportunity.published_at is None:
        opportunity.published_at = moment
    opportunity.status = status
    session.flush()
    return opportunity


def find_initiative(session: Session, name: str) -> Initiative | None:
    return session.scalar(select(Initiative).where(Initiative.name == name))


def save(
    session: Session,
    geo: Geography,
    item: OpportunityInput,
    source: str,
    is_demo: bool = False,
    status: str | None = None,
    today: date | None = None,
    centre: Centre | None = None,
) -> Opportunity:
    """Creates or updates the opportunity `(centre, source, external_id)` (see `Writer.upsert`).

    Without `centre` (a need posted on Telegram, say) the region around
    the postcode decides, else the first centre; raises NoCentre when the
    database holds no centre at all.
    """
    return Writer(session, geo, source, is_demo=is_demo, today=today, centre=centre).upsert(item, status)[0]


class Writer:
    """Saves opportunities of one source, for one centre or by region, into one session.

    With `bulk`, the source's existing opportunities, all initiatives and the
    regions are read once up front, so importing thousands of rows costs no
    query per row; without it, each save looks up just what it needs (a
    chat's post_need).
    """

    def __init__(
        self, session: Session, geo: Geography, source: str, is_demo: bool = False,
        today: date | None = None, bulk: bool = False, centre: Centre | None = None,
    ) -> None:
        self.session = session
        self.geo = geo
        self.source = source
        self.is_demo = is_demo
        self.today = today
        self.centre = centre
        self._opportunities: dict[tuple[int, str], Opportunity] | None = None
        self._initiatives: dict[str, Initiative] | None = None
        self._owners: dict[str, int] | None = None
        self._default_centre_id: int | None = None
        if bulk:
            mine = select(Opportunity).where(Opportunity.source == source)
            if centre is not None:
                mine = mine.where(Opportunity.centre_id == centre.id)
            else:
                self._owners = region_owners(session)
            self._opportunities = {(o.centre_id, o.external_id): o for o in session.scalars(mine)}
            self._initiatives = {i.name: i for i in session.scalars(select(Initiative))}

    def _centre_id(self, municipality_code: str | None) -> int:
        """The named centre, else the region's owner, else the first centre."""
        if self.centre is not None:
            return self.centre.id
        owners = self._owners if self._owners is not None else region_owners(self.session)
        if municipality_code and municipality_code in owners:
            return owners[municipality_code]
        if self._default_centre_id is None:
            self._default_centre_id = require_default_centre(self.session).id
        return self._default_centre_id

    def _existing(self, centre_id: int, external_id: str) -> Opportunity | None:
        if self._opportunities is not None:
            return self._opportunities.get((centre_id, external_id))
        return self.session.scalar(
            select(Opportunity).where(
                Opportunity.centre_id == centre_id, Opportunity.source == self.source,
                Opportunity.external_id == external_id,
            )
        )

    def _initiative(self, item: OpportunityInput) -> Initiative:
        name = item.initiative_name.strip()
        initiative = self._initiatives.get(name) if self._initiatives is not None else find_initiative(self.session, name)
        if initiative is None:
            initiative = Initiative(
                name=name, website=item.initiative_website or None,
                contact_email=item.contact_email.strip(), is_demo=self.is_demo,
            )
            self.session.add(initiative)
            if self._initiatives is not None:
                self._initiatives[name] = initiative
            return initiative
        if item.initiative_website:
            initiative.website = item.initiative_website
        if not initiative.contact_email:
            initiative.contact_email = item.contact_email.strip()
        if initiative.is_demo and not self.is_demo:
            initiative.is_demo = False
        return initiative

    def upsert(self, item: OpportunityInput, status: str | None = None) -> tuple[Opportunity, bool]:
        """Creates or updates `(centre, source, item.external_id)`; True when new.

        Call `validate` first: an invalid item raises ValueError here.
        `status` None means "open" for new items; an update keeps "filled",
        "paused" and "concept" (a person decided those) unless the date has passed.
        Real data that names a demo initiative takes it over, so removing
        the demo data never removes real opportunities.
        """
        problems = validate(item, self.geo)
        if problems:
            raise ValueError(f"invalid opportunity: {[p.column for p in problems]}")
        postcode = normalise_postcode(item.postcode)
        location = self.geo.postcode(postcode) if postcode else None
        if postcode is None or location is None:
            raise ValueError("the postcode is no longer known to the geography")

        centre_id = self._centre_id(location.municipality_code or None)
        initiative = self._initiative(item)
        opportunity = self._existing(centre_id, item.external_id)
        created = opportunity is None
        if opportunity is None:
            opportunity = Opportunity(source=self.source, external_id=item.external_id, centre_id=centre_id)
            self.session.add(opportunity)
            if self._opportunities is not None:
                self._opportunities[(centre_id, item.external_id)] = opportunity
            wanted = status or Status.OPEN.value
        elif status is not None:
            wanted = status
        elif opportunity.status in (Status.FILLED.value, Status.PAUSED.value, Status.CONCEPT.value):
            wanted = opportunity.status
        else:
            wanted = Status.OPEN.value

        opportunity.initiative = initiative
        opportunity.title = item.title.strip()
        opportunity.description = item.description.strip()
        opportunity.category = item.category
        opportunity.postcode = postcode
        opportunity.pc4 = location.pc4 or postcode[:4]
        opportunity.place = (item.place or "").strip() or location.place
        opportunity.municipality_code = location.municipality_code or None
        opportunity.lat = location.lat
        opportunity.lon = location.lon
        opportunity.time_commitment = item.time_commitment
        opportunity.day_parts = ";".join(p for p in DAY_PARTS if p in item.day_parts)
        opportunity.remote = item.remote
        opportunity.contact_email = item.contact_email.strip()
        opportunity.valid_until = item.valid_until
        opportunity.status = status_for(item.valid_until, wanted, self.today)
        opportunity.is_demo = self.is_demo
        if opportunity.status in _VOUCHED and initiative.approved_at is None:
            # Every door that opens a listing is a centre's (import, portal, API): it vouches for the
            # initiative, whose own edits then go live at once (doemee.initiative_manage).
            initiative.approved_at = datetime.now(timezone.utc)
        if self._opportunities is None:
            self.session.flush()
        return opportunity, created
