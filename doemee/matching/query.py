"""What a search asks and what it gets back, as plain values.

Reasons are data; `doemee.messages` words them in Dutch, so the chatbot, the
command line and alerts say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the Rasa environment imports this module without the storage layer
    from doemee.storage.models import Initiative, Opportunity

DEFAULT_RADIUS_KM = 10.0
DEFAULT_LIMIT = 5

# The words `SearchQuery.times` may hold (CONTRACT section 6). "doordeweeks"
# stands for the weekday day parts, so it is kept apart from them.
DAY_PARTS: tuple[str, ...] = ("ochtend", "middag", "avond", "weekend")
WEEKDAYS = "doordeweeks"
WEEKDAY_PARTS: tuple[str, ...] = ("ochtend", "middag", "avond")
COMMITMENTS: tuple[str, ...] = ("eenmalig", "wekelijks", "maandelijks")
FLEXIBLE = "flexibel"  # an opportunity's commitment that fits any wish
TIME_WORDS: frozenset[str] = frozenset((*DAY_PARTS, WEEKDAYS, *COMMITMENTS))


@dataclass(frozen=True)
class SearchQuery:
    lat: float
    lon: float
    origin: str  # what the resident called the place: "3511", "Overvecht"
    pc4: str | None = None
    municipality_code: str | None = None
    interests: frozenset[str] = frozenset()  # category slugs
    times: frozenset[str] = frozenset()  # day parts and commitments, CONTRACT section 6
    radius_km: float = DEFAULT_RADIUS_KM
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    exclude_ids: frozenset[int] = frozenset()
    today: date | None = None  # None: the real today
    # A centre's widget searches inside its region only (CBS codes); empty: the whole country.
    municipality_codes: frozenset[str] = frozenset()
    # Only what was published in (start, end]: an alert's news since its last message.
    published_between: tuple[datetime, datetime] | None = None


class ReasonKind(str, Enum):
    INTEREST = "interest"  # value: category slug
    DISTANCE = "distance"  # value: km as an unrounded float; messages rounds it
    REMOTE = "remote"
    DAY_PART = "day_part"  # value: day part that fits
    COMMITMENT = "commitment"  # value: time commitment that fits
    NEW = "new"  # published recently
    BEYOND_RADIUS = "beyond_radius"  # value: km, unrounded


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    value: str | float | None = None


@dataclass(frozen=True)
class OpportunityView:
    """A detached snapshot of an opportunity, safe to pass across threads."""

    id: int
    external_id: str
    title: str
    description: str
    initiative: str
    initiative_website: str | None
    category: str
    place: str
    pc4: str
    time_commitment: str
    day_parts: tuple[str, ...]
    remote: bool
    valid_until: date | None

    @classmethod
    def of(cls, o: Opportunity, initiative: Initiative) -> OpportunityView:
        return cls(
            id=o.id,
            external_id=o.external_id,
            title=o.title,
            description=o.description,
            initiative=initiative.name,
            initiative_website=initiative.website,
            category=o.category,
            place=o.place,
            pc4=o.pc4,
            time_commitment=o.time_commitment,
            day_parts=tuple(o.day_part_list),
            remote=bool(o.remote),
            valid_until=o.valid_until,
        )


@dataclass(frozen=True)
class Match:
    opportunity: OpportunityView
    distance_km: float  # unrounded, like the reasons' km: rounding happens once, when worded
    score: float
    within_radius: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class MatchResult:
    query: SearchQuery
    matches: tuple[Match, ...] = field(default_factory=tuple)
    total_within_radius: int = 0

    @property
    def only_alternatives(self) -> bool:
        """Nothing fit inside the radius; what is shown lies beyond it."""
        return bool(self.matches) and not any(m.within_radius for m in self.matches)
