"""An initiative posts a need in the chat; it waits as a concept for moderation.

The chat takes what the first message already says (`read_need`) and asks
the rest one field at a time, so each answer is checked on its own
(`check_field`) with a Dutch reason, before the whole need goes through
the same validation and storage as every other source
(`doemee.opportunities`). Nothing from the chat is published unchecked:
the volunteer centre opens it.
"""

from __future__ import annotations

import difflib
import re
import uuid
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from doemee import messages
from doemee.attribution import centre_for_slug
from doemee.categories import LABELS, WORD_TO_SLUG, normalise_word, parse_interests
from doemee.geo.postcodes import find_postcode, normalise_postcode
from doemee.opportunities import LIMITS, Geography, OpportunityInput, is_valid_email, save, validate
from doemee.residents import is_yes_or_no, parse_contact
from doemee.settings import Settings, get_settings
from doemee.staff_notices import notify_new_concept
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
    (r"\b(elke|iedere) (maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\w*\b", "wekelijks"),
    (r"\b(maandelijks|elke maand|iedere maand|per maand)\b", "maandelijks"),
    (r"\b(flexibel|wisselend|maakt niet uit|in overleg|geen vaste)\b", "flexibel"),
)


# Free-text fields, and what kind of answer clearly belongs to another field.
FREE_TEXT = ("need_initiative", "need_title", "need_description")
_EMAIL_INSIDE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_INITIATIVE = re.compile(
    r"\b(?:wij zijn|we zijn|ik ben van|wij van|namens|vanuit|ik zit bij|ik werk bij)\s+"
    r"(?:het |de )?(.+?)(?=\s+(?:en|die|dat|zoeken|zoekt|zoek|hebben|heeft|wij|we|in \d{4})\b|[,.!?;:]|$)",
    re.IGNORECASE,
)
_WHAT = re.compile(
    r"\b(?:zoeken|zoek|zoekt|nodig)\b.{0,30}?\b(iemand|vrijwilligers?|mensen|hulp)\s+(die|om)\s+"
    r"(.+?)(?=\s*(?:,|\.|;|!|\?|\s(?:in|mail|e-?mail|mailen|bel|postcode)\b|$))",
    re.IGNORECASE,
)
_MODALS = re.compile(r"\s+(?:wil|willen|wilt|kan|kunnen|komt|komen)\b", re.IGNORECASE)
_TIME_LEAD = re.compile(
    r"^(?:(?:op|elke|iedere)\s+(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\w*|"
    r"(?:elke|iedere) (?:week|maand)|in het weekend|af en toe|soms|graag)\s+",
    re.IGNORECASE,
)
# "Onze tennisclub TC De Lob zoekt een penningmeester": who seeks, and the role they seek.
_SEEKS = re.compile(
    r"^(?:(?:hallo|hoi|goedemorgen|goedemiddag|goedenavond)[\s,!]+)?(?:onze?|ons|het|de)?\s*(?P<who>[^,.!?;]+?)\s+"
    r"zoekt\s+(?:nog\s+)?(?:een|twee|drie|enkele|\d+)?\s*(?P<role>[^,.!?;]+?)"
    r"(?=\s+(?:voor|die|om|in|op|bij|met)\b|[,.!?;]|$)",
    re.IGNORECASE,
)
# What nobody calls their initiative or their vacancy: the seekers themselves.
_GENERIC_ROLES = frozenset({"iemand", "vrijwilliger", "vrijwilligers", "mensen", "hulp", "hulpjes", "handen"})
# A one-word title must say what the volunteer does: a role or a task ("Bardienst", "Moestuinhulp",
# "Penningmeester"), or a subject word; a lone name ("Sanne") or place says nothing.
_ROLE_ENDINGS = (
    "hulp", "hulpje", "dienst", "maatje", "maatjes", "coach", "vrijwilliger", "chauffeur", "begeleider",
    "begeleiding", "kok", "koks", "gastheer", "gastvrouw", "meester", "secretaris", "voorzitter", "klusser",
    "tuinier", "trainer", "leider", "leiding", "ondersteuning", "medewerker", "bezorger", "bezorging", "voorlezer",
    "oppas", "buddy", "monteur", "fotograaf", "redacteur", "beheerder", "lid", "helper", "helpers", "werk",
    "bemensing", "ophaler", "sjouwer", "schilder", "kapper", "verkoper", "barman", "barvrouw", "docent", "les",
)
# Single words of at least this length may be a typo of a subject word ("vervoerr").
_TYPO_MIN_LENGTH = 5
_TYPO_CUTOFF = 0.85
_KIND_FIELD = {"email": "need_email", "postcode": "need_postcode"}
_KIND_WORDS = {"email": "een e-mailadres", "phone": "een telefoonnummer", "postcode": "een postcode"}


@dataclass(frozen=True)
class Checked:
    """One answer: its cleaned value, or the Dutch reason it cannot be used.

    `elsewhere` is (field, value) when the answer clearly belongs to another
    field: an email address typed as the description is kept for the email
    question instead of being lost.
    """

    value: str | None
    problem: str | None = None
    elsewhere: tuple[str, str] | None = None


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


def check_field(field: str, answer: str, geo: Geography, still_open: frozenset[str] | None = None) -> Checked:
    """Cleans one answer of the post_need form, or says in Dutch what is wrong with it.

    An answer that is clearly another field's kind (an email address as the
    description, a postcode as the category) is refused as that kind, and
    kept for its own field in `elsewhere`: a volunteer-centre employee would
    not call "3991" a too short description. `still_open` are the fields
    not answered yet (None: all); only those get a value kept for them.
    """
    text = re.sub(r"\s+", " ", answer or "").strip()
    if not text:
        return Checked(None, messages.NEED_EMPTY)
    if field in FREE_TEXT and is_yes_or_no(text):
        return Checked(None, messages.NEED_NOT_AN_ANSWER[field])
    kind = answer_kind(text)
    if kind is not None and _KIND_FIELD.get(kind) != field:
        checked = None if field in FREE_TEXT else _check(field, text, geo)
        if checked is None or checked.problem:
            other = _other_field(kind, text, geo)
            if other is not None and still_open is not None and other[0] not in still_open:
                other = None
            return Checked(None, messages.need_wrong_kind(_KIND_WORDS[kind], other is not None), other)
        return checked
    return _check(field, text, geo)


def _check(field: str, text: str, geo: Geography) -> Checked:
    if field in _MIN_LENGTH:
        limit = LIMITS[_COLUMN[field]]
        if len(text) < _MIN_LENGTH[field]:
            return Checked(None, messages.need_too_short(_MIN_LENGTH[field]))
        if len(text) > limit:
            return Checked(None, messages.need_too_long(limit))
        if field == "need_title" and not _says_the_work(text):
            return Checked(None, messages.NEED_TITLE_SAYS_NOTHING)
        return Checked(text)
    if field == "need_category":
        slugs, _ = parse_interests(text)
        if text in LABELS:
            return Checked(text)
        if len(slugs) >= 1:
            return Checked(slugs[0])
        guessed = _category_from_typo(text)
        if guessed is not None:
            return Checked(guessed)
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


def _says_the_work(title: str) -> bool:
    """Whether a title could tell a resident what the work is: more than one word, or a role word."""
    words = re.findall(r"[^\W_]+", title)
    if len(words) != 1:
        return True
    word = normalise_word(words[0])
    return word in WORD_TO_SLUG or word.endswith(_ROLE_ENDINGS) or any(
        word.endswith(known) for known in WORD_TO_SLUG if " " not in known and len(known) >= 4)


def _category_from_typo(text: str) -> str | None:
    """The one subject a short answer with a typing error plainly means ("vervoerr", "ouderne")."""
    words = [normalise_word(w) for w in re.findall(r"[^\W\d_]+", text)]
    if not words or len(words) > 3:
        return None
    known = [w for w in WORD_TO_SLUG if " " not in w and len(w) >= _TYPO_MIN_LENGTH]
    found = {WORD_TO_SLUG[m] for w in words if len(w) >= _TYPO_MIN_LENGTH
             for m in difflib.get_close_matches(w, known, n=3, cutoff=_TYPO_CUTOFF)}
    return found.pop() if len(found) == 1 else None


def answer_kind(text: str) -> str | None:
    """ "email", "phone" or "postcode" when the whole answer is only that, else None."""
    stripped = (text or "").strip(" .,;:!?<>")
    if normalise_postcode(stripped) is not None:
        return "postcode"
    if " " not in stripped and _EMAIL_INSIDE.fullmatch(stripped):
        return "email"
    contact = parse_contact(stripped, in_sentence=False)
    if contact is not None and contact.kind == "phone":
        return "phone"
    return None


def _other_field(kind: str, text: str, geo: Geography) -> tuple[str, str] | None:
    """The field an answer of this kind belongs to, with its checked value, if the form has one."""
    field = _KIND_FIELD.get(kind)
    if field is None:
        return None
    checked = check_field(field, text.strip(" .,;:!?<>"), geo)
    return (field, checked.value) if checked.value else None


def read_need(text: str, geo: Geography) -> dict[str, str]:
    """Every field one message already answers, checked; the form asks only for the rest.

    "Wij zijn Repair Café Houten en zoeken iemand die op zaterdag kapotte
    fietsen wil repareren, in 3991, mail naar info@..." names the initiative,
    the work, the postcode and the address. Only what passes `check_field`
    is taken; the summary before saving lets the initiative correct a guess.
    """
    text = re.sub(r"\s+", " ", text or "").strip()[:2000]
    if not text:
        return {}
    found: dict[str, str] = {}
    email = _EMAIL_INSIDE.search(text)
    if email:
        found["need_email"] = email.group(0)
    postcode = find_postcode(_EMAIL_INSIDE.sub(" ", text))
    if postcode:
        found["need_postcode"] = postcode
    initiative = _INITIATIVE.search(text)
    if initiative:
        found["need_initiative"] = initiative.group(1)
    for field, value in _who_seeks_whom(text).items():
        found.setdefault(field, value)
    what = _WHAT.search(text)
    if what:
        work = what.group(3).strip()
        who = "Iemand" if what.group(1).lower() in ("iemand", "hulp") else what.group(1).capitalize()
        found["need_description"] = f"{who} {what.group(2).lower()} {work}."
        title = _TIME_LEAD.sub("", _MODALS.sub("", work)).strip()
        if what.group(2).lower() == "om":
            title = re.sub(r"\s+te\s+(\w+)$", r" \1", title)
        found["need_title"] = title[:1].upper() + title[1:]
    named = [slug for slug, label in LABELS.items()
             if re.search(rf"\b({re.escape(slug)}|{re.escape(label)})\b", text, re.IGNORECASE)]
    if named:
        # Only a category named in so many words: everyday words guess too often ("fietsen" is sport).
        found["need_category"] = named[0]
    for pattern, value in _COMMITMENT_WORDS:
        if re.search(pattern, text.lower()):
            found["need_commitment"] = value
            break
    checked = {field: check_field(field, value, geo) for field, value in found.items()}
    return {field: c.value for field, c in checked.items() if c.value and not c.problem}


def _who_seeks_whom(text: str) -> dict[str, str]:
    """ "Onze tennisclub TC De Lob zoekt een penningmeester": the initiative's name and a title.

    The name is the capitalised part after a kind word ("tennisclub TC De
    Lob" -> "TC De Lob"); a lone kind word ("onze tennisclub") names no one.
    The role becomes the title together with the name, since one word
    alone ("Penningmeester") tells a resident little.
    """
    match = _SEEKS.search(text)
    if not match:
        return {}
    role = match.group("role").strip()
    if role.lower() in _GENERIC_ROLES or not role:
        return {}
    words = match.group("who").split()
    while words and not words[0][:1].isupper() and not words[0][:1].isdigit():
        words.pop(0)
    who = " ".join(words)
    found = {"need_title": role[:1].upper() + role[1:]}
    if who and not re.match(r"(?i)^(wij|we|ik)$", who):
        found["need_initiative"] = who
        found["need_title"] = f"{found['need_title']} bij {who}"
    return found


def post_need(
    session: Session, geo: Geography, draft: NeedDraft, settings: Settings | None = None, centre_slug: str | None = None,
) -> PostedNeed:
    """Stores the need as a concept (source "chat"); raises NeedRejected when invalid.

    It belongs to the centre whose widget it came through; without one
    (Telegram) to the centre whose region holds its postcode. That centre's
    staff hear of it by mail once the concept is committed.
    """
    item = OpportunityInput(external_id=f"chat-{uuid.uuid4().hex[:16]}", **asdict(draft))
    problems = validate(item, geo)
    if problems:
        raise NeedRejected([p.reason for p in problems])
    centre = centre_for_slug(session, centre_slug)
    opportunity = save(session, geo, item, source=SOURCE, status=Status.CONCEPT.value, centre=centre)
    notify_new_concept(session, opportunity.id, opportunity.centre_id, opportunity.title, settings or get_settings())
    return PostedNeed(opportunity.id, opportunity.title, opportunity.contact_email)
