"""What an initiative does through its manage link: its listings, its sign-ups, a new listing.

Everything is scoped to the one initiative the link names: a listing or a
sign-up of another initiative raises the same NotFound as one that does
not exist. The listing work itself is the portal's (doemee.vacancies: the
same form, checks and switches), called with the centres of this
initiative's own listings. Whether an edit goes live depends on the
initiative: once a centre has vouched for it (`approved_at`) its edits go
live at once; before that, an edited listing waits as a concept again, and
a new listing always does. Every change leaves an audit row with actor
"initiative:<id>", in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from doemee import audit, vacancies
from doemee import initiative_messages as text
from doemee.attribution import centre_for_municipality, require_default_centre
from doemee.geo.postcodes import normalise_postcode
from doemee.initiative_links import actor
from doemee.mail_links import plain_id
from doemee.opportunities import Geography
from doemee.settings import Settings, get_settings
from doemee.staff_notices import notify_new_concept
from doemee.storage.models import Centre, Initiative, Opportunity, SignUp, SignUpStatus, Status, as_utc, utcnow
from doemee.vacancies import Saved, Vacancy, VacancyError, VacancyForm, VacancyNotFound

SUBMITTED = "concept.submitted"
EDITED = "vacancy.edited"
RENEWED = "vacancy.renewed"
# The buttons on a listing: path word -> (domain switch, audit action).
SWITCHES = {
    "pauzeren": (vacancies.pause, "vacancy.paused"),
    "hervatten": (vacancies.resume, "vacancy.resumed"),
    "gevuld": (vacancies.mark_filled, "vacancy.filled"),
    "sluiten": (vacancies.close, "vacancy.closed"),
}
# What the initiative can say about a sign-up, by the button's path word.
SIGN_UP_WORDS = {word: SignUpStatus(value) for word, value in text.SIGN_UP_BUTTONS.items()}
_SHOWN_ORDER = {Status.CONCEPT.value: 1, Status.OPEN.value: 0, Status.PAUSED.value: 2,
                Status.FILLED.value: 3, Status.CLOSED.value: 4}
MAX_LISTINGS = 200


class ManageError(ValueError):
    """Something the initiative asked that cannot be done; `message` is one Dutch line for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ManageError, LookupError):
    """Not this initiative's, whether it is another initiative's or missing altogether."""

    def __init__(self) -> None:
        super().__init__(text.NOT_YOURS)


@dataclass(frozen=True)
class SignUpView:
    """One sign-up as the resident agreed to share it: first name and contact, nothing more."""

    id: int
    first_name: str | None
    contact: str | None
    status: str
    status_label: str
    created_at: datetime


@dataclass(frozen=True)
class Listing:
    vacancy: Vacancy
    centre_name: str
    sign_ups: tuple[SignUpView, ...]
    # Closed by moderation before it ever opened: it cannot come back by renewing.
    rejected: bool


@dataclass(frozen=True)
class Overview:
    initiative_id: int
    name: str
    approved: bool
    listings: tuple[Listing, ...]


# --- reading -------------------------------------------------------------------


def overview(session: Session, initiative_id: int, today: date | None = None) -> Overview | None:
    """Every listing of the initiative in every centre, open ones first, each with its sign-ups."""
    today = today or date.today()
    initiative = _initiative(session, initiative_id)
    if initiative is None:
        return None
    rows = session.execute(
        select(Opportunity, Centre.name).join(Centre, Centre.id == Opportunity.centre_id)
        .where(Opportunity.initiative_id == initiative.id)
        .order_by(Opportunity.created_at.desc(), Opportunity.id.desc()).limit(MAX_LISTINGS)
    ).all()
    ids = [opportunity.id for opportunity, _ in rows]
    by_listing: dict[int, list[SignUpView]] = {i: [] for i in ids}
    if ids:
        for row in session.scalars(
            select(SignUp).where(SignUp.opportunity_id.in_(ids)).order_by(SignUp.created_at.desc(), SignUp.id.desc())
        ):
            by_listing[row.opportunity_id].append(_sign_up_view(row))
    listings = []
    for opportunity, centre_name in rows:
        vacancy = vacancies.get(session, [opportunity.centre_id], opportunity.id, today)
        if vacancy is None:
            continue
        listings.append(Listing(vacancy, centre_name, tuple(by_listing[opportunity.id]), _rejected(opportunity)))
    listings.sort(key=lambda item: _SHOWN_ORDER.get(item.vacancy.status, 9))
    return Overview(initiative.id, initiative.name, initiative.approved_at is not None, tuple(listings))


def listing(session: Session, initiative_id: int, opportunity_id: object, today: date | None = None) -> Vacancy:
    """One of the initiative's listings; NotFound for any other id."""
    opportunity = _owned(session, initiative_id, opportunity_id)
    found = vacancies.get(session, [opportunity.centre_id], opportunity.id, today)
    if found is None:
        raise NotFound()
    return found


def blank_form(session: Session, initiative_id: int) -> VacancyForm:
    """A new listing's form, with what the initiative already told us filled in."""
    initiative = _initiative(session, initiative_id)
    if initiative is None:
        raise NotFound()
    return VacancyForm(initiative_name=initiative.name, contact_email=initiative.contact_email or "",
                       initiative_website=initiative.website or "")


# --- sign-ups ------------------------------------------------------------------


def mark_sign_up(session: Session, initiative_id: int, sign_up_id: object, word: str,
                 now: datetime | None = None) -> SignUpView:
    """Stores what the initiative says about a sign-up ("contact opgenomen", "gestart", "past niet")."""
    target = SIGN_UP_WORDS.get(word)
    found = plain_id(sign_up_id)
    if target is None or found is None:
        raise NotFound()
    row = session.execute(
        select(SignUp, Opportunity.centre_id).join(Opportunity, Opportunity.id == SignUp.opportunity_id)
        .where(SignUp.id == found, Opportunity.initiative_id == initiative_id)
    ).first()
    if row is None:
        raise NotFound()
    sign_up, centre_id = row
    if sign_up.status is SignUpStatus.WITHDRAWN:
        raise ManageError(text.SIGN_UP_WITHDRAWN)
    moment = as_utc(now or utcnow())
    if sign_up.status is not target:
        sign_up.status = target
        sign_up.status_changed_at = moment
    audit.record(session, f"signup.{target.value}", actor=actor(initiative_id), centre_id=centre_id,
                 object_type="sign_up", object_id=sign_up.id, at=moment)
    session.flush()
    return _sign_up_view(sign_up)


# --- listings ------------------------------------------------------------------


def switch(session: Session, initiative_id: int, opportunity_id: object, word: str,
           today: date | None = None, now: datetime | None = None) -> Vacancy:
    """Pause, resume, filled or close: the portal's own switch, on one of this initiative's listings."""
    if word not in SWITCHES:
        raise NotFound()
    change, action = SWITCHES[word]
    opportunity = _owned(session, initiative_id, opportunity_id)
    if opportunity.status == Status.CONCEPT.value:
        raise ManageError(text.CONCEPT_NO_SWITCH)
    changed = _scoped(lambda: change(session, [opportunity.centre_id], opportunity.id, today))
    _audit(session, initiative_id, action, opportunity, now)
    return changed


def renew(session: Session, initiative_id: int, opportunity_id: object, until: str | None = None,
          today: date | None = None, now: datetime | None = None) -> Vacancy:
    """A new last day: `until`, or 90 days from today (doemee.vacancies.renew)."""
    opportunity = _owned(session, initiative_id, opportunity_id)
    if opportunity.status == Status.CONCEPT.value:
        raise ManageError(text.CONCEPT_NO_SWITCH)
    if _rejected(opportunity):
        raise ManageError(text.REJECTED_NO_RENEW)
    moment = as_utc(now or utcnow())
    changed = _scoped(lambda: vacancies.renew(
        session, [opportunity.centre_id], opportunity.id, until or None, today=today, now=moment,
    ))
    _audit(session, initiative_id, RENEWED, opportunity, moment)
    return changed


def edit(session: Session, initiative_id: int, opportunity_id: object, form: VacancyForm, geo: Geography,
         settings: Settings | None = None, today: date | None = None, now: datetime | None = None) -> Saved:
    """Saves the portal's edit form for one listing; the initiative's name stays its own.

    An approved initiative's edit is live at once. Otherwise the listing
    becomes a concept again and the centre's staff hear of it, as of a
    need from the chat.
    """
    opportunity = _owned(session, initiative_id, opportunity_id)
    initiative = opportunity.initiative
    approved = initiative.approved_at is not None
    visible = _centres(session, initiative.id)
    saved = _scoped(lambda: vacancies.edit(
        session, visible, opportunity.id, replace(form, initiative_name=initiative.name), geo, today=today,
    ))
    if not saved.ok:
        return saved
    if not approved:
        initiative.approved_at = None  # its own edit never vouches for it, whatever the listing's status was
    if not approved and opportunity.status != Status.CONCEPT.value:
        opportunity.status = Status.CONCEPT.value
        session.flush()
        notify_new_concept(session, opportunity.id, opportunity.centre_id, opportunity.title,
                           settings or get_settings())
    _audit(session, initiative_id, EDITED, opportunity, now)
    return Saved(vacancies.get(session, [opportunity.centre_id], opportunity.id, today))


def create(session: Session, initiative_id: int, form: VacancyForm, geo: Geography,
           settings: Settings | None = None, today: date | None = None, now: datetime | None = None) -> Saved:
    """A new listing from the web form: a concept in the centre whose region holds its postcode.

    It waits in that centre's Concepten like a need from the chat, and the
    centre's staff are mailed about it the same way.
    """
    initiative = _initiative(session, initiative_id)
    if initiative is None:
        raise NotFound()
    centre = _centre_for(session, form.postcode, geo)
    saved = vacancies.create(
        session, [centre.id], replace(form, initiative_name=initiative.name), geo, centre_id=centre.id,
        today=today, source=vacancies.INITIATIVE_SOURCE, status=Status.CONCEPT,
    )
    if not saved.ok or saved.vacancy is None:
        return saved
    created = saved.vacancy
    notify_new_concept(session, created.id, created.centre_id, created.title, settings or get_settings())
    audit.record(session, SUBMITTED, actor=actor(initiative.id), centre_id=created.centre_id,
                 object_type="opportunity", object_id=created.id, at=as_utc(now or utcnow()))
    return saved


# --- inside ----------------------------------------------------------------------


def _initiative(session: Session, initiative_id: object) -> Initiative | None:
    found = plain_id(initiative_id)
    return session.get(Initiative, found) if found else None


def _owned(session: Session, initiative_id: int, opportunity_id: object) -> Opportunity:
    found = plain_id(opportunity_id)
    opportunity = session.get(Opportunity, found) if found else None
    if opportunity is None or opportunity.initiative_id != initiative_id:
        raise NotFound()
    return opportunity


def _centres(session: Session, initiative_id: int) -> list[int]:
    return list(session.scalars(
        select(Opportunity.centre_id).where(Opportunity.initiative_id == initiative_id).distinct()
    ))


def _centre_for(session: Session, postcode: str, geo: Geography) -> Centre:
    """The centre whose region holds the postcode, else the first centre (as a chat need without a widget)."""
    normalised = normalise_postcode(postcode or "")
    location = geo.postcode(normalised) if normalised else None
    centre = centre_for_municipality(session, location.municipality_code) if location else None
    return centre or require_default_centre(session)


def _rejected(opportunity: Opportunity) -> bool:
    return (opportunity.status == Status.CLOSED.value and opportunity.source in vacancies.MODERATED_SOURCES
            and opportunity.published_at is None)


def _scoped(work):
    """The portal's answers, in the initiative's words where they differ."""
    try:
        return work()
    except VacancyNotFound:
        raise NotFound() from None
    except VacancyError as error:
        raise ManageError(error.message) from None


def _audit(session: Session, initiative_id: int, action: str, opportunity: Opportunity,
           now: datetime | None) -> None:
    audit.record(session, action, actor=actor(initiative_id), centre_id=opportunity.centre_id,
                 object_type="opportunity", object_id=opportunity.id, at=as_utc(now or utcnow()))


def _sign_up_view(row: SignUp) -> SignUpView:
    status = row.status.value if isinstance(row.status, SignUpStatus) else str(row.status)
    return SignUpView(row.id, row.first_name, row.contact, status, text.SIGN_UP_LABELS.get(status, status),
                      as_utc(row.created_at))
