"""Alert subscriptions: "tell me when something new like this turns up".

A subscription stores a search (interests, place, radius, times, and for a
centre's widget the centre's region) for one pseudonymous resident. A
channel that can push (the Telegram bot) calls, about once a minute:

    with database.session() as session:
        for alert in due_alerts(session, now, channel="telegram"):
            send alert.matches to alert.sender_id
            mark_sent(session, alert.subscription_id, now)

A channel that cannot push (the web widget) asks when the resident comes
back: `news_for` returns that resident's news and marks it sent at once.

A subscription whose resident confirmed alerts by email (doemee.email_alerts)
is mailed instead: `due_by_email` finds those, and `claim` lets exactly one
sender take each, however many run. Neither of the channel readers sees it,
nor one whose email request made it while it waits for confirmation.

All return only opportunities published after the previous message (or
after subscribing), and nothing for a subscription that already got a
message in the last 24 hours, so a resident gets at most one alert a day
and never the same opportunity twice. "Published" is `published_at`: a
concept a moderator approves today is news today, whenever it was written.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from doemee.geo.distance import haversine_km
from doemee.matching.engine import find
from doemee.matching.query import DEFAULT_RADIUS_KM, Match, SearchQuery
from doemee.residents import find_resident, get_or_create
from doemee.storage.database import rows_changed
from doemee.storage.models import AlertSubscription, EmailAlert, Opportunity, Resident, Status, as_utc

MIN_INTERVAL = timedelta(days=1)
MAX_PER_ALERT = 5


@dataclass(frozen=True)
class AlertCriteria:
    """The search to repeat; `interests` are category slugs, `times` CONTRACT time words."""

    lat: float
    lon: float
    pc4: str | None
    interests: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    radius_km: float = DEFAULT_RADIUS_KM
    municipality_codes: tuple[str, ...] = ()  # CBS codes of a centre's region; empty: the whole country


@dataclass(frozen=True)
class DueAlert:
    """One message to push: to whom, and the new matches, best first."""

    subscription_id: int
    channel: str
    sender_id: str
    origin: str
    matches: tuple[Match, ...]
    last_sent_at: datetime | None = None  # as read with the news: what `release` puts back


def subscribe(session: Session, channel: str, sender_id: str, criteria: AlertCriteria) -> tuple[AlertSubscription, bool]:
    """Stores the subscription; the same search twice is kept once (False: it existed)."""
    resident = get_or_create(session, channel, sender_id)
    interests = _joined(criteria.interests)
    times = _joined(criteria.times)
    region = _joined(criteria.municipality_codes)
    for existing in session.scalars(select(AlertSubscription).where(AlertSubscription.resident_id == resident.id)):
        if (existing.interests, existing.times, existing.pc4, existing.radius_km, existing.municipality_codes) == (
            interests, times, criteria.pc4, criteria.radius_km, region,
        ) and abs(existing.lat - criteria.lat) < 1e-6 and abs(existing.lon - criteria.lon) < 1e-6:
            return existing, False
    subscription = AlertSubscription(
        resident_id=resident.id, interests=interests, times=times, pc4=criteria.pc4,
        lat=criteria.lat, lon=criteria.lon, radius_km=criteria.radius_km, municipality_codes=region,
    )
    session.add(subscription)
    session.flush()
    return subscription, True


def unsubscribe(session: Session, channel: str, sender_id: str) -> int:
    """Removes every subscription of this sender; returns how many there were."""
    resident = find_resident(session, channel, sender_id)
    if resident is None:
        return 0
    owned = select(AlertSubscription.id).where(AlertSubscription.resident_id == resident.id)
    session.execute(delete(EmailAlert).where(EmailAlert.subscription_id.in_(owned)))
    result = session.execute(delete(AlertSubscription).where(AlertSubscription.resident_id == resident.id))
    return rows_changed(result)


def subscriptions_of(session: Session, channel: str, sender_id: str) -> list[AlertSubscription]:
    resident = find_resident(session, channel, sender_id)
    if resident is None:
        return []
    return list(session.scalars(select(AlertSubscription).where(AlertSubscription.resident_id == resident.id)))


def due_alerts(session: Session, now: datetime, channel: str | None = None) -> list[DueAlert]:
    """Every subscription (of `channel`, when given) with news to send now (see the module docstring)."""
    statement = _subscriptions().where(~_mailed())
    if channel is not None:
        statement = statement.where(Resident.channel == channel)
    return _news(session, session.execute(statement).all(), as_utc(now))


def news_for(session: Session, channel: str, sender_id: str, now: datetime) -> list[DueAlert]:
    """This resident's news, one alert per subscription, marked sent: for a channel that shows it on return.

    Asking again straight after returns nothing: the news is shown once, and
    the next comes no sooner than a day later, as on a channel that pushes.
    """
    statement = _subscriptions().where(Resident.channel == channel, Resident.sender_id == sender_id, ~_mailed())
    moment = as_utc(now)
    due = _news(session, session.execute(statement).all(), moment)
    for alert in due:
        mark_sent(session, alert.subscription_id, moment)
    session.flush()
    return due


def due_by_email(session: Session, now: datetime) -> list[DueAlert]:
    """Every subscription with a confirmed email address and news to mail now."""
    confirmed = exists().where(EmailAlert.subscription_id == AlertSubscription.id, EmailAlert.confirmed_at.is_not(None))
    return _news(session, session.execute(_subscriptions().where(confirmed)).all(), as_utc(now))


def claim(session: Session, subscription_id: int, now: datetime) -> bool:
    """Marks the alert sent if it still may go now; False: another sender took it first.

    One conditional UPDATE, so the database decides between two senders that
    read the same due alert: the second finds a send less than a day ago and
    changes nothing. Commit before sending, so the claim is visible.
    """
    moment = as_utc(now)
    result = session.execute(
        update(AlertSubscription)
        .where(
            AlertSubscription.id == subscription_id,
            or_(AlertSubscription.last_sent_at.is_(None), AlertSubscription.last_sent_at <= moment - MIN_INTERVAL),
        )
        .values(last_sent_at=moment)
    )
    return rows_changed(result) == 1


def release(session: Session, alert: DueAlert, claimed_at: datetime) -> None:
    """Undoes a claim whose message could not be delivered, so the next round tries again."""
    session.execute(
        update(AlertSubscription)
        .where(AlertSubscription.id == alert.subscription_id, AlertSubscription.last_sent_at == as_utc(claimed_at))
        .values(last_sent_at=alert.last_sent_at)
    )


def mark_sent(session: Session, subscription_id: int, now: datetime) -> None:
    """Records the push, which starts the next 24-hour wait and moves the "new since" mark."""
    subscription = session.get(AlertSubscription, subscription_id)
    if subscription is not None:
        subscription.last_sent_at = as_utc(now)


class _Fresh(NamedTuple):
    """An opportunity published inside the window, with what a quick look at it needs."""

    published_at: datetime
    category: str
    lat: float
    lon: float
    remote: bool
    municipality_code: str | None


def _subscriptions() -> Select:
    return select(AlertSubscription, Resident).join(Resident, AlertSubscription.resident_id == Resident.id)


def _mailed() -> ColumnElement[bool]:
    """Delivered by email: confirmed, or asked for by email in the first place (then nothing goes until confirmed)."""
    return exists().where(
        EmailAlert.subscription_id == AlertSubscription.id,
        or_(EmailAlert.confirmed_at.is_not(None), EmailAlert.made_subscription.is_(True)),
    )


def _news(session: Session, rows: Sequence, now: datetime) -> list[DueAlert]:
    waiting: list[tuple[AlertSubscription, Resident, datetime]] = []
    for subscription, resident in rows:
        last = as_utc(subscription.last_sent_at) if subscription.last_sent_at else None
        if last is None or now - last >= MIN_INTERVAL:
            waiting.append((subscription, resident, last or as_utc(subscription.created_at)))
    if not waiting:
        return []
    fresh = _published_between(session, min(since for _, _, since in waiting), now)
    moments = [f.published_at for f in fresh]
    due: list[DueAlert] = []
    for subscription, resident, since in waiting:
        newer = fresh[bisect_right(moments, since):]
        if not any(_may_fit(subscription, f) for f in newer):
            continue
        matches = _new_matches(session, subscription, since, now)
        if matches:
            due.append(DueAlert(
                subscription.id, resident.channel, resident.sender_id, subscription.pc4 or "", matches,
                subscription.last_sent_at,
            ))
    return due


def _published_between(session: Session, since: datetime, now: datetime) -> list[_Fresh]:
    """Open opportunities published in (since, now], oldest first: read once for every subscription."""
    rows = session.execute(
        select(
            Opportunity.published_at, Opportunity.category, Opportunity.lat, Opportunity.lon,
            Opportunity.remote, Opportunity.municipality_code,
        ).where(
            Opportunity.status == Status.OPEN.value,
            Opportunity.published_at > since,
            Opportunity.published_at <= now,
        ).order_by(Opportunity.published_at)
    ).all()
    return [_Fresh(as_utc(r[0]), *r[1:]) for r in rows if r[0] is not None]


def _may_fit(subscription: AlertSubscription, fresh: _Fresh) -> bool:
    """A cheap look that rules out most subscriptions before the real search runs.

    Never stricter than `find` (it skips expiry and times), so the search
    still decides; it only saves a search for a subscriber whose area or
    interests nothing new touches.
    """
    interests = _split(subscription.interests)
    region = _split(subscription.municipality_codes)
    if interests and fresh.category not in interests:
        return False
    if region and fresh.municipality_code not in region:
        return False
    return bool(fresh.remote) or haversine_km(subscription.lat, subscription.lon, fresh.lat, fresh.lon) <= subscription.radius_km


def _new_matches(session: Session, subscription: AlertSubscription, since: datetime, now: datetime) -> tuple[Match, ...]:
    query = SearchQuery(
        lat=subscription.lat, lon=subscription.lon, origin=subscription.pc4 or "", pc4=subscription.pc4,
        interests=frozenset(_split(subscription.interests)), times=frozenset(_split(subscription.times)),
        radius_km=subscription.radius_km, limit=MAX_PER_ALERT,
        municipality_codes=frozenset(_split(subscription.municipality_codes)), published_between=(since, now),
    )
    return tuple(m for m in find(session, query).matches if m.within_radius)



def _joined(values: Iterable[str]) -> str:
    return ",".join(sorted(set(values)))


def _split(value: str) -> list[str]:
    return [v for v in value.split(",") if v]
