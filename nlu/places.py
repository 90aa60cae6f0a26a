"""Finds Dutch place and neighbourhood names in a message, with their GeoNames spelling.

The gazetteer is every name doemee.geo resolves exactly (towns, villages,
neighbourhoods, municipalities, aliases such as "den bosch"), also typed as
one word ("denhaag"). Many Dutch village names are ordinary words ("Best",
"Hoek", "Leiden", "Kampen"), so a name that is also a common word only counts
with a sign that a place is meant: a preposition before it ("in", "bij",
"rond", "omgeving"), a capital in the middle of a sentence, or the name being
the whole answer. Other words Dutch or English knows ("dieren", "lombok",
"starting") and names of three letters or fewer need the same context unless
the name is a municipality's own town ("Utrecht", "Ede"). Stop words, chat
words and area words ("mijn", "meer", "top", "buurt") are never a one-word
place, except where someone says they live there: "ik woon in Ee", "ik kom uit Echt";
that is also context enough for a name after an article ("ik woon in de Meern").
A part of a town named with its town ("zwolle-zuid", "amsterdam noord",
"lombok in utrecht") is the neighbourhood doemee.geo finds for it, or the town.
So is a place qualified the way people tell namesakes apart ("schalkwijk bij
houten", "Schalkwijk (Houten)", "cothen, gemeente wijk bij duurstede",
"hengelo, gelderland"): one place, so the search does not take the qualifier
for the resident's place or ask which Schalkwijk is meant. With a joining
word, the first name needs the context it would need alone: "dat is best bij
eindhoven" is no village Best.

Typos: only a word of six letters or more that is no word at all, in Dutch or
English, as typed or as people spell while they talk ("hellup" is "help"), is
forgiven one typo (two when long), towards a name that is not a word itself.
A five-letter word ("zwole") is forgiven one typo only towards a municipality's
own town that no other name is as close to, and only where a place is meant
anyway (after a preposition, with a capital, or as the whole answer): short
chat words are too often one letter away from some village.
A word one typo away from an ordinary word as well ("ochtens") is corrected
only where a preposition or a capital marks a place.
The value is the name as GeoNames writes it, with its town in brackets where
the bare name would be another place ("Noord (Amsterdam)"); which of several
namesakes is meant is for the dialogue to ask.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from rapidfuzz import process
from rapidfuzz.distance import OSA
from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from doemee.geo.index import ALIASES, GeoIndex, get_geo_index
from doemee.geo.names import JOINTS, TOWN_PARTS, name_key, province_for_qualifier, split_qualifier
from doemee.geo.types import Location
from nlu.base import RuleEntityExtractor, Span, without_overlaps
from nlu.interests import find_interests
from nlu.lexicon import (
    common_words_nearby,
    english_words,
    is_common,
    is_english,
    is_known,
    is_word,
    known_words,
    looks_known,
    never_a_home,
    never_a_place,
    plain_spellings,
)
from nlu.text import Word, words_of
from nlu.times import find_times

ENTITY = "place"
MAX_WORDS_IN_NAME = 5
# "Cothen in de gemeente Wijk bij Duurstede": a name, its qualifier and the words joining them.
MAX_WORDS_QUALIFIED = 9
MIN_TYPO_LETTERS = 6
# Five letters: one typo, towards a town only (see the module's docstring).
MIN_TOWN_TYPO_LETTERS = 5
# Names this short are often chat or abbreviations ("ie", "erm"): a place only in context.
MAX_SHORT_NAME = 3
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
# "ik woon in Ee", "woonplaats: Hem", "ik kom uit Echt": said of where someone lives, even a chat word is a place.
_LIVING = frozenset({"woon", "woont", "wonen", "woonde", "woonden", "gewoond", "woonachtig"})
_COMING = frozenset({"kom", "komt", "kwam", "komen"})
_HOME_WORDS = frozenset({"woonplaats", "dorp"})
# Words that start a new clause, so a name right before one ends its own.
_CLAUSE_STARTS = frozenset({"en", "maar", "dus", "want", "of", "sinds", "nu", "al", "hoor", "joh"})
# "lombok in utrecht", "centrum van utrecht": words joining a part of a town to the town.
_JOINING = frozenset({"in", "van", "te"})
# "schalkwijk bij houten", "cothen in de gemeente wijk bij duurstede": words joining a place to its qualifier.
_JOINTS = frozenset(JOINTS)
_JOINT_STARTS = frozenset(joint[0] for joint in JOINTS)
_LONGEST_JOINT = max(len(joint) for joint in JOINTS)
# Marks between a place and its qualifier ("Schalkwijk, Houten", "Schalkwijk (Houten)", "Schalkwijk/Houten").
_QUALIFYING_MARKS = frozenset(" \t,()/-–'’")
# Short forms whose full stop ends no sentence: "Schalkwijk (gem. Houten)", "St. Oedenrode".
_ABBREVIATED = frozenset({"gem", "prov", "st"})


class Gazetteer:
    """Name keys of every known place with the value to report, and the typo targets."""

    def __init__(self, names: Sequence[str], canonical: Dict[str, str], major: FrozenSet[str]) -> None:
        self.values: Dict[str, str] = {}
        for name in names:
            key = name_key(name)
            if key and key not in self.values:
                self.values[key] = canonical.get(name, name)
        compact: Dict[str, str] = {}
        for key, value in self.values.items():
            joined = key.replace(" ", "")
            if joined != key and joined not in self.values and not is_word(joined):
                compact[joined] = value if compact.get(joined, value) == value else ""
        self.values.update((joined, value) for joined, value in compact.items() if value)
        # Every word of every name: a town with a part of it begins and ends with one of these.
        self.name_words = frozenset(word for key in self.values for word in key.split()) | TOWN_PARTS
        self.major = major
        self._by_initial: Dict[str, List[str]] = defaultdict(list)
        # Every one-word name of four to six letters: what a five-letter typo might have meant.
        self._short_by_initial: Dict[str, List[str]] = defaultdict(list)
        for key in self.values:
            if " " not in key and len(key) >= 5 and not is_common(key) and (key in major or not is_word(key)):
                self._by_initial[key[0]].append(key)
            if " " not in key and 4 <= len(key) <= 6:
                self._short_by_initial[key[0]].append(key)

    def exact(self, key: str) -> Optional[str]:
        return self.values.get(key)

    def near(self, word: str) -> Optional[str]:
        """The one-word name a typo is closest to, if it is close enough."""
        allowed = 1 if len(word) < 9 else 2
        choices = [k for k in self._by_initial.get(word[0], ()) if abs(len(k) - len(word)) <= allowed]
        best = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=allowed)
        return best[0] if best else None

    def near_town(self, word: str) -> Optional[str]:
        """The municipality's own town a five-letter word is one typo from, when no other name is as close."""
        choices = [k for k in self._short_by_initial.get(word[0], ()) if abs(len(k) - len(word)) <= 1]
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=1, limit=2)
        if len(found) != 1 or found[0][0] not in self.major:
            return None
        return found[0][0]


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
        if " " not in key:
            result = index.resolve(name, typos=False)
            location = result.location
            if result.found and location is not None and location.name == location.municipality:
                major.add(key)
    return Gazetteer(index.names(), canonical, frozenset(major))


def _core(words: Sequence[Word]) -> List[str]:
    return [w.text for w in words if w.text not in _ARTICLES]


def _needs_context(words: Sequence[Word], major: FrozenSet[str]) -> bool:
    """Ordinary words need context; so do other known words and very short names, unless a municipality's own town.

    A name that starts with "den" ("den haag", "den helder") needs none: no
    everyday phrase starts with that article, though "haag" alone is a word.
    """
    if len(words) > 1 and words[0].text == "den":
        return False
    core = _core(words)
    if not core or all(is_common(w) for w in core):
        return True
    if " ".join(core) in major:
        return False
    return all(looks_known(w) or is_english(w) for w in core) or len("".join(core)) <= MAX_SHORT_NAME


def _part_needs_context(words: Sequence[Word], major: FrozenSet[str]) -> bool:
    """A town with a part ("amsterdam noord"): as much context as its town's name needs alone.

    A place with a joining word ("best bij eindhoven") needs what its own
    name needs: the town after "bij" does not make "best" a village.
    """
    joint = _first_joint(words)
    if joint is not None:
        return _needs_context(words[:joint], major)
    names = [w for w in words if w.text not in TOWN_PARTS and w.text not in _JOINING]
    return not names or all(_needs_context([w], major) for w in names)


def _first_joint(words: Sequence[Word]) -> Optional[int]:
    """Where the words joining a place to its qualifier begin ("schalkwijk [bij] houten"), if anywhere."""
    for k in range(1, len(words) - 1):
        if words[k].text not in _JOINT_STARTS:
            continue
        for n in range(min(_LONGEST_JOINT, len(words) - k - 1), 0, -1):
            if tuple(w.text for w in words[k:k + n]) in _JOINTS:
                return k
    return None


def _is_qualifier_word(word: Word, places: Gazetteer) -> bool:
    """A word that can end a qualified place: part of a name, or a province or region ("gelderland", "gld")."""
    key = name_key(word.original)
    return set(key.split()) <= places.name_words or (len(key) > 1 and province_for_qualifier(key) is not None)


def _has_context(words: List[Word], i: int, size: int, whole_answer: bool = True) -> bool:
    """Whether a preposition (or a postcode), a mid-sentence capital or the answer being just this name marks a place."""
    chunk = words[i:i + size]
    if len(words) == size:
        return whole_answer
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


def _said_to_live_in(text: str, words: List[Word], i: int, size: int, ends: Optional[int] = None) -> bool:
    """ "ik woon in Ee", "woonplaats: Hem", "ik kom uit Echt,": right after saying where one lives, ending the clause.

    `ends` is where the clause must end when a qualifier follows the name ("ik woon in de meern bij utrecht").
    """
    core = _core(words[i:i + size])
    if len(core) != 1 or never_a_home(core[0]):
        return False
    before = [w.text for w in words[max(0, i - 2):i]]
    lives = (
        len(before) == 2
        and ((before[0] in _LIVING and before[1] in ("in", "te")) or (before[0] in _COMING and before[1] == "uit"))
        and not text[words[i - 1].end:words[i].start].strip(" \t'’‘`")
    ) or (len(before) >= 1 and before[-1] in _HOME_WORDS)
    if not lives:
        return False
    end = ends if ends is not None else i + size
    if end == len(words):
        return True
    return bool(text[words[end - 1].end:words[end].start].strip()) or words[end].text in _CLAUSE_STARTS


def _lives_in_named_place(text: str, words: List[Word], i: int, size: int, ends: Optional[int] = None) -> bool:
    """ "ik woon in de Meern": after "ik woon in", an article before a name that is no ordinary word is part of it.

    Not "ik woon in de bergen": there an ordinary word is meant.
    """
    unknown = [w for w in _core(words[i:i + size]) if not (is_known(w) or is_english(w))]
    return bool(unknown) and _said_to_live_in(text, words, i, size, ends)


def _place_words(text: str) -> List[Word]:
    """The words, with "zwolle-zuid" split in two: the town is the name, "zuid" only says which part."""
    words: List[Word] = []
    for word in words_of(text):
        parts = word.text.split("-")
        if len(parts) == 1 or word.text[:1].isdigit() or not any(p in TOWN_PARTS for p in parts):
            words.append(word)
            continue
        offset = 0
        for part in parts:
            start = word.start + offset
            words.append(Word(part, start, start + len(part), word.original[offset:offset + len(part)]))
            offset += len(part) + 1
    return words


def _part_of_town(index: GeoIndex, places: Gazetteer, text: str, words: Sequence[Word]) -> Optional[str]:
    """ "amsterdam noord" -> "Noord (Amsterdam)", "lombok in utrecht" -> "Lombok (Utrecht)",
    "schalkwijk bij houten" -> "Schalkwijk (Houten)".

    Only a place of its own inside the town: "utrecht oost" is just Utrecht,
    found as the name "utrecht" with "oost" left out. A province after a name
    ("ee, friesland") only counts where it changes which place is meant.
    Nothing joins across the end of a sentence ("ik woon in houten. schalkwijk ...").
    """
    if words[0].text in _JOINT_STARTS or words[-1].text in _JOINT_STARTS:
        return None
    if len(words) == 1 and "-" not in words[0].text:
        return None
    if not set(name_key(words[0].original).split()) <= places.name_words or not _is_qualifier_word(words[-1], places):
        return None
    if not _joined_by_marks(text, words):
        return None
    result = index.within_town(" ".join(w.original for w in words))
    if result.location is None:
        return _namesakes_near(places, result.candidates)
    if any(w.text in TOWN_PARTS for w in words):
        town = " ".join(w.original for w in words if w.text not in TOWN_PARTS and w.text not in _JOINING)
        if places.exact(name_key(town)) is not None and index.resolve(town, typos=False).location == result.location:
            return None
    value = index.unambiguous_name(result.location)
    if not set(name_key(words[-1].original).split()) <= places.name_words:
        named = words[:_first_joint(words) or len(words) - 1]
        if places.exact(name_key(" ".join(w.original for w in named))) == value:
            return None
    return value


def _joined_by_marks(text: str, words: Sequence[Word]) -> bool:
    """Whether only spaces and a qualifier's marks lie between the words: a full stop ends the sentence, not "gem."."""
    for a, b in zip(words, words[1:]):
        gap = text[a.end:b.start]
        if a.text in _ABBREVIATED:
            gap = gap.replace(".", "", 1)
        if any(ch not in _QUALIFYING_MARKS for ch in gap):
            return False
    return True


def _namesakes_near(places: Gazetteer, candidates: Sequence[Location]) -> Optional[str]:
    """ "achterveld, amersfoort" with two Achtervelds near Amersfoort: the bare name, for the dialogue to ask.

    Not when the qualifier itself is among the candidates ("vleuten bij
    zwolle"): then the names are left to be found one by one.
    """
    keys = {name_key(split_qualifier(c.name)[0]) for c in candidates}
    if len(keys) != 1:
        return None
    return places.exact(keys.pop())


def _span_end(text: str, start: int, end: int) -> int:
    """ "Schalkwijk (Houten)": the closing bracket belongs to the name as much as the opening one."""
    rest = text[end:]
    stripped = rest.lstrip(" ")
    if "(" in text[start:end] and stripped.startswith(")"):
        return end + len(rest) - len(stripped) + 1
    return end


def _may_be_typo(places: Gazetteer, word: str, least: int = MIN_TYPO_LETTERS) -> bool:
    """Long enough, and no word of Dutch or English, as typed or as spelled while talking ("hellup")."""
    if len(word) < least or word[:1].isdigit() or places.exact(word) is not None or is_word(word):
        return False
    forms = plain_spellings(word) - {word}
    return any(places.exact(form) is not None for form in forms) or not any(is_word(form) for form in forms)


def _likely_typo_of(places: Gazetteer, words: List[Word], i: int, key: str) -> bool:
    """A municipality's own town is what people mistype most; a smaller place must beat the ordinary words.

    "ochtens" is one typo from "ochtends" as from Ochten: without a preposition
    or capital marking a place, the word wins.
    """
    if key in places.major:
        return True
    like_a_word = any(places.exact(near) is None for near in common_words_nearby(words[i].text))
    return not like_a_word or _has_context(words, i, 1, whole_answer=False)


def _claimed_by_others(text: str) -> List[Tuple[int, int]]:
    return [(s.start, s.end) for s in find_interests(text) + find_times(text)]


def find_places(text: str) -> List[Span]:
    """Every place or neighbourhood named in `text`, longest names first, in text order."""
    words = _place_words(text)
    places = gazetteer()
    index = get_geo_index()
    spans: List[Span] = []
    taken = [False] * len(words)
    waiting: List[Tuple[int, int, str]] = []
    for size in range(MAX_WORDS_QUALIFIED, 0, -1):
        for i in range(len(words) - size + 1):
            if any(taken[i:i + size]):
                continue
            chunk = words[i:i + size]
            if any(w.text[:1].isdigit() for w in chunk):
                continue
            if size > MAX_WORDS_IN_NAME and _first_joint(chunk) is None:
                continue
            value = places.exact(name_key(" ".join(w.original for w in chunk))) if size <= MAX_WORDS_IN_NAME else None
            named = size
            if value is not None:
                if _blocked(chunk) and not _said_to_live_in(text, words, i, size):
                    continue
                needs_context = _needs_context(chunk, places.major)
            else:
                value = _part_of_town(index, places, text, chunk)
                if value is None:
                    continue
                needs_context = _part_needs_context(chunk, places.major)
                # "best bij eindhoven": whether a place is meant is up to the name before the joining word.
                named = _first_joint(chunk) or size
            if needs_context and not (
                len(words) == size
                or _has_context(words, i, named)
                or _lives_in_named_place(text, words, i, named, ends=i + size)
            ):
                waiting.append((i, size, value))
                continue
            spans.append(Span(chunk[0].start, _span_end(text, chunk[0].start, chunk[-1].end), ENTITY, value))
            taken[i:i + size] = [True] * size
    # "zwolle of kampen": a name listed right after a place is a place too.
    for i, size, value in waiting:
        listed = i >= 2 and words[i - 1].text in ("of", "en") and taken[i - 2]
        if listed and not any(taken[i:i + size]):
            spans.append(Span(words[i].start, words[i + size - 1].end, ENTITY, value))
            taken[i:i + size] = [True] * size
    claimed = None
    corrected: List[Span] = []
    for i, word in enumerate(words):
        if taken[i] or not _may_be_typo(places, word.text, MIN_TOWN_TYPO_LETTERS):
            continue
        if len(word.text) < MIN_TYPO_LETTERS:
            key = places.near_town(word.text) if _has_context(words, i, 1) else None
        else:
            key = places.near(word.text)
        if key is None or not _likely_typo_of(places, words, i, key):
            continue
        claimed = _claimed_by_others(text) if claimed is None else claimed
        if any(word.start < b and a < word.end for a, b in claimed):
            continue
        corrected.append(Span(word.start, word.end, ENTITY, places.values[key]))
    if corrected:
        spans = _join_corrected(index, text, spans, corrected)
    return without_overlaps(spans)


def _join_corrected(index: GeoIndex, text: str, found: List[Span], corrected: List[Span]) -> List[Span]:
    """ "schalkwjk bij houten": a corrected name and a place joined as a qualified name become that one place."""
    spans = sorted(found + corrected, key=lambda s: s.start)
    typos = set(corrected)
    joined: List[Span] = []
    k = 0
    while k < len(spans):
        span = spans[k]
        if k + 1 < len(spans) and (span in typos or spans[k + 1] in typos):
            value = _qualified_value(index, text, span, spans[k + 1])
            if value is not None:
                joined.append(Span(span.start, _span_end(text, span.start, spans[k + 1].end), ENTITY, value))
                k += 2
                continue
        joined.append(span)
        k += 1
    return joined


def _qualified_value(index: GeoIndex, text: str, place: Span, qualifier: Span) -> Optional[str]:
    """The value of two found names read as one qualified place, if the words between them join them."""
    if "(" in place.value or "(" in qualifier.value:
        return None
    piece = text[place.start:qualifier.end]
    words = words_of(piece)
    joint = tuple(w.text for w in words_of(text[place.end:qualifier.start]))
    if (joint and joint not in _JOINTS) or not _joined_by_marks(piece, words):
        return None
    result = index.within_town(f"{place.value} {' '.join(joint)} {qualifier.value}")
    if not result.found or result.location is None:
        return None
    return index.unambiguous_name(result.location)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PlaceExtractor(RuleEntityExtractor):
    """Extracts `place` entities valued with the GeoNames name of a place or neighbourhood."""

    def warm_up(self) -> None:
        gazetteer()
        known_words()
        english_words()

    def find(self, text: str) -> List[Span]:
        return find_places(text)
