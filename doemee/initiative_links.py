"""Manage links: a signed, expiring link that lets one initiative manage its own listings.

The token holds the initiative's id and its `manage_nonce`, never an
address. It is dated by the caller's clock (doemee.mail_links) and valid
for 14 days; a new nonce (`revoke`) voids every link made before. A link is
only ever mailed, through the outbox, to the initiative's own contact
address: whoever asks for one learns nothing about which addresses are known,
and one address gets at most one mail per initiative every few minutes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from doemee import audit, outbox
from doemee import initiative_messages as text
from doemee.mail_links import LinkState, plain_id, sign, unsign
from doemee.mail_message import compose
from doemee.settings import Settings, get_settings
from doemee.staff import normalise_email
from doemee.storage.models import Initiative, Opportunity, as_utc, utcnow

LINK_VALID = timedelta(days=14)
# One address asking again within this time gets no second mail for the same initiative.
RESEND_AFTER = timedelta(minutes=10)
REQUEST_PATH = "/initiatief"
MANAGE_PATH = "/initiatief/beheer/"
MAIL_KIND = "initiative_link"
LINK_REVOKED = "initiative.link_revoked"
# An address shared by more initiatives than this gets mail for the first ones only.
MAX_INITIATIVES_PER_ADDRESS = 20
_SALT = "doemee.initiative.manage"


class Access(Enum):
    OK = "ok"
    INVALID = "invalid"  # forged, altered, cut off, or for an initiative that is gone
    EXPIRED = "expired"
    REVOKED = "revoked"  # a newer link replaced it


@dataclass(frozen=True)
class Opened:
    """What a manage link gives: the initiative's id when `access` is OK."""

    access: Access
    initiative_id: int | None = None


def manage_token(initiative: Initiative, settings: Settings, now: datetime | None = None) -> str:
    return sign(settings, _SALT, [initiative.id, initiative.manage_nonce], as_utc(now or utcnow()))


def manage_link(initiative: Initiative, settings: Settings, now: datetime | None = None) -> str:
    return f"{settings.public_url}{MANAGE_PATH}{manage_token(initiative, settings, now)}"


def request_page(settings: Settings) -> str:
    return f"{settings.public_url}{REQUEST_PATH}"


def open_link(session: Session, token: str, settings: Settings, now: datetime | None = None) -> Opened:
    """Checks a manage token; never raises, whatever arrives."""
    found = unsign(settings, _SALT, token, as_utc(now or utcnow()), LINK_VALID)
    if found is LinkState.EXPIRED:
        return Opened(Access.EXPIRED)
    if not isinstance(found, list) or len(found) != 2 or not isinstance(found[1], str):
        return Opened(Access.INVALID)
    initiative_id = plain_id(found[0])
    initiative = session.get(Initiative, initiative_id) if initiative_id else None
    if initiative is None:
        return Opened(Access.INVALID)
    if not secrets.compare_digest(initiative.manage_nonce.encode(), found[1].encode()):
        return Opened(Access.REVOKED)
    return Opened(Access.OK, initiative.id)


def request_manage_link(
    session: Session, email: str, now: datetime | None = None, settings: Settings | None = None,
) -> None:
    """Mails a manage link to every initiative whose contact address this is; says nothing either way.

    The chat and the public page give the same answer whatever happens
    here, so neither tells a stranger whether an address is known.
    """
    settings = settings or get_settings()
    moment = as_utc(now or utcnow())
    address = normalise_email(email)
    if address is None:
        return
    initiatives = session.scalars(
        select(Initiative).where(func.lower(Initiative.contact_email) == address)
        .order_by(Initiative.id).limit(MAX_INITIATIVES_PER_ADDRESS)
    )
    for initiative in initiatives:
        sent = initiative.manage_link_sent_at
        if sent is not None and moment - as_utc(sent) < RESEND_AFTER:
            continue
        _mail_link(session, initiative, settings, moment)


def revoke(session: Session, initiative_id: int, now: datetime | None = None, settings: Settings | None = None) -> None:
    """Voids every earlier link and mails a new one to the initiative's contact address."""
    settings = settings or get_settings()
    moment = as_utc(now or utcnow())
    initiative = session.get(Initiative, initiative_id)
    if initiative is None:
        return
    initiative.manage_nonce = secrets.token_hex(16)
    audit.record(session, LINK_REVOKED, actor=actor(initiative.id), object_type="initiative",
                 object_id=initiative.id, at=moment)
    _mail_link(session, initiative, settings, moment)


def link_for_notice(
    session: Session, opportunity_id: int, to_email: str, settings: Settings, now: datetime | None = None,
) -> tuple[str, bool]:
    """The link a sign-up mail to `to_email` carries, and whether it is the personal manage link.

    Only a mail to the initiative's own contact address carries the manage
    link; a listing whose sign-ups go to someone else gets the page where
    the initiative asks for one.
    """
    initiative = session.scalar(
        select(Initiative).join(Opportunity, Opportunity.initiative_id == Initiative.id)
        .where(Opportunity.id == opportunity_id)
    )
    wanted = normalise_email(to_email)
    if initiative is None or wanted is None or normalise_email(initiative.contact_email or "") != wanted:
        return request_page(settings), False
    return manage_link(initiative, settings, now), True


def actor(initiative_id: int) -> str:
    """How the audit trail names an initiative acting through its link."""
    return f"initiative:{initiative_id}"


def _mail_link(session: Session, initiative: Initiative, settings: Settings, moment: datetime) -> None:
    address = normalise_email(initiative.contact_email or "")
    if address is None:
        return
    message = compose(settings, address, text.manage_link_subject(initiative.name), text.manage_link_body(
        initiative.name, manage_link(initiative, settings, moment), request_page(settings),
    ))
    centre_id = session.scalar(
        select(Opportunity.centre_id).where(Opportunity.initiative_id == initiative.id)
        .order_by(Opportunity.id).limit(1)
    )
    outbox.queue(session, message, kind=MAIL_KIND, centre_id=centre_id)
    initiative.manage_link_sent_at = moment
