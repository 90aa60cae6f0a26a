"""The score that orders matches, and the reasons that explain it.

One transparent formula, shared by the indexed engine and the naive full
scan, so both can only differ in which rows they look at:

    score = W_INTEREST   * interest fit
          + W_DISTANCE   * distance fit   (1 at the door, 0 at the radius edge)
          + W_DAY_PART   * day-part fit
          + W_COMMITMENT * commitment fit
          + W_FRESHNESS  * freshness      (1 when published today, 0 after FRESH_DAYS)

Every fit lies in [0, 1] and the weights add up to 1, so the score does too.
Why these weights: what a resident cares about is something they like to do
(interest) close to home (distance); those two carry most of the score
and weigh the same. When they can help (day part) matters more than how
often (commitment), because a wrong day part rules a person out while a
different rhythm is often negotiable. Freshness is a small bonus so new
opportunities get seen, without pushing a better fit down.

A preference the resident did not state gets NEUTRAL_FIT for everyone: it
does not change the order, and the score says honestly that we do not
know whether it fits.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from math import asin, cos, radians, sin, sqrt
from typing import NamedTuple

from doemee.geo.distance import EARTH_RADIUS_KM
from doemee.matching.query import (
    COMMITMENTS,
    DAY_PARTS,
    FLEXIBLE,
    WEEKDAY_PARTS,
    WEEKDAYS,
    Reason,
    ReasonKind,
    SearchQuery,
)

W_INTEREST = 0.30
W_DISTANCE = 0.30
W_DAY_PART = 0.17
W_COMMITMENT = 0.13
W_FRESHNESS = 0.10

NEUTRAL_FIT = 0.5
# Helping from home is handy but not the same as helping in your own street:
# a remote opportunity counts as if it were halfway to the radius edge.
REMOTE_DISTANCE_FIT = 0.5
FRESH_DAYS = 30  # freshness fades to nothing over a month
NEW_DAYS = 7  # "Nieuw deze week."


class Candidate(NamedTuple):
    """The columns scoring needs, and nothing more (the engine selects just these).

    `created_at` may be None for anything published before `fresh_since`:
    such an opportunity gets no freshness either way, and the engine saves
    reading thousands of timestamps per search.
    """

    id: int
    category: str
    lat: float
    lon: float
    remote: bool
    time_commitment: str
    day_parts: str  # ";"-separated, as stored
    created_at: datetime | date | None


class Scored(NamedTuple):
    sort_key: tuple[float, float, int]
    candidate: Candidate
    distance_km: float
    score: float
    within_radius: bool


class _Table(dict):
    """A lookup that computes and remembers a fit the first time a value appears."""

    def __init__(self, compute) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key):
        value = self[key] = self._compute(key)
        return value


@dataclass
class Preferences:
    """A query turned into what scoring looks up per candidate, computed once."""

    query: SearchQuery
    today: date
    day_parts: tuple[str, ...] = ()  # wished day parts, canonical order
    day_part_words: dict[str, str] = field(default_factory=dict)  # day part -> word the resident used
    commitments: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._day_part_fits = _Table(self._day_part_fit)
        self._commitment_points = _Table(lambda tc: W_COMMITMENT * self.commitment_fit(tc))
        self._day_part_points = _Table(lambda dp: W_DAY_PART * self._day_part_fits[dp][0])
        self._interest_points = _Table(lambda cat: W_INTEREST * self.interest_fit(cat))
        self._today_ordinal = self.today.toordinal()

    @classmethod
    def of(cls, query: SearchQuery) -> "Preferences":
        words: dict[str, str] = {}
        for part in DAY_PARTS:
            if part in query.times:
                words[part] = part
        if WEEKDAYS in query.times:
            for part in WEEKDAY_PARTS:
                words.setdefault(part, WEEKDAYS)
        return cls(
            query=query,
            today=query.today or date.today(),
            day_parts=tuple(p for p in DAY_PARTS if p in words),
            day_part_words=words,
            commitments=frozenset(c for c in COMMITMENTS if c in query.times),
        )

    @property
    def fresh_since(self) -> datetime:
        """Anything published before this moment gets no freshness bonus."""
        return datetime.combine(self.today - timedelta(days=FRESH_DAYS), time(), tzinfo=timezone.utc)

    def interest_fit(self, category: str) -> float:
        if not self.query.interests:
            return NEUTRAL_FIT
        return 1.0 if category in self.query.interests else 0.0

    def _day_part_fit(self, stored: str) -> tuple[float, str | None]:
        """(fit, the resident's word that fits); an opportunity without day parts fits any."""
        if not self.day_parts:
            return (NEUTRAL_FIT, None)
        offered = [p for p in (stored or "").split(";") if p]
        fitting = [p for p in self.day_parts if not offered or p in offered]
        return (1.0, self.day_part_words[fitting[0]]) if fitting else (0.0, None)

    def day_part_fit(self, stored: str) -> tuple[float, str | None]:
        return self._day_part_fits[stored]

    def commitment_fit(self, time_commitment: str) -> float:
        if not self.commitments:
            return NEUTRAL_FIT
        return 1.0 if time_commitment == FLEXIBLE or time_commitment in self.commitments else 0.0

    def age_days(self, created_at: datetime | date | None) -> int | None:
        if created_at is None:
            return None
        return max(0, self._today_ordinal - created_at.toordinal())

    def freshness(self, created_at: datetime | date | None) -> float:
        age = self.age_days(created_at)
        return 0.0 if age is None else max(0.0, 1.0 - age / FRESH_DAYS)

    def best_possible(
        self, distance_fit: float, category: str | None = None, created_at: datetime | date | None = None
    ) -> float:
        """The highest score an opportunity can reach at this distance fit.

        Of any qualifying category when none is given, and with no more
        freshness than one published at `created_at` (None: none at all).
        """
        interest = (
            W_INTEREST * (1.0 if self.query.interests else NEUTRAL_FIT)
            if category is None else self._interest_points[category]
        )
        return (
            interest
            + W_DISTANCE * distance_fit
            + W_DAY_PART * (1.0 if self.day_parts else NEUTRAL_FIT)
            + W_COMMITMENT * (1.0 if self.commitments else NEUTRAL_FIT)
            + W_FRESHNESS * self.freshness(created_at)
        )

    def reasons(self, c: Candidate, distance_km: float, within_radius: bool) -> tuple[Reason, ...]:
        found: list[Reason] = []
        if self.query.interests and c.category in self.query.interests:
            found.append(Reason(ReasonKind.INTEREST, c.category))
        if not within_radius:
            found.append(Reason(ReasonKind.BEYOND_RADIUS, distance_km))
        elif c.remote:
            found.append(Reason(ReasonKind.REMOTE))
        else:
            found.append(Reason(ReasonKind.DISTANCE, distance_km))
        day_fit, day_word = self.day_part_fit(c.day_parts)
        if day_fit == 1.0:
            found.append(Reason(ReasonKind.DAY_PART, day_word))
        if self.commitments and self.commitment_fit(c.time_commitment) == 1.0:
            found.append(Reason(ReasonKind.COMMITMENT, c.time_commitment))
        age = self.age_days(c.created_at)
        if age is not None and age < NEW_DAYS:
            found.append(Reason(ReasonKind.NEW))
        return tuple(found)

    @property
    def wanted(self) -> int:
        """How many of the best a page needs: everything before it, and itself."""
        return max(0, self.query.offset) + max(0, self.query.limit)

    def rank(self, rows: Iterable[tuple], *, within: bool = True, max_km: float | None = None) -> tuple[int, list[Scored]]:
        """Scores candidate rows; returns how many qualified and the best `wanted`, best first.

        within=True keeps what lies inside the radius or is remote, ranked by
        score. within=False keeps what lies beyond the radius (up to `max_km`),
        ranked nearest first: the alternatives when nothing fits. Rows must
        already pass status, expiry and interests. This loop runs for
        thousands of rows per search, so it is written for speed: haversine
        inline (same formula as doemee.geo.distance) and fits from tables.
        """
        q = self.query
        rad = radians(q.lat)
        lon0 = radians(q.lon)
        cos0 = cos(rad)
        radius = q.radius_km
        limit_km = float("inf") if max_km is None else max_km
        excluded = q.exclude_ids
        interest, day_part, commitment = self._interest_points, self._day_part_points, self._commitment_points
        remote_points = W_DISTANCE * REMOTE_DISTANCE_FIT
        per_km = W_DISTANCE / radius if radius > 0 else 0.0
        today, fresh_days = self._today_ordinal, FRESH_DAYS
        two_r = 2 * EARTH_RADIUS_KM
        kept: list[tuple] = []
        seen: set[int] = set()
        for row in rows:
            oid, category, lat, lon, remote, commit, parts, created = row
            if oid in seen or oid in excluded:
                continue
            seen.add(oid)
            phi = radians(lat)
            x = sin((phi - rad) / 2)
            y = sin((radians(lon) - lon0) / 2)
            d = two_r * asin(min(1.0, sqrt(x * x + cos0 * cos(phi) * y * y)))
            if within:
                if d <= radius:
                    near = W_DISTANCE - per_km * d
                    points = max(near, remote_points) if remote else near
                elif remote:
                    points = remote_points
                else:
                    continue
            elif d <= radius or d > limit_km:
                continue
            else:
                points = 0.0
            if created is not None:
                age = today - created.toordinal()
                if age < fresh_days:
                    points += W_FRESHNESS * (1.0 - max(0, age) / fresh_days)
            s = interest[category] + points + day_part[parts] + commitment[commit]
            kept.append((-s, d, oid, row) if within else (d, -s, oid, row))
        best = heapq.nsmallest(self.wanted, kept)
        if within:
            return len(kept), [Scored((k[0], k[1], k[2]), Candidate(*k[3]), k[1], -k[0], True) for k in best]
        return len(kept), [Scored((k[0], k[1], k[2]), Candidate(*k[3]), k[0], -k[1], False) for k in best]


def _sort_key(s: Scored) -> tuple[float, float, int]:
    return s.sort_key


def merge_best(prefs: Preferences, *groups: list[Scored]) -> list[Scored]:
    """The best `wanted` of several ranked groups, in one order."""
    return heapq.nsmallest(prefs.wanted, [s for g in groups for s in g], key=_sort_key)


def page_of(scored: list[Scored], query: SearchQuery) -> list[Scored]:
    return scored[max(0, query.offset):max(0, query.offset) + max(0, query.limit)]
