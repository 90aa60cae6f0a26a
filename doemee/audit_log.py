"""The audit trail read back: the portal's Logboek and a listing's history.

A row holds ids and an action code, never text (doemee.audit). Names are
looked up at reading time, and only where the row they come from is still
within the reader's centres: a listing moved to another centre, a forgotten
resident or a deleted question shows as a bare kind, never as its old title.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Row, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import Session

from doemee.local_time import day_end, day_start
from doemee.storage.models import (
    ApiKey,
    AuditEvent,
    Centre,
    HandoffRequest,
    Initiative,
    Opportunity,
    OutboxMail,
    SignUp,
    StaffMember,
    as_utc,
)

PER_PAGE = 50
HISTORY_LIMIT = 50
EXPORT_BATCH = 2_000
# Every action code by topic, spelled out: a list of codes is an index lookup whatever the database's collation.
TOPICS: dict[str, tuple[str, ...]] = {
    "inloggen": ("staff.login", "staff.login_failed", "staff.login_locked", "staff.logout", "staff.reset_requested",
                 "staff.password_reset", "staff.invite_accepted"),
    "team": ("staff.invited", "staff.deactivated", "staff.reactivated"),
    "concepten": ("concept.submitted", "concept.edited", "concept.approved", "concept.rejected"),
    "vacatures": ("vacancy.created", "vacancy.edited", "vacancy.paused", "vacancy.resumed", "vacancy.filled",
                  "vacancy.closed", "vacancy.renewed"),
    "aanmeldingen": ("signup.new", "signup.contacted", "signup.started", "signup.not_suitable", "signup.followed_up"),
    "hulpvragen": ("question.handled",),
    "csv": ("csv.imported", "csv.exported"),
    "privacy": ("privacy.searched_by_email", "privacy.searched_by_phone", "privacy.forgotten_by_email",
                "privacy.forgotten_by_phone"),
    "api": ("api_key.created", "api_key.revoked"),
    "post": ("mail.resent",),
    "initiatieven": ("initiative.link_revoked",),
    "logboek": ("audit.exported",),
}
INITIATIVE_ACTOR = "initiative:"


@dataclass(frozen=True)
class Reader:
    """Whose log it is: the centres they may see, and whether rows of no centre (failed logins) are theirs too."""

    centre_ids: frozenset[int]
    everything: bool = False


@dataclass(frozen=True)
class LogFilter:
    topic: str | None = None
    staff_id: int | None = None
    centre_id: int | None = None
    since: date | None = None
    until: date | None = None  # inclusive


@dataclass(frozen=True)
class Subject:
    """What an action was about, as far as the reader may know it now."""

    kind: str
    id: int
    label: str | None = None
    # Where it lives now: a listing's status, or the listing a sign-up belongs to.
    status: str | None = None
    listing_id: int | None = None


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    action: str
    staff_email: str | None
    initiative_name: str | None
    by_initiative: bool
    centre_name: str | None
    subject: Subject | None


@dataclass(frozen=True)
class EntryPage:
    entries: tuple[Entry, ...]
    total: int
    page: int
    pages: int


def topic_condition(topic: str) -> ColumnElement[bool]:
    return AuditEvent.action.in_(TOPICS[topic])


def _visible(reader: Reader) -> ColumnElement[bool]:
    """A row of the reader's centres: one range of ix_audit_event_centre_id_at per centre."""
    if reader.everything:
        return true()
    if not reader.centre_ids:
        return false()
    return AuditEvent.centre_id.in_(sorted(reader.centre_ids))


def _filtered(statement: Select, reader: Reader, chosen: LogFilter) -> Select:
    statement = statement.where(_visible(reader))
    if chosen.topic in TOPICS:
        statement = statement.where(topic_condition(chosen.topic))
    if chosen.staff_id is not None:
        statement = statement.where(AuditEvent.staff_id == chosen.staff_id)
    if chosen.centre_id is not None:
        statement = statement.where(AuditEvent.centre_id == chosen.centre_id)
    if chosen.since is not None:
        statement = statement.where(AuditEvent.at >= day_start(chosen.since))
    if chosen.until is not None:
        statement = statement.where(AuditEvent.at < day_end(chosen.until))
    return statement


def find(session: Session, reader: Reader, chosen: LogFilter, page: int = 1, per_page: int = PER_PAGE) -> EntryPage:
    """Newest first; a page past the end is the last page."""
    total = session.scalar(_filtered(select(func.count(AuditEvent.id)), reader, chosen)) or 0
    pages = max(1, math.ceil(total / per_page))
    number = min(max(page, 1), pages)
    # The page's ids first: skipping to page 2,000 then walks index entries only, not the rows before it.
    ids = list(session.scalars(
        _filtered(select(AuditEvent.id), reader, chosen)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((number - 1) * per_page).limit(per_page)
    ))
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.id.in_(ids)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    ).all() if ids else []
    return EntryPage(tuple(_entries(session, reader, rows)), total, number, pages)


def history(session: Session, reader: Reader, kind: str, object_id: int, limit: int = HISTORY_LIMIT) -> list[Entry]:
    """What was done to one object, oldest first (the most recent `limit`)."""
    rows = session.scalars(
        select(AuditEvent).where(_visible(reader), AuditEvent.object_type == kind, AuditEvent.object_id == object_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    ).all()
    return list(reversed(_entries(session, reader, rows)))


def export_batch(session: Session, reader: Reader, chosen: LogFilter, after: Entry | None,
                 size: int = EXPORT_BATCH) -> list[Entry]:
    """The next rows after `after`, newest first: a download reads a year's log a batch at a time."""
    statement = _filtered(select(AuditEvent), reader, chosen)
    if after is not None:
        statement = statement.where(or_(
            AuditEvent.at < after.at, and_(AuditEvent.at == after.at, AuditEvent.id < after.id),
        ))
    rows = session.scalars(statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(size)).all()
    return _entries(session, reader, rows)


def members(session: Session, reader: Reader) -> list[tuple[int, str]]:
    """(id, email) of everyone whose actions the reader may filter on."""
    statement = select(StaffMember.id, StaffMember.email).order_by(StaffMember.email)
    if not reader.everything:
        statement = statement.where(StaffMember.centre_id.in_(sorted(reader.centre_ids)))
    return [(member_id, email) for member_id, email in session.execute(statement)]


# --- names, looked up for one page of rows ---------------------------------------------------------


def _entries(session: Session, reader: Reader, rows: Sequence[AuditEvent]) -> list[Entry]:
    names = _Names(session, reader, rows)
    return [
        Entry(
            id=row.id, at=as_utc(row.at), action=row.action, staff_email=names.staff.get(row.staff_id or 0),
            initiative_name=names.initiative_of(row.actor), by_initiative=(row.actor or "").startswith(INITIATIVE_ACTOR),
            centre_name=names.centres.get(row.centre_id or 0), subject=names.subject(row),
        )
        for row in rows
    ]


class _Names:
    """Every name a page of rows needs, in one query per kind of object."""

    def __init__(self, session: Session, reader: Reader, rows: Sequence[AuditEvent]) -> None:
        self._reader = reader
        wanted: dict[str, set[int]] = {}
        for row in rows:
            if row.object_type and row.object_id is not None:
                wanted.setdefault(row.object_type, set()).add(row.object_id)
        initiative_ids = {_initiative_id(row.actor) for row in rows} - {None}
        wanted.setdefault("initiative", set()).update(i for i in initiative_ids if i is not None)
        actors = {row.staff_id for row in rows if row.staff_id}
        self.centres: dict[int, str] = {centre_id: name for centre_id, name in session.execute(select(Centre.id, Centre.name))}
        self.staff: dict[int, str] = {}
        self._members: dict[int, str] = {}
        for member_id, email, centre_id in _read(session, actors | wanted.get("staff_member", set()), lambda ids: (
            select(StaffMember.id, StaffMember.email, StaffMember.centre_id).where(StaffMember.id.in_(ids))
        )):
            # Whoever acted on a row the reader sees is part of that row; a member acted upon only if theirs.
            if member_id in actors:
                self.staff[member_id] = email
            if self._sees(centre_id):
                self._members[member_id] = email
        self._listings = {
            listing_id: (title, status.value if hasattr(status, "value") else str(status))
            for listing_id, title, status, centre_id in _read(session, wanted.get("opportunity"), lambda ids: (
                select(Opportunity.id, Opportunity.title, Opportunity.status, Opportunity.centre_id)
                .where(Opportunity.id.in_(ids))
            )) if self._sees(centre_id)
        }
        self._sign_ups = {
            sign_up_id: (listing_id, title)
            for sign_up_id, listing_id, title, centre_id in _read(session, wanted.get("sign_up"), lambda ids: (
                select(SignUp.id, Opportunity.id, Opportunity.title, Opportunity.centre_id)
                .join(Opportunity, Opportunity.id == SignUp.opportunity_id).where(SignUp.id.in_(ids))
            )) if self._sees(centre_id)
        }
        self._questions = {
            question_id for question_id, centre_id in _read(session, wanted.get("handoff_request"), lambda ids: (
                select(HandoffRequest.id, HandoffRequest.centre_id).where(HandoffRequest.id.in_(ids))
            )) if self._sees(centre_id)
        }
        self._mails = {
            mail_id for mail_id, centre_id in _read(session, wanted.get("outbox_mail"), lambda ids: (
                select(OutboxMail.id, OutboxMail.centre_id).where(OutboxMail.id.in_(ids))
            )) if self._sees(centre_id)
        }
        self._keys = {
            key_id: name for key_id, name, centre_id in _read(session, wanted.get("api_key"), lambda ids: (
                select(ApiKey.id, ApiKey.name, ApiKey.centre_id).where(ApiKey.id.in_(ids))
            )) if self._sees(centre_id)
        }
        # An initiative's name is on every listing it has; the reader may know it through one of theirs.
        self._initiatives: dict[int, str] = {
            initiative_id: name for initiative_id, name in _read(session, wanted.get("initiative"), lambda ids: (
                select(Initiative.id, Initiative.name).where(
                    Initiative.id.in_(ids),
                    exists().where(Opportunity.initiative_id == Initiative.id, self._listing_visible()),
                )
            ))
        }

    def _sees(self, centre_id: int | None) -> bool:
        return self._reader.everything or centre_id in self._reader.centre_ids

    def _listing_visible(self) -> ColumnElement[bool]:
        if self._reader.everything:
            return true()
        return Opportunity.centre_id.in_(sorted(self._reader.centre_ids))

    def initiative_of(self, actor: str | None) -> str | None:
        found = _initiative_id(actor)
        return self._initiatives.get(found) if found is not None else None

    def subject(self, row: AuditEvent) -> Subject | None:
        kind, object_id = row.object_type, row.object_id
        if not kind or object_id is None:
            return None
        if kind == "opportunity" and object_id in self._listings:
            title, status = self._listings[object_id]
            return Subject(kind, object_id, title, status, object_id)
        if kind == "sign_up" and object_id in self._sign_ups:
            listing_id, title = self._sign_ups[object_id]
            return Subject(kind, object_id, title, listing_id=listing_id)
        if kind == "staff_member" and object_id in self._members:
            return Subject(kind, object_id, self._members[object_id])
        if kind == "api_key" and object_id in self._keys:
            return Subject(kind, object_id, self._keys[object_id])
        if kind == "initiative" and object_id in self._initiatives:
            return Subject(kind, object_id, self._initiatives[object_id])
        if kind == "centre" and self._sees(object_id):
            return Subject(kind, object_id, self.centres.get(object_id))
        if (kind == "handoff_request" and object_id in self._questions) or (kind == "outbox_mail" and object_id in self._mails):
            return Subject(kind, object_id, status="present")
        return Subject(kind, object_id)


def _read(session: Session, ids: set[int] | None, statement: Callable[[list[int]], Select]) -> list[Row]:
    """One query for all the ids, none when there are none."""
    return list(session.execute(statement(sorted(ids)))) if ids else []


def _initiative_id(actor: str | None) -> int | None:
    if not actor or not actor.startswith(INITIATIVE_ACTOR):
        return None
    digits = actor[len(INITIATIVE_ACTOR):]
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 12 else None
