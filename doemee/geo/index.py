"""Where is "3511", "Overvecht" or "amsterdm"? One in-memory index answers in dictionary lookups.

Every name is reduced to a key (doemee.geo.names.name_key) when the index is
built, and the answer for each key (one place, or the candidates to ask
about) is decided then too, so resolve() is a few dict lookups; only typos
reach rapidfuzz, over the list of primary names. A part of a town named with
its town ("Amsterdam Noord", "Zwolle-Zuid", "Lombok in Utrecht") is the
neighbourhood or village of that name inside the town's municipality, or the
town itself when the part is only a direction ("zuid") or "centrum".

People tell namesakes apart the way an address does: "Schalkwijk bij Houten",
"Schalkwijk, Houten", "Cothen in de gemeente Wijk bij Duurstede", "Hengelo,
Gelderland". The second name is the municipality, a bigger place nearby or a
province, never the answer itself: "Schalkwijk, Houten" is the village, and so
is "Houten, Schalkwijk", since a town is never a part of its own village. When
the first name is nowhere near the second, the resident is asked which one
they meant instead of being sent to either.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA

from doemee.geo.distance import haversine_km
from doemee.geo.gazetteer import (
    PLACES_FILE,
    POSTAL_FILE,
    Gazetteer,
    Municipality,
    Pc4,
    Pc4Grid,
    Place,
    display_name,
    load_gazetteer,
)
from doemee.geo.names import JOINTS, TOWN_PARTS, name_key, province_for_qualifier, region_name, split_qualifier
from doemee.geo.postcodes import find_postcode, normalise_postcode
from doemee.geo.types import GeoResult, Kind, Location, Outcome

if TYPE_CHECKING:
    from doemee.settings import Settings

log = logging.getLogger(__name__)

# Names people use that GeoNames does not give as a primary name (alias -> shown name).
ALIASES: dict[str, str] = {
    "Den Bosch": "'s-Hertogenbosch",
    "'s-Gravenhage": "Den Haag",
    "The Hague": "Den Haag",
    "Dordt": "Dordrecht",
    "Den Briel": "Brielle",
    "Mokum": "Amsterdam",
}

MAX_QUERY_LENGTH = 200
MAX_CANDIDATES = 5
_FUZZY_MIN_LETTERS = 5
_FUZZY_MAX_LENGTH = 40
_FILLER_WORDS = (
    "in ", "op ", "bij ", "rond ", "omgeving ", "buurt ", "wijk ", "dorp ", "stad ", "plaats ", "woonplaats ", "regio "
)
_JOINTS_BY_FIRST_WORD: dict[str, tuple[tuple[str, ...], ...]] = {
    first: tuple(joint for joint in JOINTS if joint[0] == first) for first in {joint[0] for joint in JOINTS}
}
# After these the second name can only be a municipality, or only a province.
_MUNICIPALITY_JOINT = frozenset({"gemeente", "gem"})
_PROVINCE_JOINT = frozenset({"provincie", "prov"})
# How far a place may lie from the bigger place it is named "bij": Ede is 18 km from Arnhem.
_NEAR_KM = 20.0
# Of namesakes near the same town, the nearest is meant only when the next is at least this much farther.
_CLEARLY_NEARER = 2.0
# "Schalkwijk, Zwolle", "Hengelo / Arnhem": two names set apart by a mark, the second qualifying the first.
_MARKED_PAIR = re.compile(r"^\s*(?P<part>[^,/()]+?)\s*(?:,|/|\(|\s[-–]\s)\s*(?P<whole>[^,/()]+?)\s*\)?\s*$")
_DOMINANT_RATIO = 10.0
_DOMINANT_MINIMUM = 10_000.0
_SAME_PLACE_KM = 2.0
# Looks like a postcode but is not one ("0123", "3511 SA"): never a place name either.
_POSTCODE_SHAPED = re.compile(r"^\d{4}\s*-?\s*[A-Za-z]{0,2}$")


@dataclass(frozen=True)
class _Entry:
    """A resolvable location with how much it matters when several share a name."""

    location: Location
    importance: float
    # True when the importance rests on a population or postcodes, not a guess.
    evidence: bool


@dataclass(frozen=True)
class _Answer:
    outcome: Outcome
    location: Location | None
    candidates: tuple[Location, ...]


_NOTHING = _Answer(Outcome.UNKNOWN, None, ())


class GeoIndex:
    """Postcodes, places, neighbourhoods and municipalities of the Netherlands."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._municipalities: dict[str, Municipality] = gazetteer.municipalities
        self._grid = Pc4Grid(list(gazetteer.pc4s.values()))
        self._pc4_by_municipality: dict[str, list[Pc4]] = defaultdict(list)
        for pc4 in gazetteer.pc4s.values():
            self._pc4_by_municipality[pc4.municipality_code].append(pc4)
        self._pc4: dict[str, Location] = {
            code: self._pc4_location(pc4) for code, pc4 in gazetteer.pc4s.items()
        }

        primary: dict[str, list[_Entry]] = defaultdict(list)
        alternate: dict[str, list[_Entry]] = defaultdict(list)
        names: set[str] = set()
        towns = self._index_places(gazetteer.places, primary, alternate, names)
        self._municipality_by_key: dict[str, list[_Entry]] = defaultdict(list)
        self._index_municipalities(towns, primary, names)
        for alias, target in ALIASES.items():
            found = primary.get(name_key(target))
            if found:
                primary[name_key(alias)].extend(found)
                names.add(alias)

        self._entries_by_key: dict[str, tuple[_Entry, ...]] = {
            key: tuple(_distinct(entries)) for key, entries in primary.items()
        }
        self._primary: dict[str, _Answer] = {
            key: _decide(entries) for key, entries in self._entries_by_key.items()
        }
        self._alternate: dict[str, _Answer] = {
            key: _decide(entries) for key, entries in alternate.items() if key not in self._primary
        }
        # Everything a name can mean, trusted alternate names included, to find the one a qualifier points at.
        self._named_entries: dict[str, tuple[_Entry, ...]] = dict(self._entries_by_key)
        for key, entries in alternate.items():
            self._named_entries[key] = tuple(_distinct([*self._entries_by_key.get(key, ()), *entries]))
        # "denhaag", "sgravenhage": a name of several words typed as one.
        self._compact: dict[str, str] = {}
        clashes: set[str] = set()
        for key in self._primary:
            compact = key.replace(" ", "")
            if compact != key and compact not in self._primary and compact not in self._alternate:
                if self._compact.setdefault(compact, key) != key:
                    clashes.add(compact)
        for compact in clashes:
            del self._compact[compact]
        # One resident's "schalkwjk" is looked up for every way to cut the message, and again after a question.
        self._near_names = lru_cache(maxsize=4096)(self._distinct_fuzzy_entries)
        # Typo candidates by length: a name within edit distance d differs in length by at most d.
        # A province or the country is never what a typo meant ("Gelderland" is not "Nederland").
        self._fuzzy_by_length: dict[int, list[str]] = defaultdict(list)
        for key in sorted(self._primary):
            region = region_name(key)
            if region is None or self._is_main_town(name_key(region)):
                self._fuzzy_by_length[len(key)].append(key)
        names = {n for n in names if region_name(n) is None or self._is_main_town(name_key(region_name(n) or ""))}
        self._names: list[str] = sorted(names | self._qualified_names(), key=str.casefold)

    def _index_places(
        self,
        places: list[Place],
        primary: dict[str, list[_Entry]],
        alternate: dict[str, list[_Entry]],
        names: set[str],
    ) -> dict[str, list[_Entry]]:
        """Files every place under its own, postal and alternate names; returns towns per municipality."""
        towns: dict[str, list[_Entry]] = defaultdict(list)
        for place in places:
            entry = self._place_entry(place)
            if not place.neighbourhood:
                towns[place.municipality_code].append(entry)
            names.add(place.name)
            keys = {name_key(place.name), name_key(split_qualifier(place.name)[0])}
            for postal_name in place.postal_names:
                names.add(display_name(postal_name))
                keys.add(name_key(postal_name))
                keys.add(name_key(split_qualifier(postal_name)[0]))
            keys.discard("")
            for key in keys:
                primary[key].append(entry)
            for key in place.alternate_keys:
                if key not in keys:
                    alternate[key].append(entry)
        return towns

    def _index_municipalities(
        self, towns: dict[str, list[_Entry]], primary: dict[str, list[_Entry]], names: set[str]
    ) -> None:
        for municipality in self._municipalities.values():
            if not municipality.current:
                continue
            entry = self._municipality_entry(municipality, towns.get(municipality.code, []))
            names.add(municipality.name)
            for key in {name_key(municipality.name), name_key(split_qualifier(municipality.name)[0])}:
                primary[key].append(entry)
                self._municipality_by_key[key].append(entry)

    # --- building -----------------------------------------------------------

    @classmethod
    def load(cls, geo_dir: Path | str) -> "GeoIndex":
        """Builds the index from NL_postal.txt and NL_places.txt in `geo_dir`."""
        return cls(load_gazetteer(Path(geo_dir)))

    def _municipality_name(self, code: str) -> str:
        municipality = self._municipalities.get(code)
        return municipality.name if municipality else ""

    def _pc4_location(self, pc4: Pc4) -> Location:
        return Location(
            kind=Kind.POSTCODE,
            name=pc4.code,
            pc4=pc4.code,
            place=pc4.place,
            municipality=self._municipality_name(pc4.municipality_code),
            municipality_code=pc4.municipality_code,
            lat=pc4.lat,
            lon=pc4.lon,
            province=pc4.province,
        )

    def _nearest_pc4(self, lat: float, lon: float, municipality_code: str) -> Pc4:
        """The nearest PC4 of the same municipality, so a place's PC4 agrees with its municipality."""
        nearest = self._grid.nearest(lat, lon)
        own = self._pc4_by_municipality.get(municipality_code)
        if nearest.municipality_code == municipality_code or not own:
            return nearest
        return min(own, key=lambda p: (p.lat - lat) ** 2 + ((p.lon - lon) * 0.62) ** 2)

    def _place_entry(self, place: Place) -> _Entry:
        pc4 = self._nearest_pc4(place.lat, place.lon, place.municipality_code)
        municipality = self._municipalities.get(place.municipality_code)
        location = Location(
            kind=Kind.NEIGHBOURHOOD if place.neighbourhood else Kind.PLACE,
            name=place.name,
            pc4=pc4.code,
            place=pc4.place if place.neighbourhood else place.name,
            municipality=municipality.name if municipality else "",
            municipality_code=place.municipality_code,
            lat=place.lat,
            lon=place.lon,
            province=place.province,
        )
        if place.neighbourhood:
            size = municipality.population if municipality else 0
            return _Entry(location, max(150.0, size / 20), evidence=False)
        if place.population or place.pc4_count:
            return _Entry(location, float(max(place.population, place.pc4_count * 2500)), evidence=True)
        return _Entry(location, 200.0 if place.feature_code == "PPL" else 100.0, evidence=False)

    def _municipality_entry(self, municipality: Municipality, places: list[_Entry]) -> _Entry:
        own_key = name_key(split_qualifier(municipality.name)[0])
        namesake = [e for e in places if name_key(e.location.name) == own_key]
        main = max(namesake or places, key=lambda e: e.importance, default=None)
        pc4 = self._nearest_pc4(municipality.lat, municipality.lon, municipality.code)
        location = Location(
            kind=Kind.MUNICIPALITY,
            name=municipality.name,
            pc4=pc4.code,
            place=main.location.name if main else pc4.place,
            municipality=municipality.name,
            municipality_code=municipality.code,
            lat=municipality.lat,
            lon=municipality.lon,
            province=municipality.province,
        )
        return _Entry(location, float(max(municipality.population, 1)), evidence=True)

    # --- asking -------------------------------------------------------------

    def resolve(self, text: str, *, typos: bool = True) -> GeoResult:
        """A postcode, place, neighbourhood or municipality; never raises on any text.

        `typos=False` takes names only as written, for callers that look up
        many pieces of a sentence and must not "correct" ordinary words.
        """
        try:
            return self._resolve(text, typos)
        except Exception:  # a resident's odd text must never become a traceback
            log.exception("geo lookup failed")
            return GeoResult(query="", outcome=Outcome.UNKNOWN)

    def _resolve(self, text: str, typos: bool = True) -> GeoResult:
        if not isinstance(text, str) or len(text) > MAX_QUERY_LENGTH:
            return GeoResult(query="" if not isinstance(text, str) else text[:MAX_QUERY_LENGTH], outcome=Outcome.UNKNOWN)
        query = text.strip()
        unknown = GeoResult(query=query, outcome=Outcome.UNKNOWN)
        if not query:
            return unknown

        postcode = normalise_postcode(query)
        if postcode is not None:
            return self._postcode_result(query, postcode)
        if _POSTCODE_SHAPED.match(query):
            return unknown

        key = name_key(query)
        if not key:
            return unknown
        region = region_name(key)
        if region is not None and ("provincie" in key.split() or not self._is_main_town(name_key(region))):
            # "Friesland", "Nederland": the resident means the region, not the hamlet of that name.
            return unknown
        answer = self._lookup(key)
        if answer is None:
            answer = self._with_qualifier(query)
        if answer is None:
            answer = self._marked_pair(query)
        if answer is None:
            inside = find_postcode(query)
            if inside is not None:
                return self._postcode_result(query, inside)
        if answer is not None:
            return GeoResult(query, answer.outcome, answer.location, answer.candidates)

        if not typos or any(ch.isdigit() for ch in key):
            return unknown
        fuzzy = self._fuzzy(key)
        if fuzzy is None and " " in key:
            # "schalkwjk bij houten": each name forgiven on its own, once the whole was no name.
            fuzzy = self._in_town(key, typos=True) or self._marked_pair(query, typos=True)
        if fuzzy is None:
            return unknown
        return GeoResult(query, fuzzy.outcome, fuzzy.location, fuzzy.candidates, corrected=True)

    def _postcode_result(self, query: str, postcode: str) -> GeoResult:
        location = self.postcode(postcode)
        if location is None:
            return GeoResult(query=query, outcome=Outcome.UNKNOWN)
        return GeoResult(query=query, outcome=Outcome.FOUND, location=location)

    def _lookup(self, key: str) -> _Answer | None:
        """Exact names first, then trusted alternate names, then without filler words, then parts of towns."""
        answer = self._exact(key)
        if answer is not None:
            return answer
        if key.startswith("gemeente "):
            return self._only_municipalities(key[len("gemeente "):])
        for filler in _FILLER_WORDS:
            rest = key[len(filler):]
            if key.startswith(filler) and rest:
                return self._exact(rest) or self._in_town(rest)
        return self._in_town(key)

    def _exact(self, key: str) -> _Answer | None:
        answer = self._primary.get(key) or self._alternate.get(key)
        if answer is None and key in self._compact:
            answer = self._primary.get(self._compact[key])
        return answer

    def _qualified_names(self) -> set[str]:
        """"Noord (Amsterdam)", "Lombok (Utrecht)": how to name a place whose bare name means another."""
        qualified = set()
        for key, entries in self._entries_by_key.items():
            answer = self._primary[key]
            for entry in entries:
                location = entry.location
                if location.kind is Kind.MUNICIPALITY or location == answer.location or name_key(location.name) != key:
                    continue
                name = self.unambiguous_name(location)
                if name != location.name:
                    qualified.add(name)
        return qualified

    def _is_main_town(self, key: str) -> bool:
        """Whether a name is a municipality's own town (Utrecht, Groningen), not just any namesake."""
        answer = self._primary.get(key)
        location = answer.location if answer is not None else None
        return location is not None and location.kind is not Kind.NEIGHBOURHOOD and location.name == location.municipality

    def _in_town(self, key: str, typos: bool = False) -> _Answer | None:
        """A place named with what it lies in or near: "schalkwijk bij houten", "amsterdam noord", "houten schalkwijk".

        Every way to cut the words into a place and its qualifier is tried for
        a fit before any mismatch is asked about, so "Cothen bij Wijk bij
        Duurstede" is not stopped by the first "bij".
        """
        words = key.split()
        joined: list[tuple[str, str, tuple[str, ...]]] = []
        for i in range(1, len(words) - 1):
            for joint in _JOINTS_BY_FIRST_WORD.get(words[i], ()):
                end = i + len(joint)
                if end < len(words) and tuple(words[i:end]) == joint:
                    joined.append((" ".join(words[:i]), " ".join(words[end:]), joint))
        for part, whole, joint in joined:
            answer = self._qualified(part, whole, joint, typos)
            if answer is not None:
                return answer
        # Typos are forgiven only around a joining word: every cut of a long name would cost a search each.
        for i in range(1, len(words) if not typos else 0):
            head, tail = " ".join(words[:i]), " ".join(words[i:])
            answer = self._qualified(head, tail, (), typos) or self._qualified(tail, head, (), typos, reversed_=True)
            if answer is not None:
                return answer
        for part, whole, joint in joined:
            answer = self._qualified(part, whole, joint, typos, ask=True)
            if answer is not None:
                return answer
        return None

    def _marked_pair(self, query: str, typos: bool = False) -> _Answer | None:
        """"Schalkwijk, Zwolle": set apart by a mark, two names that do not fit together are a question, not nothing."""
        match = _MARKED_PAIR.match(query)
        if match is None:
            return None
        part, whole = name_key(match.group("part")), name_key(match.group("whole"))
        if not part or not whole:
            return None
        return self._qualified(part, whole, (), typos, ask=True)

    def _qualified(
        self, part: str, whole: str, joint: tuple[str, ...], typos: bool, *, reversed_: bool = False, ask: bool = False
    ) -> _Answer | None:
        """`part` read the way a volunteer centre reads "Schalkwijk bij Houten": inside `whole`, else near it.

        Inside the municipality comes first, then inside the province, then
        within reach of the bigger place. Without a joining word ("houten
        schalkwijk", "zwolle kampen") two names may also be a list, so only a
        place inside the other counts, and reach only when a small place comes
        before a bigger one. `ask` turns a mismatch into the namesakes of
        `part` and the qualifier itself to choose from.
        """
        parts = self._named(part, typos)
        wholes = self._qualifiers(whole, joint, typos)
        towns = [w for w in wholes if w.location.kind is not Kind.NEIGHBOURHOOD]
        if towns:
            inside = [
                p for p in parts
                if any(t.location.municipality_code == p.location.municipality_code and t.location != p.location
                       and _outranks(t, p) for t in towns)
            ]
            if inside:
                return _decide(inside)
            if all(word in TOWN_PARTS for word in part.split()):
                return _decide(list(wholes))
        if not parts or reversed_:
            return None
        province = None if joint and joint[-1] in _MUNICIPALITY_JOINT else province_for_qualifier(whole)
        if province is not None:
            fitting = [p for p in parts if p.location.province == province]
            if fitting:
                return _decide(fitting)
        near = self._near(parts, towns or list(wholes), loose=bool(joint))
        if near is not None:
            return near
        if not ask or not (wholes or province):
            return None
        alone = _decide(list(parts))
        candidates = [alone.location] if alone.location is not None else list(alone.candidates[:MAX_CANDIDATES - 1])
        if wholes and (towns or wholes)[0].location not in candidates:
            candidates.append((towns or wholes)[0].location)
        return _Answer(Outcome.AMBIGUOUS, None, tuple(candidates))

    def _qualifiers(self, whole: str, joint: tuple[str, ...], typos: bool) -> tuple[_Entry, ...]:
        """The places or municipalities a qualifier can name; none for a province or a region."""
        if joint and joint[-1] in _PROVINCE_JOINT:
            return ()
        region = region_name(whole)
        if region is not None and not self._is_main_town(name_key(region)):
            return ()
        if joint and joint[-1] in _MUNICIPALITY_JOINT and whole in self._municipality_by_key:
            return tuple(self._municipality_by_key[whole])
        return self._named(whole, typos)

    def _named(self, key: str, typos: bool) -> tuple[_Entry, ...]:
        """Every place, neighbourhood and municipality a key names; with `typos`, those of the closest names."""
        entries = self._named_entries.get(key)
        if entries is None and key in self._compact:
            entries = self._entries_by_key.get(self._compact[key])
        if entries is None and typos and not any(ch.isdigit() for ch in key):
            entries = self._near_names(key)
        return entries or ()

    @staticmethod
    def _near(parts: tuple[_Entry, ...], wholes: list[_Entry], loose: bool) -> _Answer | None:
        """The namesake of `parts` within reach of `wholes`; the nearest only when clearly nearer than the next.

        `loose` (a joining word such as "bij") lets any place be near any
        other; otherwise only a place that is not a municipality's own town,
        near a place bigger than itself ("Achterveld, Amersfoort", not
        "Zwolle, Kampen").
        """
        reach: list[tuple[float, _Entry]] = []
        for p in parts:
            if not loose and _is_own_town(p.location):
                continue
            distances = [
                haversine_km(p.location.lat, p.location.lon, w.location.lat, w.location.lon)
                for w in wholes
                if w.location != p.location and (loose or _outranks(w, p))
            ]
            if distances and min(distances) <= _NEAR_KM:
                reach.append((min(distances), p))
        if not reach:
            return None
        reach.sort(key=lambda pair: pair[0])
        if len(reach) == 1 or reach[0][0] * _CLEARLY_NEARER <= reach[1][0]:
            return _Answer(Outcome.FOUND, reach[0][1].location, ())
        return _Answer(Outcome.AMBIGUOUS, None, tuple(p.location for _, p in reach[:MAX_CANDIDATES]))

    def _only_municipalities(self, key: str) -> _Answer | None:
        """"gemeente Utrecht": the municipality itself, not the town of the same name."""
        entries = self._municipality_by_key.get(key)
        if not entries:
            return self._primary.get(key)
        return _decide(entries)

    def _with_qualifier(self, query: str) -> _Answer | None:
        """"Hengelo (Ov)", "Haren Gn", "Achterveld (Barneveld)": a name plus what tells namesakes apart."""
        base, qualifier = split_qualifier(query)
        if qualifier is None:
            return None
        entries = self._entries_by_key.get(name_key(base))
        if not entries:
            return None
        province = province_for_qualifier(qualifier)
        qualifier_key = name_key(qualifier)
        if province is not None:
            fitting = [e for e in entries if e.location.province == province]
        else:
            fitting = [
                e
                for e in entries
                if qualifier_key
                in (name_key(e.location.municipality), name_key(e.location.place), name_key(e.location.province))
            ]
        return _decide(fitting) if fitting else None

    def _fuzzy(self, key: str) -> _Answer | None:
        entries = self._fuzzy_entries(key)
        if not entries:
            return None
        answer = _decide(entries)
        return answer if answer.outcome is not Outcome.UNKNOWN else None

    def _distinct_fuzzy_entries(self, key: str) -> tuple[_Entry, ...]:
        return tuple(_distinct(self._fuzzy_entries(key)))

    def _fuzzy_entries(self, key: str) -> list[_Entry]:
        """The entries of the names closest to a typo, within one or two edits; none for short or long keys."""
        letters = len(key.replace(" ", ""))
        if letters < _FUZZY_MIN_LETTERS or len(key) > _FUZZY_MAX_LENGTH:
            return []
        allowed = 1 if letters < 8 else 2
        hits: list[tuple[str, int]] = []
        for length in range(len(key) - allowed, len(key) + allowed + 1):
            choices = self._fuzzy_by_length.get(length)
            if choices:
                found = process.extract(key, choices, scorer=OSA.distance, score_cutoff=allowed, limit=10)
                hits.extend((choice, score) for choice, score, _ in found)
        if not hits:
            return []
        closest = min(score for _, score in hits)
        return [e for choice, score in hits if score == closest for e in self._entries_by_key[choice]]

    def within_town(self, text: str) -> GeoResult:
        """Only a place named with its town, municipality or a place nearby ("Zwolle-Zuid", "Amsterdam Noord",
        "Lombok in Utrecht", "Schalkwijk bij Houten", "Achterveld, Amersfoort").

        For callers that already know every plain name (the NLU's gazetteer)
        and look up pieces of a sentence: no postcodes, filler words or typos.
        """
        if not isinstance(text, str) or len(text) > MAX_QUERY_LENGTH:
            return GeoResult(query="", outcome=Outcome.UNKNOWN)
        key = name_key(text)
        answer = self._in_town(key) if " " in key else None
        if answer is None:
            return GeoResult(query=text, outcome=Outcome.UNKNOWN)
        return GeoResult(text, answer.outcome, answer.location, answer.candidates)

    def unambiguous_name(self, location: Location) -> str:
        """The name that resolves back to `location`: "Overvecht", or "Noord (Amsterdam)" beside the village Noord."""
        tried = [location.name]
        for qualifier in (location.place, location.municipality):
            if qualifier and qualifier != location.name:
                tried.append(f"{location.name} ({qualifier})")
        for name in tried:
            result = self.resolve(name, typos=False)
            if result.found and result.location == location:
                return name
        return location.name

    def postcode(self, text: str) -> Location | None:
        """The PC4 centroid for "3511", "3511 AB", "3511ab"; None when not a known postcode."""
        postcode = normalise_postcode(text) if isinstance(text, str) else None
        if postcode is None:
            return None
        location = self._pc4.get(postcode[:4])
        if location is None:
            return None
        return location if postcode == location.name else replace(location, name=postcode)

    def nearest(self, lat: float, lon: float) -> Location:
        """Where a shared position is: the given point, named after the nearest PC4.

        Raises ValueError for coordinates that are not numbers on Earth; see
        covers() for whether the point is in the Netherlands at all.
        """
        if not (_finite(lat) and _finite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("coordinates out of range")
        pc4 = self._grid.nearest(lat, lon)
        return replace(
            self._pc4_location(pc4), kind=Kind.COORDINATES, name=pc4.place, lat=float(lat), lon=float(lon)
        )

    def covers(self, lat: float, lon: float, max_km: float = 15.0) -> bool:
        """Whether a point lies within `max_km` of some Dutch PC4 centroid."""
        if not (_finite(lat) and _finite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            return False
        pc4 = self._grid.nearest(lat, lon)
        return haversine_km(lat, lon, pc4.lat, pc4.lon) <= max_km

    def municipality(self, code: str) -> str | None:
        """The clean Dutch name for a CBS code ("0344", "344" or "GM0344")."""
        if not isinstance(code, str):
            return None
        digits = code.strip().upper().removeprefix("GM")
        if not digits.isdigit() or len(digits) > 4:
            return None
        municipality = self._municipalities.get(digits.zfill(4))
        return municipality.name if municipality else None

    def centroid(self, code: str) -> tuple[float, float] | None:
        """(lat, lon) in the middle of a municipality's postcodes, for drawing it on a map.

        GeoNames puts a municipality's own point wherever its town hall or
        main town is; the mean of its PC4 centroids lies where people live.
        A municipality without postcodes falls back to that point.
        """
        if not isinstance(code, str):
            return None
        digits = code.strip().upper().removeprefix("GM")
        if not digits.isdigit() or len(digits) > 4:
            return None
        digits = digits.zfill(4)
        own = self._pc4_by_municipality.get(digits)
        if own:
            return (sum(p.lat for p in own) / len(own), sum(p.lon for p in own) / len(own))
        municipality = self._municipalities.get(digits)
        return (municipality.lat, municipality.lon) if municipality else None

    def names(self) -> list[str]:
        """Every place, neighbourhood, municipality and alias name resolve() knows exactly."""
        return list(self._names)


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _distinct(entries: Sequence[_Entry]) -> list[_Entry]:
    """One entry per real place, most important first.

    GeoNames often lists a town twice (PPL and PPLL a few hundred metres apart),
    and a municipality usually shares its name with its main town: those
    collapse into the town, keeping the higher importance.
    """
    if len(entries) == 1:
        return list(entries)
    order = {Kind.PLACE: 0, Kind.NEIGHBOURHOOD: 1, Kind.MUNICIPALITY: 2}
    kept: list[_Entry] = []
    for entry in sorted(entries, key=lambda e: (order.get(e.location.kind, 3), -e.importance)):
        loc = entry.location
        twin = next(
            (
                i
                for i, other in enumerate(kept)
                if other.location.municipality_code == loc.municipality_code
                and (
                    other.location is loc
                    or loc.kind is Kind.MUNICIPALITY
                    or haversine_km(loc.lat, loc.lon, other.location.lat, other.location.lon) <= _SAME_PLACE_KM
                )
            ),
            None,
        )
        if twin is None:
            kept.append(entry)
        elif entry.importance > kept[twin].importance:
            other = kept[twin]
            kept[twin] = _Entry(other.location, entry.importance, other.evidence or entry.evidence)
    kept.sort(key=lambda e: -e.importance)
    return kept


def _is_own_town(location: Location) -> bool:
    """Whether a place is the town its municipality is named after (Houten in Houten, Bergen in Bergen (NH))."""
    own_name = split_qualifier(location.municipality)[0]
    return location.kind is Kind.PLACE and name_key(location.name) == name_key(own_name)


def _outranks(whole: _Entry, part: _Entry) -> bool:
    """Whether `whole` can be what `part` lies in: a town is never a part of its own village."""
    w, p = whole.location, part.location
    if w.kind is Kind.MUNICIPALITY or _is_own_town(w):
        return True
    if w.kind is Kind.NEIGHBOURHOOD:
        return False
    return p.kind is Kind.NEIGHBOURHOOD or whole.importance > part.importance


def _decide(entries: Sequence[_Entry]) -> _Answer:
    """One location, or the candidates to ask about.

    A city only wins outright over namesakes when it is far bigger (Hengelo in
    Overijssel over the village in Gelderland); neighbourhoods and hamlets
    never do, so "Lombok" asks.
    """
    distinct = _distinct(entries)
    if not distinct:
        return _NOTHING
    top = distinct[0]
    if len(distinct) == 1:
        return _Answer(Outcome.FOUND, top.location, ())
    second = distinct[1]
    if (
        top.evidence
        and top.location.kind is not Kind.NEIGHBOURHOOD
        and top.importance >= _DOMINANT_MINIMUM
        and top.importance >= _DOMINANT_RATIO * second.importance
    ):
        return _Answer(Outcome.FOUND, top.location, ())
    candidates = tuple(e.location for e in distinct[:MAX_CANDIDATES])
    return _Answer(Outcome.AMBIGUOUS, None, candidates)


_CACHE: dict[Path, GeoIndex] = {}
_CACHE_LOCK = threading.Lock()


def get_geo_index(settings: "Settings | None" = None) -> GeoIndex:
    """The process's index for settings.geo_dir, downloading the GeoNames files when absent."""
    from doemee.geo.download import ensure_geonames
    from doemee.settings import get_settings

    settings = settings or get_settings()
    geo_dir = Path(settings.geo_dir).resolve()
    with _CACHE_LOCK:
        index = _CACHE.get(geo_dir)
        if index is None:
            if not ((geo_dir / POSTAL_FILE).is_file() and (geo_dir / PLACES_FILE).is_file()):
                ensure_geonames(settings.geonames_base_url, geo_dir)
            index = GeoIndex.load(geo_dir)
            _CACHE[geo_dir] = index
        return index
