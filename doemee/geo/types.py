"""Values the geography hands out: a resolved location, or why it is not one."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    POSTCODE = "postcode"
    PLACE = "place"
    NEIGHBOURHOOD = "neighbourhood"
    MUNICIPALITY = "municipality"
    COORDINATES = "coordinates"


@dataclass(frozen=True)
class Location:
    """A point a resident or opportunity is at, with what a person calls it.

    `name` is what to show ("3511", "Overvecht", "Utrecht"); `place` and
    `municipality` are clean Dutch names; `pc4` is the nearest 4-digit
    postcode, so a search by place still logs a PC4 for statistics.
    """

    kind: Kind
    name: str
    pc4: str | None
    place: str
    municipality: str
    municipality_code: str
    lat: float
    lon: float
    province: str = ""

    def as_contract_dict(self) -> dict:
        return {
            "pc4": self.pc4,
            "place": self.place,
            "municipality": self.municipality,
            "municipality_code": self.municipality_code,
            "lat": self.lat,
            "lon": self.lon,
        }


class Outcome(str, Enum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class GeoResult:
    """The answer to "where is X?": one location, several to choose from, or none.

    `corrected` is true when a typo was forgiven ("amsterdm"), so a caller may
    say which place it took.
    """

    query: str
    outcome: Outcome
    location: Location | None = None
    candidates: tuple[Location, ...] = field(default_factory=tuple)
    corrected: bool = False

    @property
    def found(self) -> bool:
        return self.outcome is Outcome.FOUND
