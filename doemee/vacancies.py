"""A volunteer centre's own listings ("Vacatures"): finding, writing and switching them on and off.

Every function takes the ids of the centres the caller may see. A listing
of any other centre behaves exactly as one that does not exist: the same
None, the same VacancyNotFound, the same Dutch sentence, so a portal page
cannot be used to probe another centre's ids.

Writing goes through `doemee.opportunities` (its validation, geocoding and
Writer), so a listing typed into the portal obeys the same rules as an
imported one. Form input never raises: every problem comes back as
(field, Dutch reason), the field being the form's (= the CSV column's) name.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple, TypeVar

from sqlalchemy import BindParameter, ColumnElement, CompoundSelect, Select, bindparam, func, or_, select, union
from sqlalchemy.orm import Session

from doemee import messages
from doemee.categories import LABELS
from doemee.geo.postcodes import normalise_postcode
from doemee.needs import SOURCE as CHAT_SOURCE
from doemee.opportunities import Geography, OpportunityInput, Writer, find_initiative, validate
from doemee.search_text import folded as _folded
from doemee.storage.models import DAY_PARTS, Centre, Initiative, Opportunity, Status, as_utc, utcnow

S = TypeVar("S", bound=Select)
PORTAL_SOURCE = "portal"
# Listings an initiative wrote itself (its manage link); like a chat need, a centre opens it.
INITIATIVE_SOURCE = "initiatief"
# A closed listing of these sources that never opened was rejected: renewing must not publish it.
MODERATED_SOURCES = frozenset({CHAT_SOURCE, INITIATIVE_SOURCE})
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
RENEW_DAYS = 90
FORM_FIELDS: tuple[str, ...] = (
    "centre", "title", "initiative_name", "initiative_website", "description", "category", "postcode", "place",
    "time_commitment", "day_parts", "remote", "contact_email", "valid_until",
)
# Ids are 32-bit on PostgreSQL; anything outside cannot exist and must not reach the database.
_MAX_ID = 2**31 - 1
# No stored text is longer than a description; a longer search cannot match.
_MAX_SEARCH = 5000
_MAX_FILTER = 120
# SQLite joins at most 500 selects in one statement.
_MAX_UNION = 100
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YES = frozenset({"ja", "yes", "true", "on", "1"})
_NO = frozenset({"nee", "no", "false", "off", "0", ""})


class VacancyError(ValueError):
    """Something a centre asked that cannot be done; `message` is one Dutch line for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class VacancyNotFound(VacancyError, LookupError):
    """No such listing among the caller's centres, whether it is missing or another centre's."""

    def __init__(self) -> None:
        super().__init__(messages.VACANCY_NOT_FOUND)


class FieldProblem(NamedTuple):
    field: str
    reason: str


@dataclass(frozen=True)
class VacancyForm:
    """What a centre typed, as the form sends it: strings, a list of day parts, a yes/no."""

    title: str = ""
    initiative_name: str = ""
    description: str = ""
    category: str = ""
    postcode: str = ""
    time_commitment: str = ""
    contact_email: str = ""
    initiative_website: str = ""
    place: str = ""
    day_parts: Sequence[str] | str = ()
    remote: bool | str = False
    valid_until: date | str | None = None


@dataclass(frozen=True)
class Vacancy:
    """One listing as the centre's staff see it, contact address included."""

    id: int
    centre_id: int
    title: str
    initiative: str
    initiative_website: str | None
    description: str
    category: str
    category_label: str
    postcode: str
    place: str
    municipality_code: str | None
    time_commitment: str
    day_parts: tuple[str, ...]
    remote: bool
    contact_email: str
    valid_until: date | None
    status: str
    status_label: str
    # Open but past its last day: residents no longer see it, renewing brings it back.
    expired: bool
    source: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None

    def form(self) -> VacancyForm:
        """The edit form, filled with what is stored now."""
        return VacancyForm(
            title=self.title, initiative_name=self.initiative, description=self.description,
            category=self.category, postcode=self.postcode, time_commitment=self.time_commitment,
            contact_email=self.contact_email, initiative_website=self.initiative_website or "",
            place=self.place, day_parts=self.day_parts, remote=self.remote, valid_until=self.valid_until,
        )


@dataclass(frozen=True)
class VacancyPage:
    items: tuple[Vacancy, ...]
    total: int
    page: int
    pages: int
    per_page: int = DEFAULT_PER_PAGE


@dataclass(frozen=True)
class Saved:
    """The listing as stored, or why nothing was stored (then `vacancy` is None)."""

    vacancy: Vacancy | None
    problems: tuple[FieldProblem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.vacancy is not None and not self.problems


# --- reading -------------------------------------------------------------------


def find(
    session: Session,
    centre_ids: Iterable[int],
    text: str | None = None,
    status: Status | str | None = None,
    category: str | None = None,
    place: str | None = None,
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
    today: date | None = None,
    counts: Mapping[str, int] | None = None,
) -> VacancyPage:
    """The centre's listings, newest first, a page at a time.

    `text` is looked for in the title, the initiative's name and the
    description, ignoring case, folded as doemee.search_text folds ("ÉÉN"
    finds "één" on both databases; % and _ are ordinary characters). Titles
    and descriptions are searched in their stored folded copy, initiative
    names (a few thousand) here, so a page reads only its own rows.
    A page past the end shows the last one. Filters that no stored value
    can equal (an unknown status, control characters) simply find nothing.
    `counts`: `status_counts` of the same centres, when the caller has them;
    without text, category or place the total is then read from them
    instead of counting every listing a second time.
    """
    today = today or date.today()
    per_page = _clamped(per_page, 1, MAX_PER_PAGE, DEFAULT_PER_PAGE)
    wanted = _clamped(page, 1, _MAX_ID, 1)
    visible = scope(centre_ids)
    needle = _folded(text) if isinstance(text, str) else ""
    filters = [_filter_value(status, 10), _filter_value(category, 32), _filter_value(place, _MAX_FILTER)]
    if not visible or len(needle) > _MAX_SEARCH or any(value is _IMPOSSIBLE for value in filters):
        return VacancyPage((), 0, 1, 1, per_page)

    # A text search reads every listing of the centre anyway. SQLite would read a big centre's one by one
    # through the centre's index, three times slower than in table order; coalesce() hides that index from it.
    # PostgreSQL reads them by a bitmap of the same index, which is faster than its table scan.
    hide_index = needle and session.get_bind().dialect.name == "sqlite"
    owner = func.coalesce(Opportunity.centre_id, 0) if hide_index else None
    chosen = _owned_by(session, select(Opportunity.id), visible, owner)
    for column, value in zip((Opportunity.status, Opportunity.category, Opportunity.place), filters):
        if value is not None:
            chosen = chosen.where(column == value)
    if needle:
        # Ids are integers the database gave: written into the SQL, however many, they bind no parameters.
        named: BindParameter[list[int]] = bindparam(
            "named", _initiatives_named(session, needle), expanding=True, literal_execute=True)
        chosen = chosen.where(or_(Opportunity.search_text.contains(needle, autoescape=True),
                                  Opportunity.initiative_id.in_(named)))
    if counts is not None and not needle and filters[1] is None and filters[2] is None:
        total = sum(counts.values()) if filters[0] is None else counts.get(str(filters[0]), 0)
    else:
        total = session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    number = min(wanted, pages)
    newest_first = (Opportunity.created_at.desc(), Opportunity.id.desc())
    ids = list(session.scalars(chosen.order_by(*newest_first).offset((number - 1) * per_page).limit(per_page))) \
        if total else []
    return VacancyPage(tuple(_views(session, ids, today)), total, number, pages, per_page)


def _owned_by(session: Session, statement: S, visible: tuple[int, ...],
              owner: ColumnElement[int] | None = None) -> S:
    """`statement` limited to the listings of `visible`, unless that is every centre (an administrator).

    The database then reads the listings newest first (or counts them by
    status) from one index, instead of gathering every centre's listings
    and sorting them.
    """
    if session.scalar(select(Centre.id).where(Centre.id.not_in(visible)).limit(1)) is None:
        return statement
    return statement.where((Opportunity.centre_id if owner is None else owner).in_(visible))


def _initiatives_named(session: Session, needle: str) -> list[int]:
    """Initiatives whose folded name holds `needle`."""
    return [i for i, name in session.execute(select(Initiative.id, Initiative.name)) if needle in _folded(name or "")]


def get(session: Session, centre_ids: Iterable[int], opportunity_id: int, today: date | None = None) -> Vacancy | None:
    """One listing of the caller's centres; None for any other id, whatever it is."""
    try:
        return _view(_owned(session, scope(centre_ids), opportunity_id), today)
    except VacancyNotFound:
        return None


def places(session: Session, centre_ids: Iterable[int]) -> list[str]:
    """The places the centre's listings are in, for the place filter."""
    visible = scope(centre_ids)
    if not visible:
        return []
    # SQLite reads each centre's places in the order of its index and merges them; a DISTINCT over
    # several centres sorts every listing. PostgreSQL hashes a DISTINCT, and sorts a UNION's whole input.
    each = [select(Opportunity.place).where(Opportunity.centre_id == centre_id) for centre_id in visible]
    merged = 1 < len(each) <= _MAX_UNION and session.get_bind().dialect.name == "sqlite"
    statement: Select[str] | CompoundSelect[str] = (
        union(*each) if merged else select(Opportunity.place).where(Opportunity.centre_id.in_(visible)).distinct()
    )
    found = session.scalars(statement.order_by("place"))
    return [p for p in found if p]


def status_counts(session: Session, centre_ids: Iterable[int]) -> dict[str, int]:
    """How many listings each status has (every status present, zero when none), for the filter tabs."""
    counts = {s.value: 0 for s in Status}
    visible = scope(centre_ids)
    if visible:
        rows = session.execute(
            _owned_by(session, select(Opportunity.status, func.count()), visible).group_by(Opportunity.status)
        )
        for status, number in rows:
            counts[status] = int(number)
    return counts


# --- writing -------------------------------------------------------------------


def create(
    session: Session,
    centre_ids: Iterable[int],
    form: VacancyForm,
    geo: Geography,
    *,
    centre_id: int | None = None,
    today: date | None = None,
    source: str = PORTAL_SOURCE,
    status: Status | None = None,
) -> Saved:
    """A listing the centre writes itself: open at once, placed by its postcode as an import would.

    `centre_id` may be left out when the caller sees one centre only. An
    initiative's own new listing passes its source and Status.CONCEPT: the
    same form and checks, but the centre opens it.
    """
    today = today or date.today()
    visible = scope(centre_ids)
    problems: list[FieldProblem] = []
    centre = _writable_centre(session, visible, centre_id)
    if centre is None:
        problems.append(FieldProblem("centre", messages.VACANCY_CHOOSE_CENTRE))
    item, more = _input(form, geo, f"portal-{uuid.uuid4().hex}", today, previous_until=None)
    problems += more
    if not problems:
        problems += shared_website_problems(session, visible, item)
    if problems:
        return Saved(None, _ordered(problems))
    assert centre is not None
    opportunity, _ = Writer(session, geo, source, centre=centre, today=today).upsert(
        item, status=status.value if status else None,
    )
    return Saved(_view(opportunity, today))


def edit(
    session: Session,
    centre_ids: Iterable[int],
    opportunity_id: int,
    form: VacancyForm,
    geo: Geography,
    *,
    today: date | None = None,
) -> Saved:
    """Changes what a listing says; its status stays (unless its last day has now passed).

    An imported listing may be edited too; the next import of the same
    row overwrites the edit, as it should: the source is the supplier's.
    A last day already past is refused, unless it is the one stored now.
    Raises VacancyNotFound for an id the caller cannot see.
    """
    today = today or date.today()
    visible = scope(centre_ids)
    opportunity = _owned(session, visible, opportunity_id)
    item, problems = _input(form, geo, opportunity.external_id, today, previous_until=opportunity.valid_until)
    if not problems:
        problems += shared_website_problems(session, visible, item)
    if problems:
        return Saved(None, _ordered(problems))
    if _place_follows_postcode(opportunity, item, geo):
        item = replace(item, place=None)
    writer = Writer(session, geo, opportunity.source, centre=opportunity.centre, today=today)
    updated, _ = writer.upsert(item, status=opportunity.status)
    return Saved(_view(updated, today))


def pause(session: Session, centre_ids: Iterable[int], opportunity_id: int, today: date | None = None) -> Vacancy:
    """Takes an open listing off the air; residents' searches and alerts skip it until it is resumed."""
    return _switch(session, centre_ids, opportunity_id, "pause", {Status.OPEN}, Status.PAUSED, today)


def resume(session: Session, centre_ids: Iterable[int], opportunity_id: int, today: date | None = None) -> Vacancy:
    """Opens a paused or filled listing again; one past its last day must be renewed instead."""
    return _switch(session, centre_ids, opportunity_id, "resume", {Status.PAUSED, Status.FILLED}, Status.OPEN, today)


def mark_filled(session: Session, centre_ids: Iterable[int], opportunity_id: int, today: date | None = None) -> Vacancy:
    return _switch(session, centre_ids, opportunity_id, "fill", {Status.OPEN, Status.PAUSED}, Status.FILLED, today)


def close(session: Session, centre_ids: Iterable[int], opportunity_id: int, today: date | None = None) -> Vacancy:
    """Ends a listing. A concept is not closed here: moderation rejects it and tells the initiative."""
    statuses = {Status.OPEN, Status.PAUSED, Status.FILLED}
    return _switch(session, centre_ids, opportunity_id, "close", statuses, Status.CLOSED, today)


def renew(
    session: Session,
    centre_ids: Iterable[int],
    opportunity_id: int,
    until: date | str | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> Vacancy:
    """Gives a listing a new last day: `until`, or 90 days from today; never a day already past.

    A closed listing opens again, which is how an expired one comes back.
    Paused and filled ones keep their status. A concept, and a need from
    the chat that moderation rejected, cannot be renewed: that would
    publish what nobody approved. `renewed_at` restarts the listing's
    lifetime (doemee.lifecycle), whatever last day it gets.
    """
    today = today or date.today()
    opportunity = _owned(session, scope(centre_ids), opportunity_id)
    status = opportunity.status
    rejected = (status == Status.CLOSED.value and opportunity.source in MODERATED_SOURCES
                and opportunity.published_at is None)
    if status not in {s.value for s in (Status.OPEN, Status.PAUSED, Status.FILLED, Status.CLOSED)} or rejected:
        raise VacancyError(messages.vacancy_refused("renew", status))
    last_day: date | None
    if until is None or (isinstance(until, str) and not until.strip()):
        last_day = today + timedelta(days=RENEW_DAYS)
    else:
        last_day, problem = _date(until)
        if problem:
            raise VacancyError(problem)
    if last_day is None or last_day < today:
        raise VacancyError(messages.VACANCY_DATE_PAST)
    opportunity.valid_until = last_day
    opportunity.renewed_at = now or utcnow()
    if status == Status.CLOSED.value:
        opportunity.status = Status.OPEN.value
    session.flush()
    return _view(opportunity, today)


# --- inside ----------------------------------------------------------------------

_IMPOSSIBLE = object()


def _switch(
    session: Session, centre_ids: Iterable[int], opportunity_id: int, action: str,
    allowed: set[Status], target: Status, today: date | None,
) -> Vacancy:
    today = today or date.today()
    opportunity = _owned(session, scope(centre_ids), opportunity_id)
    if opportunity.status not in {s.value for s in allowed}:
        raise VacancyError(messages.vacancy_refused(action, opportunity.status))
    if target is Status.OPEN and opportunity.valid_until is not None and opportunity.valid_until < today:
        raise VacancyError(messages.VACANCY_EXPIRED)
    opportunity.status = target.value
    session.flush()
    return _view(opportunity, today)


def scope(centre_ids: Iterable[int]) -> tuple[int, ...]:
    """The usable ids among what the caller passed, sorted; anything else sees nothing."""
    try:
        given = list(centre_ids or ())
    except TypeError:
        return ()
    return tuple(sorted({i for i in given if _usable_id(i)}))


def _usable_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= _MAX_ID


def _owned(session: Session, visible: tuple[int, ...], opportunity_id: object) -> Opportunity:
    if not visible or not _usable_id(opportunity_id):
        raise VacancyNotFound()
    opportunity = session.scalar(
        select(Opportunity).where(Opportunity.id == opportunity_id, Opportunity.centre_id.in_(visible))
    )
    if opportunity is None:
        raise VacancyNotFound()
    return opportunity


def _writable_centre(session: Session, visible: tuple[int, ...], centre_id: object) -> Centre | None:
    if centre_id is None:
        return session.get(Centre, visible[0]) if len(visible) == 1 else None
    if not _usable_id(centre_id) or centre_id not in visible:
        return None
    return session.get(Centre, centre_id)


def _clamped(value: object, low: int, high: int, default: int) -> int:
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 12:
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        return default
    return max(low, min(high, value))


def _filter_value(value: object, limit: int) -> object:
    """The value to compare with, None for no filter, or _IMPOSSIBLE when nothing stored can equal it."""
    if isinstance(value, Status):
        return value.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value) > limit or _UNSTORABLE.search(value):
        return _IMPOSSIBLE
    return value.strip()


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _date(value: object) -> tuple[date | None, str | None]:
    """A last day from a form: (date, None), or (None, the Dutch reason it is not one)."""
    if value is None:
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = _text(value).strip()
    if not text:
        return None, None
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text), None
        except ValueError:
            pass
    return None, messages.bad_date(text)


def _input(
    form: VacancyForm, geo: Geography, external_id: str, today: date, previous_until: date | None,
) -> tuple[OpportunityInput, list[FieldProblem]]:
    """The form as the import's input type, with the problems the shared `validate` finds and the form's own."""
    problems: list[FieldProblem] = []
    raw_parts = form.day_parts
    if isinstance(raw_parts, str):
        raw_parts = raw_parts.split(";")
    try:
        parts = [_text(p).strip().lower() for p in list(raw_parts or ())[: len(DAY_PARTS) * 4]]
    except TypeError:
        parts = ["?"]
    day_parts = tuple(dict.fromkeys(p for p in parts if p))
    if len(day_parts) > len(DAY_PARTS):
        problems.append(FieldProblem("day_parts", messages.bad_day_part(day_parts[-1])))
        day_parts = ()

    remote = form.remote
    if not isinstance(remote, bool):
        answer = _text(remote).strip().lower()
        if answer not in _YES | _NO:
            problems.append(FieldProblem("remote", messages.VACANCY_BAD_REMOTE))
        remote = answer in _YES

    valid_until, date_problem = _date(form.valid_until)
    if date_problem:
        problems.append(FieldProblem("valid_until", date_problem))
    elif valid_until is not None and valid_until < today and valid_until != previous_until:
        problems.append(FieldProblem("valid_until", messages.VACANCY_DATE_PAST))

    item = OpportunityInput(
        external_id=external_id,
        initiative_name=_text(form.initiative_name),
        title=_text(form.title),
        description=_text(form.description),
        category=_text(form.category).strip().lower(),
        postcode=_text(form.postcode),
        time_commitment=_text(form.time_commitment).strip().lower(),
        contact_email=_text(form.contact_email).strip(),
        initiative_website=_text(form.initiative_website).strip() or None,
        place=_text(form.place) or None,
        day_parts=day_parts,
        remote=remote,
        valid_until=valid_until,
    )
    problems += [FieldProblem(p.column, p.reason) for p in validate(item, geo)]
    return item, problems


def shared_website_problems(session: Session, visible: tuple[int, ...], item: OpportunityInput) -> list[FieldProblem]:
    """An initiative is one row for every centre: one centre may not change the website another shows."""
    if not item.initiative_website:
        return []
    initiative = find_initiative(session, item.initiative_name.strip())
    if initiative is None or initiative.website == item.initiative_website:
        return []
    elsewhere = session.scalar(
        select(Opportunity.id)
        .where(Opportunity.initiative_id == initiative.id, Opportunity.centre_id.not_in(visible))
        .limit(1)
    )
    return [FieldProblem("initiative_website", messages.VACANCY_SHARED_WEBSITE)] if elsewhere else []


def _place_follows_postcode(opportunity: Opportunity, item: OpportunityInput, geo: Geography) -> bool:
    """Whether a new postcode should bring its own place: the form kept a place the old postcode gave."""
    if normalise_postcode(item.postcode) == opportunity.postcode or (item.place or "").strip() != opportunity.place:
        return False
    before = geo.postcode(opportunity.postcode)
    return before is not None and before.place == opportunity.place


def _ordered(problems: list[FieldProblem]) -> tuple[FieldProblem, ...]:
    order = {name: i for i, name in enumerate(FORM_FIELDS)}
    return tuple(sorted(problems, key=lambda p: order.get(p.field, len(order))))


def _view(opportunity: Opportunity, today: date | None) -> Vacancy:
    return _of(opportunity, opportunity.initiative, today or date.today())


def _views(session: Session, ids: list[int], today: date) -> list[Vacancy]:
    if not ids:
        return []
    rows = session.execute(
        select(Opportunity, Initiative)
        .join(Initiative, Opportunity.initiative_id == Initiative.id)
        .where(Opportunity.id.in_(ids))
    ).all()
    views = {o.id: _of(o, i, today) for o, i in rows}
    return [views[i] for i in ids if i in views]


def _of(o: Opportunity, initiative: Initiative, today: date) -> Vacancy:
    return Vacancy(
        id=o.id, centre_id=o.centre_id, title=o.title, initiative=initiative.name,
        initiative_website=initiative.website, description=o.description, category=o.category,
        category_label=LABELS.get(o.category, o.category), postcode=o.postcode, place=o.place,
        municipality_code=o.municipality_code, time_commitment=o.time_commitment,
        day_parts=tuple(o.day_part_list), remote=o.remote, contact_email=o.contact_email,
        valid_until=o.valid_until, status=o.status,
        status_label=messages.VACANCY_STATUS_LABELS.get(o.status, o.status),
        expired=o.status == Status.OPEN.value and o.valid_until is not None and o.valid_until < today,
        source=o.source, created_at=as_utc(o.created_at), updated_at=as_utc(o.updated_at),
        published_at=as_utc(o.published_at) if o.published_at else None,
    )
