"""Questions residents leave for their centre when they want a person ("hulpvragen").

A resident who asks for a person often cannot call during office hours.
Leaving a question with an e-mail address or phone number lets the centre
answer later; the centre's staff see the open ones in the portal. Only
what the resident agreed to share is stored, linked to the resident so
that "vergeet mij" deletes it, and handled questions go after
KEEP_HANDLED: the centre needs them for a while ("did we answer her?"),
not for ever.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from doemee import messages
from doemee.residents import Contact, parse_contact
from doemee.settings import Settings, get_settings
from doemee.staff_notices import notify_new_question
from doemee.storage.database import rows_changed
from doemee.storage.models import Centre, HandoffRequest, HandoffStatus, Resident, as_utc, utcnow

MAX_QUESTION = 500
MAX_NAME = 80
KEEP_HANDLED = timedelta(days=90)
# Bidirectional overrides make a question read differently from what was typed.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class QuestionError(ValueError):
    """Something the resident must change; `message` is one Dutch sentence for them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class HandoffReceipt:
    """What the resident is told: which centre answers, how soon, and how."""

    request_id: int
    centre_name: str
    answer_within: str
    contact: Contact


@dataclass(frozen=True)
class OpenQuestion:
    """A request as the portal lists it."""

    id: int
    centre_name: str
    first_name: str | None
    question: str
    contact_kind: str
    contact_value: str
    created_at: datetime
    handled_at: datetime | None


def clean_question(question: object) -> str:
    """The question as stored (NFKC, one line); raises QuestionError with the reason it cannot be."""
    if not isinstance(question, str):
        raise QuestionError(messages.QUESTION_EMPTY)
    if len(question) > MAX_QUESTION * 4:
        raise QuestionError(messages.QUESTION_TOO_LONG)
    text = unicodedata.normalize("NFKC", question)
    if _has_control(text, allowed="\n\r\t"):
        raise QuestionError(messages.QUESTION_BAD_CHARACTERS)
    text = " ".join(text.split())
    if not text:
        raise QuestionError(messages.QUESTION_EMPTY)
    if len(text) > MAX_QUESTION:
        raise QuestionError(messages.QUESTION_TOO_LONG)
    return text


def clean_contact(contact: Contact | str | None) -> Contact:
    if isinstance(contact, Contact) and contact.kind in ("email", "phone"):
        found = parse_contact(contact.value, in_sentence=False)
        if found is not None and found.kind == contact.kind:
            return found
    elif isinstance(contact, str):
        found = parse_contact(contact)
        if found is not None:
            return found
    raise QuestionError(messages.QUESTION_NO_CONTACT)


def _clean_name(first_name: str | None) -> str | None:
    if first_name is None:
        return None
    if not isinstance(first_name, str) or len(first_name) > MAX_NAME * 4:
        raise QuestionError(messages.QUESTION_NAME_INVALID)
    name = " ".join(unicodedata.normalize("NFKC", first_name).split())
    if _has_control(name) or len(name) > MAX_NAME:
        raise QuestionError(messages.QUESTION_NAME_INVALID)
    return name or None


def _has_control(text: str, allowed: str = "") -> bool:
    return any(
        (unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in allowed) or ch in _BIDI
        for ch in text
    )


def leave_question(
    session: Session,
    centre: Centre,
    question: str,
    contact: Contact | str,
    first_name: str | None = None,
    *,
    resident: Resident | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> HandoffReceipt:
    """Stores the question for `centre` and mails its staff once the caller commits.

    Call only after the resident agreed to share the question and contact
    with this centre: the moment is stored as their consent. Raises
    QuestionError (nothing stored) for a question or contact that cannot be.
    """
    now = now or utcnow()
    text = clean_question(question)
    reach = clean_contact(contact)
    name = _clean_name(first_name)
    request = HandoffRequest(
        centre_id=centre.id, resident_id=resident.id if resident is not None else None, first_name=name,
        question=text, contact_kind=reach.kind, contact_value=reach.value, status=HandoffStatus.OPEN,
        consented_at=now, created_at=now,
    )
    session.add(request)
    session.flush()
    notify_new_question(session, centre.id, settings or get_settings())
    return HandoffReceipt(request.id, centre.name, messages.ANSWER_WITHIN, reach)


def _listed(session: Session, centre_ids: frozenset[int], status: HandoffStatus, limit: int) -> list[OpenQuestion]:
    order = (HandoffRequest.created_at, HandoffRequest.id) if status is HandoffStatus.OPEN else (
        HandoffRequest.handled_at.desc(), HandoffRequest.id.desc())
    rows = session.execute(
        select(HandoffRequest, Centre.name)
        .join(Centre, Centre.id == HandoffRequest.centre_id)
        .where(HandoffRequest.centre_id.in_(sorted(centre_ids)), HandoffRequest.status == status)
        .order_by(*order)
        .limit(limit)
    )
    return [
        OpenQuestion(r.id, name, r.first_name, r.question, r.contact_kind, r.contact_value, as_utc(r.created_at),
                     as_utc(r.handled_at) if r.handled_at else None)
        for r, name in rows
    ]


def open_requests(session: Session, centre_ids: frozenset[int], limit: int = 500) -> list[OpenQuestion]:
    """The open questions of these centres, oldest first: whoever waited longest is answered first."""
    return _listed(session, frozenset(centre_ids), HandoffStatus.OPEN, limit)


def handled_requests(session: Session, centre_ids: frozenset[int], limit: int = 100) -> list[OpenQuestion]:
    """The handled questions still kept, most recently handled first."""
    return _listed(session, frozenset(centre_ids), HandoffStatus.HANDLED, limit)


def count_open(session: Session, centre_ids: frozenset[int]) -> int:
    return session.scalar(
        select(func.count()).select_from(HandoffRequest)
        .where(HandoffRequest.centre_id.in_(sorted(centre_ids)), HandoffRequest.status == HandoffStatus.OPEN)
    ) or 0


def mark_handled(
    session: Session, centre_ids: frozenset[int], request_id: int, staff_id: int | None,
    now: datetime | None = None,
) -> HandoffRequest | None:
    """Marks the request handled; None when it does not exist for these centres.

    Another centre's request answers exactly like a missing one, so an id
    tells nobody what other centres hold. Handling it twice keeps the first
    moment and member: that is who answered.
    """
    request = session.scalar(
        select(HandoffRequest).where(HandoffRequest.id == request_id, HandoffRequest.centre_id.in_(sorted(centre_ids)))
    )
    if request is None:
        return None
    if request.status is not HandoffStatus.HANDLED:
        request.status = HandoffStatus.HANDLED
        request.handled_at = now or utcnow()
        request.handled_by = staff_id
    return request


def delete_old_handled(session: Session, now: datetime | None = None, keep: timedelta = KEEP_HANDLED) -> int:
    """Deletes requests handled longer than `keep` ago; open ones stay, however old, until someone answers."""
    cutoff = (now or utcnow()) - keep
    result = session.execute(
        delete(HandoffRequest).where(
            HandoffRequest.status == HandoffStatus.HANDLED, HandoffRequest.handled_at < cutoff,
        )
    )
    return rows_changed(result)
