"""Alerts by email, with double opt-in: "mail me when something new turns up".

The widget cannot push, so a widget resident (or a Telegram resident who
types an address) can have their alerts mailed:

1. In the chat they give an address. `request` stores it next to their
   subscription with the consent of that turn; nothing is mailed yet.
2. `send_confirmation` mails a link. Only when the resident opens it and
   presses the button (`confirm`) does the address count: a mail scanner
   that fetches every link never confirms anything.
3. `send_alerts` mails the news of confirmed subscriptions (the same
   matching and once-a-day rule as every channel, doemee.alerts); each mail
   carries a one-click unsubscribe link (RFC 8058) that deletes the
   subscription and the address.
   Both mails are queued in the outbox (doemee.outbox) in the transaction
   that claims them, so a claim and its mail commit together; the outbox
   worker sends them and retries.
4. `purge_unconfirmed` deletes requests nobody confirmed within a week.

Links carry a signed token (itsdangerous) with the row's id and nonce, never
the address. Confirmation links expire; unsubscribe links keep working as
long as there is something to stop. Senders claim each mail in the database
as they queue it, so two senders never mail the same thing twice. Logs hold
counts and error types, never an address or a message.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadData, TimestampSigner, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session, aliased

from doemee import messages, outbox
from doemee.alerts import AlertCriteria, DueAlert, claim, due_by_email, subscribe
from doemee.categories import LABELS
from doemee.mail_message import compose
from doemee.opportunities import is_valid_email
from doemee.residents import find_resident
from doemee.settings import Settings
from doemee.storage.database import Database, rows_changed
from doemee.storage.models import AlertSubscription, EmailAlert, as_utc, utcnow

logger = logging.getLogger(__name__)

CONFIRM_WITHIN = timedelta(days=7)
# A second confirmation mail to one address waits this long: the chat must not become a way to flood an inbox.
RESEND_AFTER = timedelta(minutes=10)
CONFIRM_PATH = "/meldingen/bevestig"
UNSUBSCRIBE_PATH = "/meldingen/afmelden"
MAX_TOKEN_CHARS = 200
_CONFIRM_SALT = "doemee.email-alerts.confirm"
_UNSUBSCRIBE_SALT = "doemee.email-alerts.unsubscribe"
_ADDRESS_EDGES = " .,;:!?<>()[]\"'"
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)


class Requested(Enum):
    """What asking for mail led to, so the chat can say what happens next."""

    MAIL_COMING = "mail_coming"  # waits for confirmation; the mail goes now, or once the address may get one again
    MAIL_SENT_RECENTLY = "mail_sent_recently"  # same request again: the link of the last mail still works
    CONFIRMED = "confirmed"  # this resident confirmed the address before: mailing starts without a new link
    ALREADY = "already"  # this search is already mailed to this address


@dataclass(frozen=True)
class Request:
    email_alert_id: int
    outcome: Requested


class Link(Enum):
    """What a link from a mail stands for when it is opened or used."""

    OPEN = "open"  # valid, waiting for the resident's button
    DONE = "done"  # confirmed, or unsubscribed, just now
    ALREADY = "already"  # confirmed before, or nothing left to unsubscribe
    EXPIRED = "expired"
    INVALID = "invalid"  # forged, altered or cut off
    GONE = "gone"  # a confirmation for an address that is no longer held


@dataclass(frozen=True)
class Round:
    """One round of the sender, in counts (the log may hold nothing else)."""

    purged: int
    confirmations: int
    alerts: int


def find_address(text: str) -> str | None:
    """The first email address in a chat message ("mail me op Jan@Example.nl!" -> "jan@example.nl")."""
    for word in (text or "").split():
        candidate = _MAILTO.sub("", word.strip(_ADDRESS_EDGES)).strip(_ADDRESS_EDGES)
        if "@" in candidate and is_valid_email(candidate):
            return candidate.lower()
    return None


# What an explicit request for news says besides an address: "mail me als er iets nieuws is".
_ASKS_FOR_NEWS = re.compile(
    r"\b(?:nieuw\w*|bericht\w*|melding\w*|seintje|alert\w*|abonne\w*|op de hoogte|laat (?:me|mij|het) weten|"
    r"als er|zodra|wanneer er|bij ?komt|bijkomen|erbij komt)\b",
    re.IGNORECASE,
)


def asks_for_news(text: str) -> bool:
    """Whether a message asks for news of new opportunities, not only gives an address.

    "mijn mail is j.bakker@outlook.com" right after results is how a resident
    signs up; only a message that asks for news ("mail me als er iets nieuws
    is") subscribes to alerts.
    """
    return bool(_ASKS_FOR_NEWS.search(text or ""))


def request(
    session: Session,
    channel: str,
    sender_id: str,
    criteria: AlertCriteria,
    address: str,
    consent_text: str,
    now: datetime | None = None,
) -> Request:
    """Stores the address for this search's alerts, with the consent, waiting for confirmation.

    Asking again with another address replaces the first and needs a new
    confirmation (the old link stops working). An address this resident
    confirmed before counts at once: they proved it is theirs.
    """
    moment = as_utc(now or utcnow())
    subscription, made = subscribe(session, channel, sender_id, criteria)
    if made:
        subscription.created_at = moment  # news is what turns up after this moment
    row = session.scalar(select(EmailAlert).where(EmailAlert.subscription_id == subscription.id))
    if row is not None and row.email == address and row.confirmed_at is not None:
        return Request(row.id, Requested.ALREADY)
    if row is not None and row.email == address and _recent(row.confirmation_sent_at, moment):
        return Request(row.id, Requested.MAIL_SENT_RECENTLY)
    if row is None:
        row = EmailAlert(subscription_id=subscription.id, made_subscription=made)
        session.add(row)
    row.email = address
    row.nonce = secrets.token_hex(16)
    row.consent_text = consent_text
    row.consented_at = moment
    row.confirmation_sent_at = None
    row.confirmed_at = moment if _confirmed_before(session, channel, sender_id, address, row) else None
    session.flush()
    return Request(row.id, Requested.CONFIRMED if row.confirmed_at else Requested.MAIL_COMING)


def confirmation_link(email_alert: EmailAlert, settings: Settings, now: datetime | None = None) -> str:
    issued = as_utc(now or utcnow())
    serializer = URLSafeTimedSerializer(
        signing_key(settings), salt=_CONFIRM_SALT, signer=signer_at(issued),
    )
    token = serializer.dumps([email_alert.id, email_alert.nonce])
    return f"{settings.public_url}{CONFIRM_PATH}?{urlencode({'token': token})}"


def unsubscribe_link(email_alert: EmailAlert, settings: Settings) -> str:
    token = _unsubscribe_serializer(settings).dumps([email_alert.id, email_alert.nonce])
    return f"{settings.public_url}{UNSUBSCRIBE_PATH}?{urlencode({'token': token})}"


def confirmation_state(session: Session, token: str, settings: Settings, now: datetime | None = None) -> Link:
    """What a confirmation link is, without changing anything (the page shown on GET)."""
    found = _confirmable(session, token, settings, as_utc(now or utcnow()))
    return found if isinstance(found, Link) else Link.OPEN


def confirm(session: Session, token: str, settings: Settings, now: datetime | None = None) -> Link:
    """Confirms the address the link was made for; using the link again changes nothing."""
    moment = as_utc(now or utcnow())
    found = _confirmable(session, token, settings, moment)
    if isinstance(found, Link):
        return found
    session.execute(
        update(EmailAlert).where(EmailAlert.id == found.id, EmailAlert.confirmed_at.is_(None)).values(confirmed_at=moment)
    )
    return Link.DONE


def unsubscribe_state(session: Session, token: str, settings: Settings) -> Link:
    """What an unsubscribe link is, without changing anything (the page shown on GET)."""
    found = _unsubscribable(session, token, settings)
    return found if isinstance(found, Link) else Link.OPEN


def unsubscribe(session: Session, token: str, settings: Settings) -> Link:
    """Stops these alerts: the subscription and its address are deleted. Again: nothing left to do."""
    found = _unsubscribable(session, token, settings)
    if isinstance(found, Link):
        return found
    subscription_id = found.subscription_id
    session.execute(delete(EmailAlert).where(EmailAlert.subscription_id == subscription_id))
    session.execute(delete(AlertSubscription).where(AlertSubscription.id == subscription_id))
    return Link.DONE


def purge_unconfirmed(session: Session, now: datetime | None = None) -> int:
    """Deletes requests nobody confirmed in time, with the subscription when the request made it."""
    cutoff = as_utc(now or utcnow()) - CONFIRM_WITHIN
    stale = (EmailAlert.confirmed_at.is_(None), EmailAlert.consented_at <= cutoff)
    made = list(session.scalars(select(EmailAlert.subscription_id).where(*stale, EmailAlert.made_subscription.is_(True))))
    purged = rows_changed(session.execute(delete(EmailAlert).where(*stale)))
    if made:
        # Only those whose request is gone: one confirmed a moment ago keeps its subscription.
        session.execute(delete(AlertSubscription).where(
            AlertSubscription.id.in_(made), ~exists().where(EmailAlert.subscription_id == AlertSubscription.id),
        ))
    return purged


def send_confirmation(database: Database, email_alert_id: int, settings: Settings, now: datetime | None = None) -> bool:
    """Queues the confirmation link once; False when it went before or the address must wait."""
    moment = as_utc(now or utcnow())
    with database.session() as session:
        prepared = _claim_confirmation(session, email_alert_id, moment, settings)
        if prepared is None:
            return False
        message, resident_id = prepared
        outbox.queue(session, message, kind="alert-confirm", resident_id=resident_id)
    return True


def send_alerts(database: Database, settings: Settings, now: datetime | None = None) -> int:
    """Queues every confirmed subscription's news; returns how many mails were queued."""
    moment = as_utc(now or utcnow())
    with database.session() as session:
        due = due_by_email(session, moment)
    queued = 0
    for alert in due:
        with database.session() as session:
            if not claim(session, alert.subscription_id, moment):
                continue  # another sender has it
            row = session.scalar(select(EmailAlert).where(EmailAlert.subscription_id == alert.subscription_id))
            if row is None or row.confirmed_at is None:
                continue
            subscription = session.get(AlertSubscription, alert.subscription_id)
            outbox.queue(session, _alert_message(alert, row, settings), kind="alert",
                         resident_id=subscription.resident_id if subscription is not None else None)
        queued += 1
    return queued


def run_once(database: Database, settings: Settings, now: datetime | None = None) -> Round:
    """One round of the sender: forget what expired, mail pending links, mail the news."""
    moment = as_utc(now or utcnow())
    with database.session() as session:
        purged = purge_unconfirmed(session, moment)
        waiting = list(session.scalars(
            select(EmailAlert.id).where(
                EmailAlert.confirmed_at.is_(None),
                EmailAlert.confirmation_sent_at.is_(None),
                EmailAlert.consented_at > moment - CONFIRM_WITHIN,
            )
        ))
    confirmations = sum(send_confirmation(database, email_alert_id, settings, moment) for email_alert_id in waiting)
    alerts = send_alerts(database, settings, moment)
    if purged or confirmations or alerts:
        logger.info("email alerts: %d expired, %d confirmation(s), %d alert(s)", purged, confirmations, alerts)
    return Round(purged, confirmations, alerts)


def signing_key(settings: Settings) -> str:
    """`DOEMEE_SECRET_KEY`, or a random key kept in a file that every process on this machine reads."""
    return settings.secret_key or _key_in_file(settings.secret_file)


@lru_cache(maxsize=4)
def _key_in_file(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)  # atomic: two processes starting together end up with one key
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise RuntimeError(f"{path} is empty; delete it or set DOEMEE_SECRET_KEY")
    return key


def signer_at(moment: datetime) -> type[TimestampSigner]:
    """A signer that dates its tokens `moment`, so the clock is the caller's (and a test's)."""

    class Dated(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(moment.timestamp())

    return Dated


def _unsubscribe_serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(signing_key(settings), salt=_UNSUBSCRIBE_SALT)


def _payload(value: Any) -> tuple[int, str] | None:
    if (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)
            and not isinstance(value[0], bool) and isinstance(value[1], str)):
        return value[0], value[1]
    return None


def _confirmable(session: Session, token: str, settings: Settings, now: datetime) -> EmailAlert | Link:
    if not token or len(token) > MAX_TOKEN_CHARS:
        return Link.INVALID
    serializer = URLSafeTimedSerializer(signing_key(settings), salt=_CONFIRM_SALT)
    try:
        # The age is checked below against the caller's clock, not inside itsdangerous.
        value, issued = serializer.loads(token, return_timestamp=True)
    except BadData:
        return Link.INVALID
    payload = _payload(value)
    if payload is None:
        return Link.INVALID
    if now - as_utc(issued) > CONFIRM_WITHIN:
        return Link.EXPIRED
    row = _row(session, *payload)
    if row is None:
        return Link.GONE
    if row.confirmed_at is not None:
        return Link.ALREADY
    if now - as_utc(row.consented_at) > CONFIRM_WITHIN:
        return Link.EXPIRED
    return row


def _unsubscribable(session: Session, token: str, settings: Settings) -> EmailAlert | Link:
    if not token or len(token) > MAX_TOKEN_CHARS:
        return Link.INVALID
    try:
        value = _unsubscribe_serializer(settings).loads(token)
    except BadData:
        return Link.INVALID
    payload = _payload(value)
    if payload is None:
        return Link.INVALID
    row = _row(session, *payload)
    return row if row is not None else Link.ALREADY


def _row(session: Session, email_alert_id: int, nonce: str) -> EmailAlert | None:
    if not 1 <= email_alert_id <= 2**31 - 1:
        return None
    row = session.get(EmailAlert, email_alert_id)
    return row if row is not None and secrets.compare_digest(row.nonce, nonce) else None


def _confirmed_before(session: Session, channel: str, sender_id: str, address: str, row: EmailAlert) -> bool:
    resident = find_resident(session, channel, sender_id)
    if resident is None:
        return False
    return session.scalar(
        select(exists().where(
            EmailAlert.subscription_id == AlertSubscription.id,
            AlertSubscription.resident_id == resident.id,
            EmailAlert.email == address,
            EmailAlert.confirmed_at.is_not(None),
            EmailAlert.id != (row.id or 0),
        ))
    ) is True


def _claim_confirmation(
    session: Session, email_alert_id: int, now: datetime, settings: Settings,
) -> tuple[EmailMessage, int] | None:
    """Marks the confirmation mail sent, unless it went before or its address got one a moment ago.

    The mail, and the resident it is for (so "vergeet mij" finds it in the outbox).
    """
    other = aliased(EmailAlert)
    claimed = rows_changed(session.execute(
        update(EmailAlert)
        .where(
            EmailAlert.id == email_alert_id,
            EmailAlert.confirmed_at.is_(None),
            EmailAlert.confirmation_sent_at.is_(None),
            ~exists().where(other.email == EmailAlert.email, other.confirmation_sent_at > now - RESEND_AFTER),
        )
        .values(confirmation_sent_at=now)
    ))
    if claimed != 1:
        return None
    row = session.get(EmailAlert, email_alert_id)
    subscription = session.get(AlertSubscription, row.subscription_id) if row is not None else None
    if row is None or subscription is None:
        return None
    message = compose(settings, row.email, messages.EMAIL_CONFIRM_SUBJECT)
    message.set_content(messages.email_confirm_body(
        summary_of(subscription), confirmation_link(row, settings, now), CONFIRM_WITHIN.days,
    ))
    return message, subscription.resident_id


def _alert_message(alert: DueAlert, row: EmailAlert, settings: Settings) -> EmailMessage:
    unsubscribe = unsubscribe_link(row, settings)
    message = compose(settings, row.email, messages.email_alert_subject(len(alert.matches)))
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    links = [
        f"{settings.public_url}/kansen?{urlencode({'plaats': m.opportunity.place})}#kans-{m.opportunity.id}"
        for m in alert.matches
    ]
    message.set_content(messages.email_alert_body(alert.matches, links, unsubscribe))
    return message


def summary_of(subscription: AlertSubscription) -> str:
    """The search in words, as the chat said it when the resident subscribed."""
    labels = [LABELS[slug] for slug in subscription.interests.split(",") if slug in LABELS]
    return messages.alert_summary(labels, subscription.pc4 or "", subscription.radius_km)


def _recent(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and now - as_utc(moment) < RESEND_AFTER

