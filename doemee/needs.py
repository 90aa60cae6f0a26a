"""An initiative posts a need in the chat; it waits as a concept for moderation.

The chat asks one field at a time, so each answer is checked on its own
(`check_field`) with a Dutch reason, before the whole need goes through
the same validation and storage as every other source
(`doemee.opportunities`). Nothing from the chat is published unchecked:
the volunteer centre opens it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from doemee import messages
from doemee.categories import LABELS, parse_interests
from doemee.geo.postcodes import normalise_postcode
from doemee.opportunities import LIMITS, Geography, OpportunityInput, is_valid_email, save, validate
from doemee.storage.models import Status

SOURCE = "chat"
FIELDS: tuple[str, ...] = (
    "need_initiative", "need_title", "need_description", "need_category",
    "need_postcode", "need_commitment", "need_email",
)
_MIN_LENGTH = {"need_initiative": 2, "need_title": 4, "need_description": 15}
_COLUMN = {
    "need_initiative": "initiative_name", "need_title": "title", "need_description": "description",
    "need_email": "contact_email",
}
_COMMITMENT_WORDS: tuple[tuple[str, str], ...] = (
    (r"\b(eenmalig|een keer|1 keer|eenmaal|één keer|eenmalige)\b", "eenmalig"),
    (r"\b(wekelijks|elke week|iedere week|per week|weekelijks)\b", "wekelijks"),
    (r"\b(maandelijks|elke maand|iedere maand|per maand)\b", "maandelijks"),
    (r"\b(flexibel|wisselend|maakt niet uit|in overleg|geen vaste)\b", "flexibel"),
)


@dataclass(frozen=True)
class Checked:
    """One answer: its cleaned value, or the Dutch reason it cannot be used."""

    value: str | None
    problem: str | None = None


@dataclass(frozen=True)
class NeedDraft:
    """The post_need form's answers: an `OpportunityInput` without its external id (post_need makes one)."""

    initiative_name: str
    title: str
    description: str
    category: str
    postcode: str
    time_commitment: str
    contact_email: str


@dataclass(frozen=True)
class PostedNeed:
    opportunity_id: int
    title: str
    contact_email: str


class NeedRejected(ValueError):
    """The draft as a whole failed validation; `problems` are Dutch reasons."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("need rejected")
        self.problems = problems


def check_field(field: str, answer: str, geo: Geography) -> Checked:
    """Cleans one answer of the post_need form, or says in Dutch what is wrong with it."""
    text = re.sub(r"\s+", " ", answer or "").strip()
    if not text:
        return Checked(None, messages.NEED_EMPTY)
    if field in _MIN_LENGTH:
        limit = LIMITS[_COLUMN[field]]
        if len(text) < _MIN_LENGTH[field]:
            return Checked(None, messages.need_too_short(_MIN_LENGTH[field]))
        if len(text) > limit:
            return Checked(None, messages.need_too_long(limit))
        return Checked(text)
    if field == "need_category":
        slugs, _ = parse_interests(text)
        if text in LABELS:
            return Checked(text)
        if len(slugs) >= 1:
            return Checked(slugs[0])
        return Checked(None, messages.NEED_UNKNOWN_CATEGORY)
    if field == "need_postcode":
        postcode = normalise_postcode(text)
        if postcode is None:
            return Checked(None, messages.NEED_BAD_POSTCODE)
        if geo.postcode(postcode) is None:
            return Checked(None, messages.need_unknown_postcode(postcode))
        return Checked(postcode)
    if field == "need_commitment":
        lowered = text.lower()
        for pattern, value in _COMMITMENT_WORDS:
            if re.search(pattern, lowered):
                return Checked(value)
        return Checked(None, messages.NEED_BAD_COMMITMENT)
    if field == "need_email":
        candidate = text.strip(" .,;:<>").lower()
        if is_valid_email(candidate):
            return Checked(candidate)
        return Checked(None, messages.NEED_BAD_EMAIL)
    raise KeyError(field)


def post_need(session: Session, geo: Geography, draft: NeedDraft) -> PostedNeed:
    """Stores the need as a concept (source "chat"); raises NeedRejected when invalid."""
    item = OpportunityInput(external_id=f"chat-{uuid.uuid4().hex[:16]}", **asdict(draft))
    problems = validate(item, geo)
    if problems:
        raise NeedRejected([p.reason for p in problems])
    opportunity = save(session, geo, item, source=SOURCE, status=Status.CONCEPT.value)
    return PostedNeed(opportunity.id, opportunity.title, opportunity.contact_email)
