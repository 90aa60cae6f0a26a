"""Residents as the chat knows them: a channel and that channel's sender id.

Nothing else identifies a resident until they sign up; the name and contact
they give then are kept on the resident so a second sign-up need not ask
again, and are removed with everything else by `doemee.privacy.forget`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from doemee.opportunities import is_valid_email
from doemee.storage.models import Resident

MAX_NAME = 40
_NAME_PREFIX = re.compile(
    r"^(?:hoi|hallo|hey|hi)?[\s,!]*(?:ik\s+heet|mijn\s+naam\s+is|ik\s+ben|naam\s*:|noem\s+me)\s+",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[^\W\d_]+(?:[-' ][^\W\d_]+){0,2}$")
_PHONE_NOISE = re.compile(r"[\s\-().]")


@dataclass(frozen=True)
class Contact:
    """How an initiative can reach a resident: one email address or one phone number."""

    kind: str  # "email" or "phone"
    value: str


def parse_first_name(text: str) -> str | None:
    """The first name in an answer like "ik heet sanne" -> "Sanne"; None when it is not a name."""
    cleaned = _NAME_PREFIX.sub("", (text or "").strip()).strip(" .!,")
    if not cleaned or len(cleaned) > MAX_NAME or not _NAME.match(cleaned):
        return None
    return " ".join(part[:1].upper() + part[1:] for part in cleaned.split(" "))


def parse_contact(text: str) -> Contact | None:
    """An email address or a Dutch phone number in the answer, normalised; None otherwise."""
    raw = (text or "").strip()
    if not raw or len(raw) > 254:
        return None
    for word in raw.split():
        candidate = word.strip(" .,;:!?<>()")
        if "@" in candidate and is_valid_email(candidate):
            return Contact("email", candidate.lower())
    digits = _PHONE_NOISE.sub("", raw)
    for prefix, replacement in (("+31", "0"), ("0031", "0")):
        if digits.startswith(prefix):
            digits = replacement + digits[len(prefix):].lstrip("0")
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        return Contact("phone", digits)
    return None


def find_resident(session: Session, channel: str, sender_id: str) -> Resident | None:
    return session.scalar(select(Resident).where(Resident.channel == channel, Resident.sender_id == sender_id))


def get_or_create(session: Session, channel: str, sender_id: str) -> Resident:
    """The resident for this sender, created on first need; safe when two requests race."""
    resident = find_resident(session, channel, sender_id)
    if resident is not None:
        return resident
    try:
        with session.begin_nested():
            resident = Resident(channel=channel, sender_id=sender_id)
            session.add(resident)
    except IntegrityError:
        resident = find_resident(session, channel, sender_id)
        if resident is None:
            raise
    return resident


def remember_contact(resident: Resident, first_name: str, contact: Contact) -> None:
    resident.first_name = first_name
    if contact.kind == "email":
        resident.email = contact.value
    else:
        resident.phone = contact.value
