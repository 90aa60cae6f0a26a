"""A centre's keys for the partner API: made and revoked in the portal, checked on every API call.

A key is 32 random bytes (secrets.token_urlsafe), shown once and stored
only as its SHA-256. A slow password hash (argon2) protects what people
choose, which can be guessed; a 256-bit random key cannot be, so SHA-256
is as safe here, costs microseconds instead of tens of milliseconds per
request, and lets the lookup be one unique-index read. The first
characters stay visible (`prefix`) so staff can tell their keys apart.

Every function that staff call takes the ids of the centres the caller
may see; another centre's key behaves exactly like a missing one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from doemee.storage.models import ApiKey, Centre, as_utc, utcnow

KEY_START = "dm_"
PREFIX_CHARS = 11  # "dm_" and 8 random characters: enough to tell keys apart, far too little to guess the rest
MAX_NAME = 80
# The longest header value worth hashing; a real key is 46 characters.
MAX_KEY_CHARS = 200
# Writing "last used" on every call would turn each read into a write; once a minute says enough.
LAST_USED_PRECISION = timedelta(minutes=1)
_MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class KeyView:
    """A key as the portal lists it: never the key, never its hash."""

    id: int
    centre_id: int
    centre_name: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class NewKey:
    """A key just made: `secret` is the only time anyone sees it."""

    view: KeyView
    secret: str


@dataclass(frozen=True)
class Caller:
    """Who an API request speaks for: one centre, through one key."""

    key_id: int
    centre_id: int
    centre_slug: str


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", errors="surrogatepass")).hexdigest()


def create(session: Session, centre_ids: Iterable[int], centre_id: int, name: str,
           created_by: int | None, now: datetime | None = None) -> NewKey | None:
    """A new key for `centre_id`, or None when the caller may not make keys for that centre.

    The name must already be cleaned (`clean_name`); the caller says what
    is wrong with one that is not.
    """
    if centre_id not in _scope(centre_ids):
        return None
    centre = session.get(Centre, centre_id)
    if centre is None:
        return None
    secret = KEY_START + secrets.token_urlsafe(32)
    row = ApiKey(centre_id=centre.id, name=name, prefix=secret[:PREFIX_CHARS], key_hash=hash_key(secret),
                 created_by=created_by, created_at=now or utcnow())
    session.add(row)
    session.flush()
    return NewKey(_view(row, centre.name), secret)


def clean_name(text: str) -> str | None:
    """The name as stored, or None when it is empty, too long or holds control characters."""
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME or any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF for ch in name):
        return None
    return name


def listed(session: Session, centre_ids: Iterable[int]) -> list[KeyView]:
    """The keys of the caller's centres: active ones first, newest first."""
    visible = _scope(centre_ids)
    if not visible:
        return []
    rows = session.execute(
        select(ApiKey, Centre.name).join(Centre, ApiKey.centre_id == Centre.id)
        .where(ApiKey.centre_id.in_(visible)).order_by(ApiKey.created_at.desc(), ApiKey.id.desc())
    ).all()
    views = [_view(key, centre_name) for key, centre_name in rows]
    return sorted(views, key=lambda v: not v.active)


def revoke(session: Session, centre_ids: Iterable[int], key_id: int, now: datetime | None = None) -> KeyView | None:
    """Switches a key off for good; None for any id the caller cannot see. Revoking twice keeps the first moment."""
    visible = _scope(centre_ids)
    if not visible or not _usable_id(key_id):
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.id == key_id, ApiKey.centre_id.in_(visible)))
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = now or utcnow()
        session.flush()
    return _view(row, row.centre.name)


def authenticate(session: Session, secret: str, now: datetime | None = None) -> Caller | None:
    """The centre an active key speaks for, or None; notes when the key was last used."""
    if not secret or len(secret) > MAX_KEY_CHARS or not secret.startswith(KEY_START):
        return None
    row = session.execute(
        select(ApiKey, Centre.slug).join(Centre, ApiKey.centre_id == Centre.id)
        .where(ApiKey.key_hash == hash_key(secret), ApiKey.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    key, slug = row
    moment = now or utcnow()
    if key.last_used_at is None or moment - as_utc(key.last_used_at) >= LAST_USED_PRECISION:
        key.last_used_at = moment
        session.flush()
    return Caller(key.id, key.centre_id, slug)


def _view(row: ApiKey, centre_name: str) -> KeyView:
    return KeyView(
        id=row.id, centre_id=row.centre_id, centre_name=centre_name, name=row.name, prefix=row.prefix,
        created_at=as_utc(row.created_at), last_used_at=as_utc(row.last_used_at) if row.last_used_at else None,
        revoked_at=as_utc(row.revoked_at) if row.revoked_at else None,
    )


def _usable_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= _MAX_ID


def _scope(centre_ids: Iterable[int]) -> frozenset[int]:
    try:
        return frozenset(i for i in centre_ids if _usable_id(i))
    except TypeError:
        return frozenset()
