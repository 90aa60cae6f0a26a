"""Alert subscriptions: "tell me when something new like this turns up".

A subscription stores a search (interests, place, radius, times) for one
pseudonymous resident. A channel that can push (the Telegram bot) calls,
about once a minute:

    with database.session() as session:
        for alert in due_alerts(session, now):
            send alert.matches to (alert.channel, alert.sender_id)
            mark_sent(session, alert.subscription_id, now)

`due_alerts` returns only opportunities published after the previous
message (or after subscribing), and nothing for a subscription that already
got a message in the last 24 hours, so a resident gets at most one alert a
day and never the same opportunity twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from doemee.matching.engine import find
from doemee.matching.query import DEFAULT_RADIUS_KM, Match, SearchQuery
from doemee.residents import find_resident, get_or_create
from doemee.storage.models import AlertSubscription, Opportunity, Resident, Status

MIN_INTERVAL = timedelta(days=1)
MAX_PER_ALERT = 5
_SCAN_LIMIT = 50


@dataclass(frozen=True)
class AlertCriteria:
    """The search to repeat; `interests` are category slugs, `times` CONTRACT time words."""

    lat: float
    lon: float
    pc4: str | None
    interests: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    radius_km: float = DEFAULT_RADIUS_KM


@dataclass(frozen=True)
class DueAlert:
    """One message to push: to whom, and the new matches, best first."""

    subscription_id: int
    channel: str
    sender_id: str
    origin: str
    matches: tuple[Match, ...]


def subscribe(session: Session, channel: str, sender_id: str, criteria: AlertCriteria) -> tuple[AlertSubscription, bool]:
    """Stores the subscription; the same search twice is kept once (False: it existed)."""
    resident = get_or_create(session, channel, sender_id)
    interests = _joined(criteria.interests)
    times = _joined(criteria.times)
    for existing in session.scalars(select(AlertSubscription).where(AlertSubscription.resident_id == resident.id)):
        if (existing.interests, existing.times, existing.pc4, existing.radius_km) == (
            interests, times, criteria.pc4, criteria.radius_km,
        ) and abs(existing.lat - criteria.lat) < 1e-6 and abs(existing.lon - criteria.lon) < 1e-6:
            return existing, False
    subscription = AlertSubscription(
        resident_id=resident.id, interests=interests, times=times, pc4=criteria.pc4,
        lat=criteria.lat, lon=criteria.lon, radius_km=criteria.radius_km,
    )
    session.add(subscription)
    session.flush()
    return subscription, True


def unsubscribe(session: Session, channel: str, sender_id: str) -> int:
    """Removes every subscription of this sender; returns how many there were."""
    resident = find_resident(session, channel, sender_id)
    if resident is None:
        return 0
    result = session.execute(delete(AlertSubscription).where(AlertSubscription.resident_id == resident.id))
    return int(result.rowcount or 0)


def subscriptions_of(session: Session, channel: str, sender_id: str) -> list[AlertSubscription]:
    resident = find_resident(session, channel, sender_id)
    if resident is None:
        return []
    return list(session.scalars(select(AlertSubscription).where(AlertSubscription.resident_id == resident.id)))


def due_alerts(session: Session, now: datetime) -> list[DueAlert]:
    """Every subscription with news to send now (see the module docstring)."""
    now = _aware(now)
    rows = session.execute(
        select(AlertSubscription, Resident).join(Resident, AlertSubscription.resident_id == Resident.id)
    ).all()
    waiting: list[tuple[AlertSubscription, Resident, datetime]] = []
    for subscription, resident in rows:
        last = _aware(subscription.last_sent_at) if subscription.last_sent_at else None
        if last is None or now - last >= MIN_INTERVAL:
            waiting.append((subscription, resident, last or _aware(subscription.created_at)))
    if not waiting:
        return []
    published = _published_since(session, min(since for _, _, since in waiting), now)
    due: list[DueAlert] = []
    for subscription, resident, since in waiting:
        fresh = {oid for oid, created in published.items() if created > since}
        if not fresh:
            continue
        matches = _new_matches(session, subscription, fresh)
        if matches:
            due.append(DueAlert(
                subscription.id, resident.channel, resident.sender_id, subscription.pc4 or "", matches,
            ))
    return due


def mark_sent(session: Session, subscription_id: int, now: datetime) -> None:
    """Records the push, which starts the next 24-hour wait and moves the "new since" mark."""
    subscription = session.get(AlertSubscription, subscription_id)
    if subscription is not None:
        subscription.last_sent_at = _aware(now)


def _published_since(session: Session, since: datetime, now: datetime) -> dict[int, datetime]:
    """Open opportunities created in (since, now], with their creation time."""
    rows = session.execute(
        select(Opportunity.id, Opportunity.created_at).where(
            Opportunity.status == Status.OPEN.value,
            Opportunity.created_at > since,
            Opportunity.created_at <= now,
        )
    ).all()
    return {oid: _aware(created) for oid, created in rows}


def _new_matches(session: Session, subscription: AlertSubscription, fresh: set[int]) -> tuple[Match, ...]:
    query = SearchQuery(
        lat=subscription.lat, lon=subscription.lon, origin=subscription.pc4 or "", pc4=subscription.pc4,
        interests=frozenset(_split(subscription.interests)), times=frozenset(_split(subscription.times)),
        radius_km=subscription.radius_km, limit=_SCAN_LIMIT,
    )
    result = find(session, query)
    chosen = [m for m in result.matches if m.within_radius and m.opportunity.id in fresh]
    return tuple(chosen[:MAX_PER_ALERT])


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _joined(values: Iterable[str]) -> str:
    return ",".join(sorted(set(values)))


def _split(value: str) -> list[str]:
    return [v for v in value.split(",") if v]
