"""Finds Dutch place and neighbourhood names in a message, with their GeoNames spelling.

The gazetteer is every name doemee.geo resolves exactly (towns, villages,
neighbourhoods, municipalities, aliases such as "den bosch"). Many Dutch
village names are ordinary words ("Best", "Hoek", "Leiden", "Kampen"), so a
name that is also a common word only counts with a sign that a place is
meant: a preposition before it ("in", "bij", "rond", "omgeving"), a capital
in the middle of a sentence, or the name being the whole answer. Stop words
and chat words ("mijn", "buurt", "meer", "top") are never a one-word place.
Other words the Dutch lexicon knows ("dieren", "gooi", "lombok") need the
same context unless the name is a municipality's own town ("Utrecht").
Unknown words of six letters or more are forgiven one typo (two when long),
towards names that are not words themselves.
The value is the name as GeoNames writes it; which of several namesakes is
meant is for the dialogue to ask.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from rapidfuzz import process
from rapidfuzz.distance import OSA
from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from doemee.geo.index import ALIASES, get_geo_index
from doemee.geo.names import name_key
from nlu.base import RuleEntityExtractor, Span, without_overlaps
from nlu.interests import find_interests
from nlu.lexicon import is_common, is_known, known_words, looks_known, never_a_place
from nlu.text import Word, words_of
from nlu.times import find_times

ENTITY = "place"
MAX_WORDS_IN_NAME = 5
_ARTICLES = frozenset({"de", "het", "'t", "t", "den", "der", "s"})
# Articles that also start everyday phrases ("in de winkel", "met de bus"); "den" does not.
_EVERYDAY_ARTICLES = frozenset({"de", "het", "'t", "t"})
# Names with an everyday article and word that are still well known as places.
_KNOWN_WITH_ARTICLE = frozenset({"de pijp", "de wallen", "de uithof", "de rijp", "de lier", "de koog", "de hoef"})
_PREPOSITIONS = frozenset(
    {"in", "bij", "uit", "rond", "rondom", "omgeving", "nabij", "richting", "naar", "te", "vanuit",
     "regio", "gemeente", "wijk", "dorp", "stad", "woonplaats", "plaats", "centrum", "bedoel", "bedoelde"}
)
_AREA_WORDS = frozenset({"buurt", "omgeving", "regio", "gemeente", "wijk", "centrum", "stad"})


class Gazetteer:
    """Name keys of every known place with the value to report, and the typo targets."""

    def __init__(self, names: Sequence[str], canonical: Dict[str, str], major: FrozenSet[str]) -> None:
        self.values: Dict[str, str] = {}
        for name in names:
            key = name_key(name)
            if key and key not in self.values:
                self.values[key] = canonical.get(name, name)
        self.major = major
        self._by_initial: Dict[str, List[str]] = defaultdict(list)
        for key in self.values:
            if " " not in key and len(key) >= 5 and not is_common(key):
                self._by_initial[key[0]].append(key)

    def exact(self, key: str) -> Optional[str]:
        return self.values.get(key)

    def near(self, word: str) -> Optional[str]:
        """The one-word name a typo is closest to, if it is close enough."""
        allowed = 1 if len(word) < 9 else 2
        choices = [k for k in self._by_initial.get(word[0], ()) if abs(len(k) - len(word)) <= allowed]
        best = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=allowed)
        return best[0] if best else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    index = get_geo_index()
    canonical: Dict[str, str] = {}
    for alias, target in ALIASES.items():
        result = index.resolve(alias)
        canonical[alias] = result.location.name if result.found and result.location else target
    major = set()
    for name in index.names():
        key = name_key(name)
        if " " not in key and is_known(key):
            result = index.resolve(name)
            location = result.location
            if result.found and location is not None and location.name == location.municipality:
                major.add(key)
    return Gazetteer(index.names(), canonical, frozenset(major))


def _core(words: Sequence[Word]) -> List[str]:
    return [w.text for w in words if w.text not in _ARTICLES]


def _needs_context(words: Sequence[Word], major: FrozenSet[str]) -> bool:
    """Ordinary words need context; so do other known words, unless the name is a municipality's own town."""
    core = _core(words)
    if not core or all(is_common(w) for w in core):
        return True
    return all(looks_known(w) for w in core) and " ".join(core) not in major


def _has_context(words: List[Word], i: int, size: int) -> bool:
    """Whether a preposition (or a postcode), a mid-sentence capital or the answer being just this name marks a place."""
    chunk = words[i:i + size]
    if len(words) == size:
        return True
    starts_with_article = chunk[0].text in _EVERYDAY_ARTICLES and (
        " ".join(w.text for w in chunk) not in _KNOWN_WITH_ARTICLE
    )
    if i > 0 and any(w.is_capitalised for w in chunk if w.text not in _ARTICLES):
        return True
    if starts_with_article or i == 0:
        return False
    before = words[i - 1].text
    if before in _PREPOSITIONS or before[:1].isdigit():
        return True
    return before == "van" and i > 1 and words[i - 2].text in _AREA_WORDS


def _blocked(words: Sequence[Word]) -> bool:
    core = _core(words)
    return len(core) <= 1 and (not core or core[0] in never_a_place())


def _claimed_by_others(text: str) -> List[Tuple[int, int]]:
    return [(s.start, s.end) for s in find_interests(text) + find_times(text)]


def find_places(text: str) -> List[Span]:
    """Every place or neighbourhood named in `text`, longest names first, in text order."""
    words = words_of(text)
    places = gazetteer()
    spans: List[Span] = []
    taken = [False] * len(words)
    waiting: List[Tuple[int, int, str]] = []
    for size in range(MAX_WORDS_IN_NAME, 0, -1):
        for i in range(len(words) - size + 1):
            if any(taken[i:i + size]):
                continue
            chunk = words[i:i + size]
            if any(w.text[:1].isdigit() for w in chunk) or _blocked(chunk):
                continue
            value = places.exact(name_key(" ".join(w.original for w in chunk)))
            if value is None:
                continue
            if _needs_context(chunk, places.major) and not _has_context(words, i, size):
                waiting.append((i, size, value))
                continue
            spans.append(Span(chunk[0].start, chunk[-1].end, ENTITY, value))
            taken[i:i + size] = [True] * size
    # "zwolle of kampen": a name listed right after a place is a place too.
    for i, size, value in waiting:
        listed = i >= 2 and words[i - 1].text in ("of", "en") and taken[i - 2]
        if listed and not any(taken[i:i + size]):
            spans.append(Span(words[i].start, words[i + size - 1].end, ENTITY, value))
            taken[i:i + size] = [True] * size
    claimed = None
    for i, word in enumerate(words):
        if taken[i] or word.text[:1].isdigit() or len(word.text) < 6:
            continue
        if looks_known(word.text) or is_common(word.text):
            continue
        key = places.near(word.text)
        if key is None:
            continue
        claimed = _claimed_by_others(text) if claimed is None else claimed
        if any(word.start < b and a < word.end for a, b in claimed):
            continue
        spans.append(Span(word.start, word.end, ENTITY, places.values[key]))
    return without_overlaps(spans)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PlaceExtractor(RuleEntityExtractor):
    """Extracts `place` entities valued with the GeoNames name of a place or neighbourhood."""

    def warm_up(self) -> None:
        gazetteer()
        known_words()

    def find(self, text: str) -> List[Span]:
        return find_places(text)
