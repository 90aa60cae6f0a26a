"""Follow-up of a sign-up nobody acted on: a reminder to the initiative, then a question to the resident.

A volunteer who hears nothing for weeks does not come back. So:

- 7 days after a sign-up that is still "new", the initiative gets a
  reminder (with its manage link, where it can mark "contact opgenomen");
- 10 days after, still "new", the resident is asked "Heeft <initiatief>
  contact met je opgenomen?" with ja / nee / niet meer nodig: by mail when
  they left an address, and in their own channel (a Telegram push, or the
  widget at their next visit: `pending_question`);
- "ja" marks the sign-up contacted, "niet meer nodig" withdraws it (and the
  initiative is told), "nee" puts it on the centre's Vandaag page and gives
  the resident the initiative's contact again and two alternatives nearby.

Sign-ups older than a month are left alone: a question about something
that long ago helps nobody. Every step is claimed with an UPDATE that only
succeeds once, and its mail is queued in that transaction (doemee.outbox),
so two processes running the rounds send each mail once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from doemee import initiative_links, messages, outbox
from doemee import initiative_messages as initiative_texts
from doemee.mail_links import LinkState, plain_id, sign, unsign
from doemee.mail_message import compose
from doemee.matching.engine import find
from doemee.matching.query import Match, SearchQuery
from doemee.notify import queue_withdrawn_notice
from doemee.opportunities import is_valid_email
from doemee.residents import find_resident
from doemee.settings import Settings, get_settings
from doemee.storage.database import Database, rows_changed
from doemee.storage.models import (
    Centre,
    FollowUpAnswer,
    Opportunity,
    Resident,
    SignUp,
    SignUpStatus,
    as_utc,
    utcnow,
)

logger = logging.getLogger(__name__)

REMIND_AFTER = timedelta(days=7)
ASK_AFTER = timedelta(days=10)
# Sign-ups older than this are not followed up (also the ones from before this feature).
FOLLOW_UP_WITHIN = timedelta(days=30)
LINK_VALID = timedelta(days=30)
ALTERNATIVES = 2
ANSWER_PATH = "/aanmelding/antwoord"
REMINDER_KIND = "signup_reminder"
QUESTION_KIND = "signup_question"
CENTRE_HANDLED = "signup.followed_up"  # audit: the centre took up a resident's "nee"
_SALT = "doemee.followup.answer"
CHOICES: tuple[tuple[FollowUpAnswer, str], ...] = (
    (FollowUpAnswer.YES, messages.FOLLOWUP_YES),
    (FollowUpAnswer.NO, messages.FOLLOWUP_NO),
    (FollowUpAnswer.NOT_NEEDED, messages.FOLLOWUP_NOT_NEEDED),
)
LABELS = dict(CHOICES)


@dataclass(frozen=True)
class Round:
    reminded: int
    asked: int


@dataclass(frozen=True)
class Question:
    """The question for one sign-up, as every channel asks it (the buttons are `CHOICES`)."""

    sign_up_id: int
    text: str


@dataclass(frozen=True)
class Pushed:
    """A question due in a channel that pushes (Telegram): to whom, and what."""

    sender_id: str
    question: Question


@dataclass(frozen=True)
class Answered:
    """The resident's answer taken: the reply in Dutch, and alternatives the channel may offer as buttons."""

    sign_up_id: int
    answer: FollowUpAnswer
    text: str
    alternatives: tuple[Match, ...] = ()


@dataclass(frozen=True)
class LinkAnswer:
    """What an answer link from the resident's mail stands for, or did."""

    state: LinkState
    text: str = ""
    answered: Answered | None = None


def run_once(database: Database, settings: Settings, now: datetime | None = None) -> Round:
    """One round: remind initiatives at day 7, ask residents at day 10."""
    moment = as_utc(now or utcnow())
    reminded = _each(database, _due(SignUp.initiative_reminded_at, REMIND_AFTER, moment),
                     lambda session, sign_up_id: _remind(session, sign_up_id, settings, moment))
    asked = _each(database, _due(SignUp.resident_asked_at, ASK_AFTER, moment),
                  lambda session, sign_up_id: _ask(session, sign_up_id, settings, moment))
    if reminded or asked:
        logger.info("sign-up follow-up: %d reminder(s), %d question(s)", reminded, asked)
    return Round(reminded, asked)


def pending_question(session: Session, channel: str, sender_id: str, now: datetime | None = None) -> Question | None:
    """The oldest question this resident was not shown yet, marked shown (the widget asks at the next visit)."""
    resident = find_resident(session, channel, sender_id)
    if resident is None:
        return None
    waiting = session.scalars(
        _unshown().where(SignUp.resident_id == resident.id).order_by(SignUp.created_at, SignUp.id).limit(5)
    ).all()
    for row in waiting:
        if _claim_shown(session, row.id, as_utc(now or utcnow())):
            return _question(session, row)
    return None


def questions_to_push(session: Session, channel: str, now: datetime | None = None, limit: int = 100) -> list[Pushed]:
    """Every question due in a pushing channel, marked shown; `unshow` one whose push failed."""
    rows = session.execute(
        _unshown().add_columns(Resident.sender_id)
        .join(Resident, Resident.id == SignUp.resident_id)
        .where(Resident.channel == channel)
        .order_by(SignUp.id).limit(limit)
    ).all()
    moment = as_utc(now or utcnow())
    return [Pushed(sender_id, _question(session, row)) for row, sender_id in rows if _claim_shown(session, row.id, moment)]


def unshow(session: Session, sign_up_id: int) -> None:
    """The push did not arrive: the next round tries again."""
    session.execute(update(SignUp).where(SignUp.id == sign_up_id).values(question_shown_at=None))


def answer_as(
    session: Session, channel: str, sender_id: str, sign_up_id: object, choice: FollowUpAnswer, now: datetime,
    settings: Settings | None = None,
) -> Answered | None:
    """Takes the answer only from the resident whose sign-up it is; None for anyone else's, or any made-up id."""
    wanted = plain_id(sign_up_id)
    resident = find_resident(session, channel, sender_id) if wanted is not None else None
    row = session.get(SignUp, wanted) if resident is not None else None
    if row is None or resident is None or row.resident_id != resident.id:
        return None
    return answer(session, row.id, choice, now, settings)


def answer(
    session: Session, sign_up_id: int, answer: FollowUpAnswer, now: datetime, settings: Settings | None = None,
) -> Answered | None:
    """Records the resident's answer and does what it asks; None when this sign-up was never asked about.

    A later answer replaces an earlier one ("nee", then "ja" once they were
    called after all). The sign-up's status only moves forward from "new":
    what the initiative set itself stays.
    """
    row = session.get(SignUp, sign_up_id)
    if row is None or row.resident_asked_at is None:
        return None
    opportunity = session.get(Opportunity, row.opportunity_id)
    if opportunity is None:
        return None
    initiative = opportunity.initiative
    moment = as_utc(now)
    if answer is FollowUpAnswer.NO and row.resident_answer is not FollowUpAnswer.NO:
        row.centre_handled_at = None  # a new "nee" is new work for the centre
    row.resident_answer = answer
    row.answered_at = moment
    if answer is FollowUpAnswer.YES:
        _move(row, {SignUpStatus.NEW}, SignUpStatus.CONTACTED, moment)
        return Answered(row.id, answer, messages.followup_thanks(initiative.name))
    if answer is FollowUpAnswer.NOT_NEEDED:
        if _move(row, {SignUpStatus.NEW, SignUpStatus.CONTACTED}, SignUpStatus.WITHDRAWN, moment):
            queue_withdrawn_notice(session, row, opportunity, initiative.name, settings or get_settings())
        return Answered(row.id, answer, messages.followup_withdrawn(initiative.name, opportunity.title))
    found = alternatives(session, row, opportunity, moment)
    lines = [messages.followup_alternative(m.opportunity.title, m.opportunity.initiative, m.opportunity.place)
             for m in found]
    text = messages.followup_not_contacted(initiative.name, opportunity.contact_email, initiative.website, lines)
    return Answered(row.id, answer, text, tuple(found))


def mark_handled(session: Session, centre_ids: Iterable[int], sign_up_id: object, now: datetime) -> int | None:
    """Takes a resident's "nee" off the Vandaag page once the centre followed it up.

    Returns the listing's centre (for the audit trail), or None for anything
    that is not a "nee" of the caller's centres: another centre's sign-up
    behaves exactly as a missing one.
    """
    wanted = plain_id(sign_up_id)
    scope = [i for i in centre_ids if plain_id(i) is not None]
    if wanted is None or not scope:
        return None
    centre_id = session.scalar(
        select(Opportunity.centre_id).join(SignUp, SignUp.opportunity_id == Opportunity.id)
        .where(SignUp.id == wanted, SignUp.resident_answer == FollowUpAnswer.NO, Opportunity.centre_id.in_(scope))
    )
    if centre_id is None:
        return None
    session.execute(
        update(SignUp).where(SignUp.id == wanted, SignUp.centre_handled_at.is_(None))
        .values(centre_handled_at=as_utc(now)).execution_options(synchronize_session=False)
    )
    return centre_id


def alternatives(session: Session, row: SignUp, opportunity: Opportunity, now: datetime) -> list[Match]:
    """Two other open places near the listing, of its kind, within the resident's centre's region."""
    taken = set(session.scalars(select(SignUp.opportunity_id).where(SignUp.resident_id == row.resident_id)))
    region: frozenset[str] = frozenset()
    if row.centre_id is not None:
        centre = session.get(Centre, row.centre_id)
        region = frozenset(centre.municipality_codes) if centre is not None else frozenset()
    query = SearchQuery(
        lat=opportunity.lat, lon=opportunity.lon, origin=opportunity.place, pc4=opportunity.pc4,
        municipality_code=opportunity.municipality_code, interests=frozenset({opportunity.category}),
        limit=ALTERNATIVES, exclude_ids=frozenset(taken | {opportunity.id}), today=now.date(),
        municipality_codes=region,
    )
    return list(find(session, query).matches)


# --- the answer links in the resident's mail -------------------------------------------


def answer_link(settings: Settings, sign_up_id: int, choice: FollowUpAnswer, now: datetime) -> str:
    token = sign(settings, _SALT, [sign_up_id, choice.value], now)
    return f"{settings.public_url}{ANSWER_PATH}?{urlencode({'token': token})}"


def link_state(session: Session, token: str, settings: Settings, now: datetime) -> LinkAnswer:
    """What the link would answer, changing nothing (the page a GET shows)."""
    found = _linked(session, token, settings, now)
    if isinstance(found, LinkState):
        return LinkAnswer(found)
    row, choice = found
    opportunity = session.get(Opportunity, row.opportunity_id)
    title = opportunity.title if opportunity is not None else ""
    return LinkAnswer(LinkState.OPEN, messages.followup_confirm(title, LABELS[choice]))


def answer_by_link(session: Session, token: str, settings: Settings, now: datetime) -> LinkAnswer:
    found = _linked(session, token, settings, now)
    if isinstance(found, LinkState):
        return LinkAnswer(found)
    row, choice = found
    done = answer(session, row.id, choice, now, settings)
    if done is None:
        return LinkAnswer(LinkState.INVALID)
    return LinkAnswer(LinkState.DONE, done.text, done)


# --- inside ----------------------------------------------------------------------------


def _due(claim_column, after: timedelta, now: datetime):
    return (
        select(SignUp.id)
        .where(
            claim_column.is_(None), SignUp.status == SignUpStatus.NEW, SignUp.resident_id.is_not(None),
            SignUp.created_at <= now - after, SignUp.created_at > now - FOLLOW_UP_WITHIN,
        )
        .order_by(SignUp.id)
    )


def _each(database: Database, due, work) -> int:
    with database.session() as session:
        ids = list(session.scalars(due))
    done = 0
    for sign_up_id in ids:
        with database.session() as session:
            done += work(session, sign_up_id)
    return done


def _claim(session: Session, sign_up_id: int, column, now: datetime) -> bool:
    return rows_changed(session.execute(
        update(SignUp)
        .where(SignUp.id == sign_up_id, column.is_(None), SignUp.status == SignUpStatus.NEW)
        .values({column.key: now})
        .execution_options(synchronize_session=False)
    )) == 1


def _remind(session: Session, sign_up_id: int, settings: Settings, now: datetime) -> int:
    if not _claim(session, sign_up_id, SignUp.initiative_reminded_at, now):
        return 0
    row = session.get(SignUp, sign_up_id)
    opportunity = session.get(Opportunity, row.opportunity_id) if row is not None else None
    if row is None or opportunity is None or not (opportunity.contact_email or "").strip():
        return 0
    link, personal = initiative_links.link_for_notice(session, opportunity.id, opportunity.contact_email, settings, now)
    message = compose(settings, opportunity.contact_email, initiative_texts.followup_reminder_subject(opportunity.title))
    message.set_content(initiative_texts.followup_reminder_body(
        opportunity.initiative.name, opportunity.title, row.first_name, row.contact, as_utc(row.created_at).date(),
        initiative_texts.signup_manage_line(link, personal),
    ))
    outbox.queue(session, message, kind=REMINDER_KIND, centre_id=opportunity.centre_id, resident_id=row.resident_id)
    return 1


def _ask(session: Session, sign_up_id: int, settings: Settings, now: datetime) -> int:
    if not _claim(session, sign_up_id, SignUp.resident_asked_at, now):
        return 0
    row = session.get(SignUp, sign_up_id)
    opportunity = session.get(Opportunity, row.opportunity_id) if row is not None else None
    if row is None or opportunity is None:
        return 0
    address = (row.contact or "").strip()
    if is_valid_email(address):
        initiative = opportunity.initiative.name
        message = compose(settings, address, messages.followup_mail_subject(initiative))
        links = [answer_link(settings, row.id, choice, now) for choice, _ in CHOICES]
        message.set_content(messages.followup_mail_body(
            row.first_name, initiative, opportunity.title, as_utc(row.created_at).date(), *links,
        ))
        outbox.queue(session, message, kind=QUESTION_KIND, centre_id=opportunity.centre_id, resident_id=row.resident_id)
    return 1


def _unshown():
    return select(SignUp).where(
        SignUp.resident_asked_at.is_not(None), SignUp.question_shown_at.is_(None),
        SignUp.resident_answer.is_(None), SignUp.status == SignUpStatus.NEW,
    )


def _claim_shown(session: Session, sign_up_id: int, now: datetime) -> bool:
    return rows_changed(session.execute(
        update(SignUp)
        .where(SignUp.id == sign_up_id, SignUp.question_shown_at.is_(None))
        .values(question_shown_at=now)
        .execution_options(synchronize_session=False)
    )) == 1


def _question(session: Session, row: SignUp) -> Question:
    opportunity = session.get(Opportunity, row.opportunity_id)
    initiative = opportunity.initiative.name if opportunity is not None else ""
    title = opportunity.title if opportunity is not None else ""
    return Question(row.id, messages.followup_question(initiative, title, as_utc(row.created_at).date()))


def _move(row: SignUp, allowed: set[SignUpStatus], target: SignUpStatus, now: datetime) -> bool:
    if row.status not in allowed:
        return False
    row.status = target
    row.status_changed_at = now
    return True


def _linked(session: Session, token: str, settings: Settings, now: datetime) -> tuple[SignUp, FollowUpAnswer] | LinkState:
    payload = unsign(settings, _SALT, token, as_utc(now), LINK_VALID)
    if isinstance(payload, LinkState):
        return payload
    if len(payload) != 2 or not isinstance(payload[1], str):
        return LinkState.INVALID
    try:
        choice = FollowUpAnswer(payload[1])
    except ValueError:
        return LinkState.INVALID
    sign_up_id = plain_id(payload[0])
    row = session.get(SignUp, sign_up_id) if sign_up_id is not None else None
    if row is None or row.resident_asked_at is None or row.resident_id is None:
        return LinkState.INVALID
    return row, choice
