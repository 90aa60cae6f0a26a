"""A resident who asks a centre by mail to be forgotten: found by the address or number they gave.

The chat knows a resident by channel and sender id; someone who mails a
centre only knows the email address or phone number they left. This finds
every resident that contact leads to (their own contact, a sign-up, an
email alert, a question for a centre) and forgets each one through
`doemee.privacy.forget`, so the portal is exactly as complete as "vergeet
mij". Questions and sign-ups that carry the contact but lost their link to
a resident are removed or blanked here, since `forget` cannot reach them.

A member of a centre reaches only residents known to their centres (a
sign-up, a question or an alert subscription of that centre); an admin
reaches everyone. A resident known elsewhere looks exactly like one that
does not exist. Forgetting is about the person, so it also removes what
they left at other centres, but the member's counts show only their own
centres' share: another centre's sign-ups are not theirs to count.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from doemee import privacy
from doemee import staff_messages as text
from doemee.residents import Contact, parse_contact
from doemee.storage.models import (
    AlertSubscription,
    CentreMunicipality,
    EmailAlert,
    HandoffRequest,
    Resident,
    SignUp,
)

MAX_INPUT = 254


@dataclass(frozen=True)
class Found:
    """What forgetting would remove, as counts only: the portal shows nothing more."""

    residents: int = 0
    sign_ups: int = 0
    subscriptions: int = 0
    questions: int = 0

    @property
    def empty(self) -> bool:
        return not (self.residents or self.sign_ups or self.subscriptions or self.questions)


class ContactError(ValueError):
    """Input that is no single email address or Dutch phone number; `message` is Dutch for the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_contact(raw: str) -> Contact:
    """The contact as the chat stores it (lower-case address, `0612345678`); raises ContactError."""
    cleaned = unicodedata.normalize("NFKC", raw or "").strip()
    if not cleaned:
        raise ContactError(text.PRIVACY_EMPTY)
    if len(cleaned) > MAX_INPUT:
        raise ContactError(text.PRIVACY_TOO_LONG)
    if cleaned.count("@") > 1:
        raise ContactError(text.PRIVACY_ONE_CONTACT)
    found = parse_contact(cleaned, in_sentence=False)
    if found is None:
        raise ContactError(text.PRIVACY_NOT_A_CONTACT)
    return found


def preview(session: Session, contact: Contact, centre_ids: Collection[int] | None) -> Found:
    """What `forget_contact` would remove now; `centre_ids` None is every centre (an admin)."""
    return _count(session, _residents(session, contact, centre_ids), contact, centre_ids)


def forget_contact(
    session: Session, contact: Contact, centre_ids: Collection[int] | None,
) -> tuple[Found, list[int], list[str]]:
    """Forgets every resident the contact leads to, in the caller's unit of work.

    Returns the counts (as `preview` gives them, read before anything goes),
    the residents' ids (for the audit trail) and their sender ids, whose
    conversations the caller deletes from Rasa's tracker store once this
    unit of work is committed (doemee.idle_conversations).
    """
    residents = _residents(session, contact, centre_ids)
    found = _count(session, residents, contact, centre_ids)
    session.execute(delete(HandoffRequest).where(_loose_question(contact, centre_ids)))
    session.execute(update(SignUp).where(_loose_sign_up(contact, centre_ids)).values(first_name=None, contact=None))
    senders = []
    for resident in session.scalars(select(Resident).where(Resident.id.in_(residents)).order_by(Resident.id)).all():
        senders.append(resident.sender_id)
        privacy.forget(session, resident.sender_id, resident.channel)
    return found, sorted(residents), senders


def _count(session: Session, residents: set[int], contact: Contact, centre_ids: Collection[int] | None) -> Found:
    """The residents, and of what they left only what belongs to `centre_ids` (None: everything)."""
    sign_ups = session.scalar(select(func.count()).select_from(SignUp).where(
        _sign_up_filter(residents, contact, centre_ids), *_in_centres(SignUp.centre_id, centre_ids))) or 0
    questions = session.scalar(select(func.count()).select_from(HandoffRequest).where(
        _question_filter(residents, contact, centre_ids), *_in_centres(HandoffRequest.centre_id, centre_ids))) or 0
    subscriptions = session.execute(select(AlertSubscription.municipality_codes).where(
        AlertSubscription.resident_id.in_(residents))).scalars().all()
    if centre_ids is not None:
        region = _region(session, centre_ids)
        subscriptions = [codes for codes in subscriptions if region & _codes(codes)]
    return Found(len(residents), int(sign_ups), len(subscriptions), int(questions))


def _residents(session: Session, contact: Contact, centre_ids: Collection[int] | None) -> set[int]:
    """The residents the contact leads to, then only those known to `centre_ids`."""
    own = Resident.email if contact.kind == "email" else Resident.phone
    linked: set[int | None] = set(session.scalars(select(Resident.id).where(_contact_is(own, contact))))
    linked |= set(session.scalars(select(SignUp.resident_id).where(_contact_is(SignUp.contact, contact))))
    linked |= set(session.scalars(select(HandoffRequest.resident_id).where(
        _contact_is(HandoffRequest.contact_value, contact))))
    if contact.kind == "email":
        linked |= set(session.scalars(
            select(AlertSubscription.resident_id).join(EmailAlert, EmailAlert.subscription_id == AlertSubscription.id)
            .where(_contact_is(EmailAlert.email, contact))))
    found = {resident for resident in linked if resident is not None}
    if centre_ids is None or not found:
        return found
    return found & _known_to(session, found, centre_ids)


def _known_to(session: Session, residents: set[int], centre_ids: Collection[int]) -> set[int]:
    centres = sorted(centre_ids)
    known: set[int | None] = set(session.scalars(select(SignUp.resident_id).where(
        SignUp.resident_id.in_(residents), SignUp.centre_id.in_(centres))))
    known |= set(session.scalars(select(HandoffRequest.resident_id).where(
        HandoffRequest.resident_id.in_(residents), HandoffRequest.centre_id.in_(centres))))
    region = _region(session, centres)
    for resident, codes in session.execute(select(AlertSubscription.resident_id, AlertSubscription.municipality_codes)
                                           .where(AlertSubscription.resident_id.in_(residents))):
        if region & _codes(codes):
            known.add(resident)
    return {resident for resident in known if resident is not None}


def _region(session: Session, centre_ids: Collection[int]) -> set[str]:
    return set(session.scalars(select(CentreMunicipality.municipality_code).where(
        CentreMunicipality.centre_id.in_(sorted(centre_ids)))))


def _codes(stored: str | None) -> set[str]:
    return {code for code in (stored or "").split(",") if code}


def _contact_is(column, contact: Contact):
    return func.lower(column) == contact.value if contact.kind == "email" else column == contact.value


def _in_centres(column, centre_ids: Collection[int] | None) -> list:
    return [] if centre_ids is None else [column.in_(sorted(centre_ids))]


def _loose_sign_up(contact: Contact, centre_ids: Collection[int] | None):
    """A sign-up with this contact whose resident is gone: `forget` cannot find it by sender."""
    return and_(SignUp.resident_id.is_(None), _contact_is(SignUp.contact, contact),
                *_in_centres(SignUp.centre_id, centre_ids))


def _loose_question(contact: Contact, centre_ids: Collection[int] | None):
    return and_(HandoffRequest.resident_id.is_(None), _contact_is(HandoffRequest.contact_value, contact),
                *_in_centres(HandoffRequest.centre_id, centre_ids))


def _sign_up_filter(residents: set[int], contact: Contact, centre_ids: Collection[int] | None):
    return or_(SignUp.resident_id.in_(residents), _loose_sign_up(contact, centre_ids))


def _question_filter(residents: set[int], contact: Contact, centre_ids: Collection[int] | None):
    return or_(HandoffRequest.resident_id.in_(residents), _loose_question(contact, centre_ids))
