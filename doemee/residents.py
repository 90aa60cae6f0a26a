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

# Words a first name never contains: yes and no, greetings, and the small words and verbs of a
# sentence ("ik zoek vrijwilligerswerk", "iets anders", "laat maar"). Kept as words, not a pattern,
# so that "Anne-Marie", "Zoë" or "Çağlar" never meet a rule written for something else.
YES_NO_WORDS: frozenset[str] = frozenset("""
    ja jaa jawel jazeker jep yes ok oke oké okay goed prima akkoord zeker natuurlijk graag top nee neen no nope
    niet geen liever misschien
""".split())
NOT_NAME_WORDS: frozenset[str] = YES_NO_WORDS | frozenset("""
    ik jij je u we wij ze zij hij het de een der des den dit dat die deze daar hier er me mij mijn jouw ons onze
    wil wilt willen zoek zoeken zou kan kun kunnen mag moet ga gaan doe doen heb hebt heeft hebben is zijn was
    word wordt laat laten maak maken weet weten denk bedenk bedoel vind vinden kom komen geef zeg zeggen
    iets niets niks alles wat anders meer nog eens ook toch maar al even wel nou dus dan als of en want om
    over van voor naar met bij in op uit aan tot door te zonder
    vrijwilligerswerk vrijwilliger vrijwilligers werk plek plekken aanmelden aanmelding inschrijven stop stoppen
    hoi hallo hey hi dag doei bedankt dank thanks help sorry hmm tja leuk mooi super fijn cool
    waarom hoezo hoe wie waar wanneer welke
    naam voornaam heet email mail telefoon nummer
""".split())
# Real first names that are also Dutch words: refused only inside a sentence ("ik wil ...").
_NAMES_TOO: frozenset[str] = frozenset({"wil", "ben", "roos"})
# "Jan de Vries", "Fatma van der Berg": the first name is the word before the surname's prefix.
_SURNAME_PREFIX: frozenset[str] = frozenset({"de", "der", "den", "van", "ter", "ten", "te", "in", "op", "'t", "la", "le"})
_STOP = re.compile(
    r"^(?:nee[,.!]?\s*)?(?:laat\s+(?:ook\s+)?maar|stop|stoppen|ik\s+stop|hou\s+(?:maar\s+)?op|"
    r"ik\s+bedenk\s+me|ik\s+wil\s+(?:toch\s+)?niet\s+meer|ik\s+wil\s+me\s+(?:toch\s+)?niet\s+aanmelden|"
    r"toch\s+niet|vergeet\s+het\s+maar|laat\s+het\s+maar|ik\s+doe\s+(?:toch\s+)?niet\s+mee|"
    r"niet\s+meer\s+aanmelden|afbreken|annuleren|annuleer)\b",
    re.IGNORECASE,
)
_NO_CONTACT = re.compile(
    r"\b(?:heb|hebben|heeft)\b[^.?!]*\b(?:niet|geen)\b|\bgeen\s+(?:e-?mail\w*|mail\w*|telefoon\w*|"
    r"nummer|mobiel\w*|gsm|adres)\b",
    re.IGNORECASE,
)
_PHONE_WORDS = re.compile(r"\b(?:telefoon\w*|nummer|mobiel\w*|gsm)\b", re.IGNORECASE)
_MAIL_WORDS = re.compile(r"\b(?:e-?mail\w*|mail\w*)\b", re.IGNORECASE)
_PHONE_NOISE = re.compile(r"[\s\-().]")
# A number inside a sentence ("u kunt mij bellen op 06 123 456 78."): digits and separators only.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s\-().]{7,24}\d(?!\w)")


@dataclass(frozen=True)
class Contact:
    """How an initiative can reach a resident: one email address or one phone number."""

    kind: str  # "email" or "phone"
    value: str


def parse_first_name(text: str) -> str | None:
    """The first name in an answer like "ik heet sanne" -> "Sanne"; None when it is not a name.

    A word of a sentence ("ja", "iets anders", "ik zoek vrijwilligerswerk")
    parses like a name, so it is refused by its words: a name never holds them.
    """
    cleaned = _NAME_PREFIX.sub("", (text or "").strip()).strip(" .!,")
    parts = cleaned.split()
    if len(parts) >= 3 and parts[1].lower() in _SURNAME_PREFIX:
        cleaned = parts[0]
    if not cleaned or len(cleaned) > MAX_NAME or not _NAME.match(cleaned):
        return None
    words = [w.lower() for w in re.split(r"[-' ]", cleaned) if w]
    refused = NOT_NAME_WORDS if len(words) > 1 else NOT_NAME_WORDS - _NAMES_TOO
    if any(word in refused for word in words):
        return None
    return " ".join(part[:1].upper() + part[1:] for part in cleaned.split(" "))


def is_yes_or_no(text: str) -> bool:
    """Whether an answer is only yes or no words ("ja", "nee hoor"): an answer to a question not asked."""
    words = re.findall(r"[^\W\d_]+", (text or "").lower())
    return bool(words) and all(word in YES_NO_WORDS or word == "hoor" for word in words)


def says_stop(text: str) -> bool:
    """Whether the resident calls off what we are doing ("laat maar, ik bedenk me", "stop")."""
    return bool(_STOP.match((text or "").strip()))


def says_no_contact(text: str) -> str | None:
    """What the resident has not got ("heb ik niet", "ik heb geen e-mail"): "email", "phone", or None.

    "heb ik niet" answers the question for an e-mail address or phone number, so it is read as having
    no e-mail address: that is what residents most often lack.
    """
    if not _NO_CONTACT.search(text or "") or parse_contact(text) is not None:
        return None
    return "phone" if _PHONE_WORDS.search(text) and not _MAIL_WORDS.search(text) else "email"


def parse_contact(text: str, *, in_sentence: bool = True) -> Contact | None:
    """An email address or a Dutch phone number in the answer, normalised; None otherwise.

    Residents put the number in a sentence ("u kunt mij bellen op 06 123 456 78.");
    `in_sentence=False` asks whether the whole answer is a number, for a form
    whose free text may mention one.
    """
    raw = (text or "").strip()
    if not raw or len(raw) > 254:
        return None
    for word in raw.split():
        candidate = word.strip(" .,;:!?<>()")
        if "@" in candidate and is_valid_email(candidate):
            return Contact("email", candidate.lower())
    for candidate in _PHONE_CANDIDATE.findall(raw) if in_sentence else [raw]:
        digits = _PHONE_NOISE.sub("", candidate)
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
