"""Staff accounts of the centres: invitations, passwords, logins and sessions.

Everything that could open an account is stored as a hash: passwords with
argon2id, mailed tokens and session cookies with SHA-256 (they are random
and long, so a fast hash is enough and lookups stay one indexed read).
Answers never reveal whether an address has an account: a wrong password
and an unknown address look, and roughly take, the same.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from doemee import audit, outbox
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.mail_message import compose
from doemee.opportunities import is_valid_email
from doemee.settings import Settings
from doemee.storage.models import (
    Centre,
    LoginFailure,
    StaffMember,
    StaffRole,
    StaffSession,
    StaffToken,
    TokenPurpose,
    as_utc,
    utcnow,
)

log = logging.getLogger(__name__)

INVITE_VALID = timedelta(days=7)
RESET_VALID = timedelta(hours=1)
SESSION_IDLE = timedelta(hours=2)
SESSION_ABSOLUTE = timedelta(hours=12)
MIN_PASSWORD = 12
MAX_PASSWORD = 200
FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=15)
MAX_EMAIL = 254
MAX_RESETS_PER_HOUR = 3
INVITE_PATH = "/portaal/uitnodiging/"
RESET_PATH = "/portaal/wachtwoord/"


class StaffError(ValueError):
    """Something a person must fix; `message` is one Dutch sentence for them."""

    def __init__(self, message: str, kind: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class Invitation:
    staff_id: int
    email: str
    centre_name: str
    link: str
    expires_at: datetime


@dataclass(frozen=True)
class Login:
    """The outcome of a login: the member's id, or why not (`locked` says which message)."""

    staff_id: int | None
    locked: bool = False


@dataclass(frozen=True)
class ActiveSession:
    """A valid session, as the portal needs it for one request."""

    staff_id: int
    email: str
    is_admin: bool
    centre_id: int
    centre_ids: frozenset[int]
    csrf_token: str


class TokenState(Enum):
    OK = "ok"
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


TOKEN_MESSAGES = {
    TokenState.INVALID: text.TOKEN_INVALID,
    TokenState.EXPIRED: text.TOKEN_EXPIRED,
    TokenState.USED: text.TOKEN_USED,
}


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's current parameters


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the account is unknown, so that takes as long as a wrong password."""
    return hasher().hash(secrets.token_urlsafe(16))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def normalise_email(raw: str) -> str | None:
    """The address as stored (NFKC, trimmed, lower case), or None when it is no address."""
    if not isinstance(raw, str) or len(raw) > MAX_EMAIL * 4:
        return None
    email = unicodedata.normalize("NFKC", raw).strip().lower()
    return email if email and len(email) <= MAX_EMAIL and is_valid_email(email) else None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return text.PASSWORD_TOO_SHORT
    if len(password) > MAX_PASSWORD:
        return text.PASSWORD_TOO_LONG
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        return text.CONTROL_CHARACTERS
    return None


# --- invitations -----------------------------------------------------------------

def invite(
    session: Session, email: str, centre_slug: str, admin: bool, settings: Settings,
    by_staff_id: int | None = None, now: datetime | None = None,
) -> Invitation:
    """A new member without a password, and the link with which they choose one, mailed through the outbox.

    Raises StaffError (kind "centre", "email" or "exists") for what the
    operator must fix.
    """
    now = now or utcnow()
    centre = centre_for_slug(session, (centre_slug or "").strip())
    if centre is None:
        raise StaffError(centre_slug, kind="centre")
    address = normalise_email(email)
    if address is None:
        raise StaffError(text.cli_bad_email(email), kind="email")
    if session.scalar(select(StaffMember.id).where(StaffMember.email == address)) is not None:
        raise StaffError(text.cli_member_exists(address), kind="exists")
    member = StaffMember(
        email=address, centre_id=centre.id, role=StaffRole.ADMIN if admin else StaffRole.STAFF,
        active=True, created_at=now,
    )
    session.add(member)
    session.flush()
    token = _new_token(session, member.id, TokenPurpose.INVITE, now + INVITE_VALID, now)
    audit.record(session, audit.INVITED, staff_id=by_staff_id, centre_id=centre.id,
                 object_type="staff_member", object_id=member.id, at=now)
    invitation = Invitation(member.id, address, centre.name, f"{settings.public_url}{INVITE_PATH}{token}",
                            now + INVITE_VALID)
    message = compose(settings, invitation.email, text.invite_subject(invitation.centre_name),
                       text.invite_body(invitation.centre_name, invitation.link))
    outbox.queue(session, message, kind="staff-invite", centre_id=centre.id)
    return invitation


def accept_invitation(session: Session, token: str, password: str, now: datetime | None = None) -> int:
    """Sets the first password; the member's id. Raises StaffError for a bad link or password."""
    return _set_password(session, token, password, TokenPurpose.INVITE, audit.INVITE_ACCEPTED, now or utcnow())


# --- passwords -------------------------------------------------------------------

def request_reset(session: Session, email: str, settings: Settings, now: datetime | None = None) -> None:
    """Makes a reset link when the address has an active account; says nothing either way.

    The mail is queued in the outbox, so the answer takes as long (one
    database write more or less) whether or not the account exists.
    """
    now = now or utcnow()
    address = normalise_email(email)
    member = session.scalar(select(StaffMember).where(StaffMember.email == address, StaffMember.active.is_(True))) \
        if address else None
    if member is None or _recent_resets(session, member.id, now) >= MAX_RESETS_PER_HOUR:
        return
    token = _new_token(session, member.id, TokenPurpose.RESET, now + RESET_VALID, now)
    audit.record(session, audit.RESET_REQUESTED, staff_id=member.id, centre_id=member.centre_id,
                 object_type="staff_member", object_id=member.id, at=now)
    message = compose(settings, member.email, text.RESET_SUBJECT,
                       text.reset_body(f"{settings.public_url}{RESET_PATH}{token}"))
    outbox.queue(session, message, kind="staff-reset", centre_id=member.centre_id)


def _recent_resets(session: Session, staff_id: int, now: datetime) -> int:
    """Reset links made in the last hour: a stranger must not be able to flood a member's inbox."""
    return session.scalar(
        select(func.count()).select_from(StaffToken).where(
            StaffToken.staff_id == staff_id, StaffToken.purpose == TokenPurpose.RESET,
            StaffToken.created_at > now - timedelta(hours=1),
        )
    ) or 0


def reset_password(session: Session, token: str, password: str, now: datetime | None = None) -> int:
    """Sets a new password and ends every session of the member (a thief's too)."""
    return _set_password(session, token, password, TokenPurpose.RESET, audit.PASSWORD_RESET, now or utcnow())


def token_state(session: Session, token: str, purpose: TokenPurpose, now: datetime | None = None) -> TokenState:
    return _token(session, token, purpose, now or utcnow())[1]


def _set_password(session: Session, token: str, password: str, purpose: TokenPurpose, action: str,
                  now: datetime) -> int:
    found, state = _token(session, token, purpose, now)
    if found is None or state is not TokenState.OK:
        raise StaffError(TOKEN_MESSAGES[state], kind="token")
    problem = password_problem(password)
    if problem:
        raise StaffError(problem, kind="password")
    member = session.get(StaffMember, found.staff_id)
    if member is None or not member.active:
        raise StaffError(text.TOKEN_INVALID, kind="token")
    member.password_hash = hasher().hash(password)
    member.password_changed_at = now
    session.execute(
        update(StaffToken).where(StaffToken.staff_id == member.id, StaffToken.used_at.is_(None)).values(used_at=now)
    )
    end_all_sessions(session, member.id)
    audit.record(session, action, staff_id=member.id, centre_id=member.centre_id,
                 object_type="staff_member", object_id=member.id, at=now)
    session.flush()
    return member.id


def _new_token(session: Session, staff_id: int, purpose: TokenPurpose, expires_at: datetime, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    session.add(StaffToken(token_hash=digest(token), staff_id=staff_id, purpose=purpose,
                           created_at=now, expires_at=expires_at))
    return token


def _token(session: Session, token: str, purpose: TokenPurpose, now: datetime) -> tuple[StaffToken | None, TokenState]:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None, TokenState.INVALID
    found = session.scalar(select(StaffToken).where(StaffToken.token_hash == digest(token)))
    if found is None or found.purpose is not purpose:
        return None, TokenState.INVALID
    if found.used_at is not None:
        return found, TokenState.USED
    if as_utc(found.expires_at) <= now:
        return found, TokenState.EXPIRED
    return found, TokenState.OK


# --- logging in ------------------------------------------------------------------

def authenticate(session: Session, email: str, password: str, address: str, now: datetime | None = None) -> Login:
    """Checks a login, counting failures per account and per client address.

    After FAILURE_LIMIT failures within FAILURE_WINDOW the account (or the
    address) is locked for LOCK_TIME, whether or not the account exists,
    so the lock itself tells nobody anything.
    """
    now = now or utcnow()
    normalised = normalise_email(email)
    account = normalised or (email or "")[:MAX_EMAIL * 4].strip().lower()
    keys = (digest(f"account:{account}"), digest(f"address:{address}"))
    member = session.scalar(select(StaffMember).where(StaffMember.email == normalised)) if normalised else None
    if any(_locked(session, key, now) for key in keys):
        # Kept under the account that was tried, so its centre sees in Logboek that someone keeps trying.
        audit.record(session, audit.LOGIN_LOCKED, staff_id=member.id if member else None,
                     centre_id=member.centre_id if member else None, at=now)
        return Login(None, locked=True)
    usable = member is not None and member.active and member.password_hash is not None
    stored = member.password_hash if usable and member is not None and member.password_hash else _dummy_hash()
    ok = _verify(stored, password[: MAX_PASSWORD * 4]) and usable
    if not ok or member is None:
        session.add_all([LoginFailure(key=key, at=now) for key in keys])
        audit.record(session, audit.LOGIN_FAILED, staff_id=member.id if member else None,
                     centre_id=member.centre_id if member else None, at=now)
        session.execute(delete(LoginFailure).where(LoginFailure.at < now - timedelta(days=1)))
        return Login(None)
    if hasher().check_needs_rehash(stored):
        member.password_hash = hasher().hash(password)
    session.execute(delete(LoginFailure).where(LoginFailure.key == keys[0]))
    audit.record(session, audit.LOGIN, staff_id=member.id, centre_id=member.centre_id, at=now)
    return Login(member.id)


def _verify(stored: str, password: str) -> bool:
    try:
        return hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError, UnicodeError):
        return False


def _locked(session: Session, key: str, now: datetime) -> bool:
    """Locked when some failure was the FAILURE_LIMIT-th within a window, less than LOCK_TIME ago."""
    since = now - FAILURE_WINDOW - LOCK_TIME
    moments = [as_utc(m) for m in session.scalars(
        select(LoginFailure.at).where(LoginFailure.key == key, LoginFailure.at > since).order_by(LoginFailure.at)
    )]
    for index in range(FAILURE_LIMIT - 1, len(moments)):
        if moments[index] - moments[index - FAILURE_LIMIT + 1] <= FAILURE_WINDOW and now < moments[index] + LOCK_TIME:
            return True
    return False


# --- sessions --------------------------------------------------------------------

def start_session(session: Session, staff_id: int, now: datetime | None = None) -> str:
    """A new session (a new cookie token at every login); the token for the cookie."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(
        token_hash=digest(token), staff_id=staff_id, csrf_token=secrets.token_urlsafe(32),
        created_at=now, last_seen_at=now, expires_at=now + SESSION_ABSOLUTE,
    ))
    session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    return token


def session_for(session: Session, token: str | None, now: datetime | None = None) -> ActiveSession | None:
    """The session a cookie token opens, refreshed; None when unknown, idle too long, or over."""
    now = now or utcnow()
    if not token or len(token) > 100:
        return None
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == digest(token)))
    if row is None:
        return None
    member = session.get(StaffMember, row.staff_id)
    if (member is None or not member.active or as_utc(row.expires_at) <= now
            or as_utc(row.last_seen_at) + SESSION_IDLE <= now):
        session.delete(row)
        return None
    row.last_seen_at = now
    return ActiveSession(
        staff_id=member.id, email=member.email, is_admin=member.role is StaffRole.ADMIN,
        centre_id=member.centre_id, centre_ids=visible_centre_ids(session, member), csrf_token=row.csrf_token,
    )


def end_session(session: Session, token: str | None) -> None:
    if not token or len(token) > 100:
        return
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == digest(token)))
    if row is not None:
        member = session.get(StaffMember, row.staff_id)
        audit.record(session, audit.LOGOUT, staff_id=row.staff_id, centre_id=member.centre_id if member else None)
        session.delete(row)


def end_all_sessions(session: Session, staff_id: int) -> None:
    session.execute(delete(StaffSession).where(StaffSession.staff_id == staff_id))


def visible_centre_ids(session: Session, member: StaffMember) -> frozenset[int]:
    """Administrators see every centre; everyone else only their own."""
    if member.role is StaffRole.ADMIN:
        return frozenset(session.scalars(select(Centre.id)))
    return frozenset({member.centre_id})
