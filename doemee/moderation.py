"""The volunteer centre checks needs posted in the chat before residents see them.

A need from the chat waits as a concept (`doemee.needs`). The centre reads
the queue oldest first, so nobody waits longest by accident, and opens or
closes each one. The initiative hears the outcome by email: the notice is
queued in the outbox in the decision's own transaction, so a mail server
that is down never undoes a moderator's work and no notice is ever lost.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from doemee import messages
from doemee import staff_messages as text
from doemee.categories import LABELS
from doemee.notify import ModerationNotice, queue_moderation_notice
from doemee.opportunities import LIMITS, TIME_COMMITMENTS, publish
from doemee.settings import Settings
from doemee.storage.models import Initiative, Opportunity, OutboxMail, Status, as_utc


@dataclass(frozen=True)
class Concept:
    """One need waiting for the centre; the contact email is for the centre only."""

    id: int
    initiative: str
    title: str
    description: str
    category: str
    category_label: str
    postcode: str
    place: str
    time_commitment: str
    contact_email: str
    created_at: datetime
    centre_id: int

    def as_dict(self) -> dict:
        found = {**asdict(self), "created_at": self.created_at.isoformat()}
        del found["centre_id"]  # the command line's JSON stays as it was
        return found


@dataclass(frozen=True)
class Decision:
    """What the centre decided about one concept, and whom to tell."""

    opportunity_id: int
    approved: bool
    status: str
    title: str
    initiative: str
    contact_email: str
    reason: str | None = None
    centre_id: int | None = None

    def notice(self) -> ModerationNotice:
        return ModerationNotice(
            to_email=self.contact_email, initiative=self.initiative, title=self.title,
            approved=self.approved, reason=self.reason,
        )


class ModerationError(ValueError):
    """A decision that cannot be made; `message` is one Dutch line for the moderator.

    `unknown` is true when the id names nothing this moderator may see: a
    concept of another centre is as unknown as one that never existed.
    """

    def __init__(self, message: str, unknown: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.unknown = unknown


# Which centres a moderator sees: None is every centre (the command line).
Scope = frozenset[int] | None


@dataclass(frozen=True)
class ConceptEdit:
    """What a moderator may change before approving: the words, the subject and how often."""

    title: str
    description: str
    category: str
    time_commitment: str


MAX_REASON_CHARS = 1000


def list_concepts(session: Session, centre_ids: Scope = None) -> list[Concept]:
    """Every need still waiting in the centres of `centre_ids`, oldest first (ties by id, so the order is stable)."""
    return [_as_concept(o, i) for o, i in session.execute(_waiting(centre_ids))]


@dataclass(frozen=True)
class ConceptPage:
    items: tuple[Concept, ...]
    total: int
    page: int
    pages: int


CONCEPTS_PER_PAGE = 50


def concepts_page(session: Session, centre_ids: Scope = None, page: int = 1,
                  per_page: int = CONCEPTS_PER_PAGE) -> ConceptPage:
    """One page of `list_concepts`; a page past the end shows the last one."""
    waiting = _waiting(centre_ids)
    total = session.scalar(select(func.count()).select_from(waiting.with_only_columns(Opportunity.id).subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, page), pages)
    rows = session.execute(waiting.offset((number - 1) * per_page).limit(per_page))
    return ConceptPage(tuple(_as_concept(o, i) for o, i in rows), total, number, pages)


def _waiting(centre_ids: Scope):
    statement = (
        select(Opportunity, Initiative)
        .join(Initiative, Opportunity.initiative_id == Initiative.id)
        .where(Opportunity.status == Status.CONCEPT.value)
        .order_by(Opportunity.created_at, Opportunity.id)
    )
    if centre_ids is not None:
        statement = statement.where(Opportunity.centre_id.in_(sorted(centre_ids)))
    return statement


def get_concept(session: Session, opportunity_id: int, centre_ids: Scope = None) -> Concept:
    """One waiting need; ModerationError (unknown) when it is not one of the scope's concepts."""
    opportunity = _concept(session, opportunity_id, centre_ids)
    return _as_concept(opportunity, opportunity.initiative)


def edit_concept(session: Session, opportunity_id: int, edit: ConceptEdit, centre_ids: Scope = None) -> list[str]:
    """Changes the concept before approval; the Dutch problems (nothing is changed when there are any)."""
    opportunity = _concept(session, opportunity_id, centre_ids)
    problems = edit_problems(edit)
    if problems:
        return problems
    opportunity.title = edit.title
    opportunity.description = edit.description
    opportunity.category = edit.category
    opportunity.time_commitment = edit.time_commitment
    session.flush()
    return []


def edit_problems(edit: ConceptEdit) -> list[str]:
    problems = []
    if not 4 <= len(edit.title) <= LIMITS["title"]:
        problems.append(text.TITLE_LENGTH)
    if not 15 <= len(edit.description) <= LIMITS["description"]:
        problems.append(text.DESCRIPTION_LENGTH)
    if edit.category not in LABELS:
        problems.append(text.UNKNOWN_CATEGORY)
    if edit.time_commitment not in TIME_COMMITMENTS:
        problems.append(text.UNKNOWN_TIME)
    if any(_unstorable(ch) for ch in edit.title + edit.description) or any(ch in edit.title for ch in "\n\r\t"):
        problems.append(text.CONTROL_CHARACTERS)
    return problems


def _unstorable(ch: str) -> bool:
    code = ord(ch)
    return (code < 32 and ch not in "\t\n\r") or code == 0x7F or 0xD800 <= code <= 0xDFFF


def approve(session: Session, opportunity_id: int, now: datetime | None = None, centre_ids: Scope = None) -> Decision:
    """Publishes the concept as of `now`, so alerts treat it as news from that moment.

    The centre thereby vouches for the initiative: from now on its own edits
    (through its manage link) go live at once. Raises ModerationError for
    an unknown id or anything that is not a concept.
    """
    _concept(session, opportunity_id, centre_ids)
    moment = now or datetime.now(timezone.utc)
    opened = publish(session, opportunity_id, moment)
    if opened is None:
        raise ModerationError(messages.moderation_unknown_id(opportunity_id))
    if opened.initiative.approved_at is None:
        opened.initiative.approved_at = moment
    return _decision(opened, approved=True)


def reject(session: Session, opportunity_id: int, reason: str | None = None, centre_ids: Scope = None) -> Decision:
    """Closes the concept. The reason only goes into the email: there is no column to keep it."""
    printable = "".join(ch if ch.isprintable() else " " for ch in reason or "")
    cleaned = " ".join(printable.split())
    if len(cleaned) > MAX_REASON_CHARS:
        raise ModerationError(messages.moderation_reason_too_long(MAX_REASON_CHARS, len(cleaned)))
    opportunity = _concept(session, opportunity_id, centre_ids)
    opportunity.status = Status.CLOSED.value
    session.flush()
    return _decision(opportunity, approved=False, reason=cleaned or None)


def notify_decision(session: Session, decision: Decision, settings: Settings) -> OutboxMail:
    """Queues the initiative's notice in the session that stores the decision."""
    return queue_moderation_notice(session, decision.notice(), settings, centre_id=decision.centre_id)


def _concept(session: Session, opportunity_id: int, centre_ids: Scope = None) -> Opportunity:
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None or (centre_ids is not None and opportunity.centre_id not in centre_ids):
        raise ModerationError(messages.moderation_unknown_id(opportunity_id), unknown=True)
    if opportunity.status != Status.CONCEPT.value:
        raise ModerationError(messages.moderation_not_a_concept(opportunity_id, opportunity.status))
    return opportunity


def _as_concept(o: Opportunity, i: Initiative) -> Concept:
    return Concept(
        id=o.id, initiative=i.name, title=o.title, description=o.description, category=o.category,
        category_label=LABELS.get(o.category, o.category), postcode=o.postcode, place=o.place,
        time_commitment=o.time_commitment, contact_email=o.contact_email,
        created_at=as_utc(o.created_at), centre_id=o.centre_id,
    )


def _decision(opportunity: Opportunity, approved: bool, reason: str | None = None) -> Decision:
    return Decision(
        opportunity_id=opportunity.id, approved=approved, status=opportunity.status,
        title=opportunity.title, initiative=opportunity.initiative.name,
        contact_email=opportunity.contact_email, reason=reason, centre_id=opportunity.centre_id,
    )

