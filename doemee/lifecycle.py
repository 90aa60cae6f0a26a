"""Every open listing ends: the initiative is warned a week before, and it closes itself after its last day.

A listing's last day is its `valid_until`, or 90 days after it was
published or last renewed. Seven days before that day the initiative gets
a mail with two one-click links, "verlengen" and "sluiten"; a listing
without a last day gets one written at that moment (never less than a week
away), so no listing ever closes without its initiative having been warned
a week ahead. Closing is one UPDATE of every open listing past its last day.

Demo listings (`doemee demo`) are left alone: their addresses are made up,
and a demo should not empty itself while someone is trying DoeMee out.

Both steps are safe to repeat and to run in two processes at once: the
warning is claimed with an UPDATE that only succeeds while `end_warned_for`
is not yet this last day, and the mail is queued in that same transaction
(doemee.outbox), so a warning is mailed exactly when its claim commits.

The links carry a signed token with the listing's id, the last day the mail
was about and the action. After a renewal the last day moves on, so an old
mail's links say "al verlengd" instead of acting again. Opening a link
(GET, as mail scanners do) only asks; the page's button (POST) acts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from enum import Enum
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from doemee import initiative_manage, outbox, vacancies
from doemee import initiative_messages as texts
from doemee.listing_end import end_date
from doemee.mail_links import LinkState, plain_id, sign, unsign
from doemee.mail_message import compose
from doemee.settings import Settings
from doemee.storage.database import Database, rows_changed
from doemee.storage.models import Initiative, Opportunity, Status, as_utc, utcnow

logger = logging.getLogger(__name__)

WARN_BEFORE = timedelta(days=7)
LINK_VALID = timedelta(days=30)
RENEW_PATH = "/initiatief/verlengen"
CLOSE_PATH = "/initiatief/sluiten"
CLOSE_WORD = "sluiten"  # doemee.initiative_manage.SWITCHES
MAIL_KIND = "listing_ending"
_SALT = "doemee.lifecycle"


class Action(str, Enum):
    RENEW = "renew"
    CLOSE = "close"


@dataclass(frozen=True)
class Round:
    warned: int
    closed: int


@dataclass(frozen=True)
class LinkOutcome:
    """What a link led to, with what the page needs to say it."""

    state: LinkState
    action: Action | None = None
    title: str = ""
    last_day: date | None = None
    # Set when the listing can no longer be renewed this way (a concept, a rejected need).
    refused: bool = False


def last_day(opportunity: Opportunity) -> date:
    """The last day residents can see the listing."""
    return end_date(opportunity.valid_until, opportunity.renewed_at, opportunity.published_at, opportunity.created_at)


def ends_by(day: date) -> ColumnElement[bool]:
    """SQL: the listing's last day is `day` or earlier (whether or not it has a `valid_until`)."""
    return Opportunity.ends_on <= day


def run_once(database: Database, settings: Settings, now: datetime | None = None) -> Round:
    """One round: warn who is due a warning, then close what ended."""
    moment = as_utc(now or utcnow())
    warned = warn_due(database, settings, moment)
    with database.session() as session:
        closed = close_ended(session, moment)
    if warned or closed:
        logger.info("listing lifecycle: %d warning(s), %d closed", warned, closed)
    return Round(warned, closed)


def warn_due(database: Database, settings: Settings, now: datetime) -> int:
    """Queues a warning for every open listing whose last day is within a week; returns how many."""
    today = now.date()
    with database.session() as session:
        due = list(session.scalars(
            select(Opportunity.id)
            .where(Opportunity.status == Status.OPEN.value, Opportunity.is_demo.is_(False), ends_by(today + WARN_BEFORE))
            .where(or_(Opportunity.valid_until.is_(None), Opportunity.valid_until >= today))
            .order_by(Opportunity.id)
        ))
    warned = 0
    for opportunity_id in due:
        with database.session() as session:
            warned += _warn(session, opportunity_id, settings, now)
    return warned


def close_ended(session: Session, now: datetime) -> int:
    """Closes every open listing past its last day; returns how many."""
    return rows_changed(session.execute(
        update(Opportunity)
        .where(Opportunity.status == Status.OPEN.value, Opportunity.is_demo.is_(False), Opportunity.valid_until < now.date())
        .values(status=Status.CLOSED.value)
        .execution_options(synchronize_session=False)
    ))


def link(settings: Settings, opportunity_id: int, about: date, action: Action, now: datetime) -> str:
    token = sign(settings, _SALT, [opportunity_id, about.isoformat(), action.value], now)
    path = RENEW_PATH if action is Action.RENEW else CLOSE_PATH
    return f"{settings.public_url}{path}?{urlencode({'token': token})}"


def link_state(session: Session, token: str, action: Action, settings: Settings, now: datetime) -> LinkOutcome:
    """What the link would do, changing nothing (the page a GET shows)."""
    found = _target(session, token, action, settings, as_utc(now))
    return found if isinstance(found, LinkOutcome) else LinkOutcome(LinkState.OPEN, action, found[0].title, found[1])


def use_link(session: Session, token: str, action: Action, settings: Settings, now: datetime) -> LinkOutcome:
    """Renews or closes the listing the link was mailed about; a second use changes nothing."""
    moment = as_utc(now)
    found = _target(session, token, action, settings, moment)
    if isinstance(found, LinkOutcome):
        return found
    opportunity, about = found
    # As the initiative's own manage page does it, so the audit trail names the initiative.
    owner, today = opportunity.initiative_id, moment.date()
    try:
        if action is Action.RENEW:
            renewed = initiative_manage.renew(session, owner, opportunity.id, today=today, now=moment)
            return LinkOutcome(LinkState.DONE, action, opportunity.title, renewed.valid_until)
        initiative_manage.switch(session, owner, opportunity.id, CLOSE_WORD, today=today, now=moment)
    except (vacancies.VacancyError, initiative_manage.ManageError):
        return LinkOutcome(LinkState.ALREADY, action, opportunity.title, about, refused=True)
    return LinkOutcome(LinkState.DONE, action, opportunity.title, about)


# --- inside ----------------------------------------------------------------------


def _warn(session: Session, opportunity_id: int, settings: Settings, now: datetime) -> int:
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None or opportunity.status != Status.OPEN.value:
        return 0
    today = now.date()
    ends = last_day(opportunity)
    if opportunity.valid_until is None:
        warned = opportunity.end_warned_for
        if warned is not None and ends <= warned:
            # Warned before, and something cleared the last day since (an import without one):
            # the day in the mail stands, or every import would earn a new week and a new mail.
            session.execute(
                update(Opportunity).where(Opportunity.id == opportunity_id, Opportunity.valid_until.is_(None))
                .values(valid_until=warned, ends_on=warned).execution_options(synchronize_session=False)
            )
            return 0
        # A listing without a last day gets one now, at least a week away: the warning is then true.
        ends = max(ends, today + WARN_BEFORE)
    if ends < today or opportunity.end_warned_for == ends:
        return 0
    same_end = (Opportunity.valid_until.is_(None) if opportunity.valid_until is None
                else Opportunity.valid_until == opportunity.valid_until)
    claimed = rows_changed(session.execute(
        update(Opportunity)
        .where(
            Opportunity.id == opportunity_id, Opportunity.status == Status.OPEN.value, same_end,
            or_(Opportunity.end_warned_for.is_(None), Opportunity.end_warned_for != ends),
        )
        .values(end_warned_for=ends, valid_until=ends, ends_on=ends)
        .execution_options(synchronize_session=False)
    ))
    if claimed != 1:
        return 0
    address = (opportunity.contact_email or "").strip() or _initiative_address(session, opportunity)
    if address:
        outbox.queue(session, _warning(opportunity, address, ends, settings, now), kind=MAIL_KIND,
                     centre_id=opportunity.centre_id)
    return 1


def _initiative_address(session: Session, opportunity: Opportunity) -> str:
    initiative = session.get(Initiative, opportunity.initiative_id)
    return (initiative.contact_email or "").strip() if initiative is not None else ""


def _warning(opportunity: Opportunity, address: str, ends: date, settings: Settings, now: datetime) -> EmailMessage:
    initiative = opportunity.initiative.name if opportunity.initiative is not None else ""
    return compose(settings, address, texts.lifecycle_warning_subject(opportunity.title, ends),
                   texts.lifecycle_warning_body(
                       initiative, opportunity.title, ends,
                       link(settings, opportunity.id, ends, Action.RENEW, now),
                       link(settings, opportunity.id, ends, Action.CLOSE, now),
                   ))


def _target(
    session: Session, token: str, action: Action, settings: Settings, now: datetime,
) -> LinkOutcome | tuple[Opportunity, date]:
    """The listing and the last day the link is about, or the outcome that says why it cannot act."""
    payload = unsign(settings, _SALT, token, now, LINK_VALID)
    if isinstance(payload, LinkState):
        return LinkOutcome(payload, action)
    if len(payload) != 3 or payload[2] != action.value or not isinstance(payload[1], str):
        return LinkOutcome(LinkState.INVALID, action)
    opportunity_id = plain_id(payload[0])
    try:
        about = date.fromisoformat(payload[1])
    except ValueError:
        return LinkOutcome(LinkState.INVALID, action)
    opportunity = session.get(Opportunity, opportunity_id) if opportunity_id is not None else None
    if opportunity is None:
        return LinkOutcome(LinkState.INVALID, action)
    status = opportunity.status
    if action is Action.CLOSE:
        if status == Status.CLOSED.value:
            return LinkOutcome(LinkState.ALREADY, action, opportunity.title, about)
        if status not in {Status.OPEN.value, Status.PAUSED.value, Status.FILLED.value}:
            return LinkOutcome(LinkState.ALREADY, action, opportunity.title, about, refused=True)
        return opportunity, about
    if last_day(opportunity) != about:
        return LinkOutcome(LinkState.ALREADY, action, opportunity.title, last_day(opportunity))
    # Closed on its own after that day: renewing brings it back. Closed by hand before it: it stays closed.
    ended_by_date = status == Status.CLOSED.value and about < now.date()
    if status not in {Status.OPEN.value, Status.PAUSED.value, Status.FILLED.value} and not ended_by_date:
        return LinkOutcome(LinkState.ALREADY, action, opportunity.title, about, refused=True)
    return opportunity, about
