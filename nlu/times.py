"""Finds when a resident has time: day parts, weekend or weekdays, and how often.

Values are the contract's eight words. Dutch says these in many ways
("'s avonds", "zaterdag", "elke week", "door de week", "één keer"), so the
patterns run on folded text; a word that is one typo away from a time word
("weeekend", "wekelijk") is forgiven. Compounds such as "zaterdagochtend"
give two values for the same word.
"""

from __future__ import annotations

import re
from typing import Dict, List, Pattern, Tuple

from rapidfuzz.distance import OSA
from rapidfuzz import process
from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from nlu.base import RuleEntityExtractor, Span, without_overlaps
from nlu.lexicon import common_words, is_common
from nlu.text import MAX_CHARS, fold, words_of

ENTITY = "time"
VALUES = ("ochtend", "middag", "avond", "weekend", "doordeweeks", "eenmalig", "wekelijks", "maandelijks")

_WEEKDAYS = r"(?:maan|dins|woens|donder|vrij)dag"
_WEEKEND_DAYS = r"(?:zater|zon)dag"
_ONCE = r"(?:een|1|eens)\s*(?:keer|maal|x)"
_PER = r"(?:per|in\s+de|p|elke|iedere|a)\s*"

_PATTERNS: Tuple[Tuple[str, str], ...] = (
    ("wekelijks", r"wekelijk(?:s|se)?|elke\s+week|iedere\s+week|alle\s+weken|om\s+de\s+week|" + _ONCE + r"\s*" + _PER + r"week|eens\s+per\s+week|per\s+week"),
    ("maandelijks", r"maandelijk(?:s|se)?|elke\s+maand|iedere\s+maand|" + _ONCE + r"\s*" + _PER + r"maand|eens\s+per\s+maand|per\s+maand|eens\s+in\s+de\s+maand"),
    ("eenmalig", r"eenmalige?|eenmaal|eenmaaltje|een\s+keertje|(?<!nog\s)" + _ONCE + r"(?!\s*" + _PER + r"(?:week|maand|jaar))|een\s+dagje|een\s+losse\s+dag|incidenteel"),
    ("doordeweeks", r"doordeweeks[e]?|door\s+de\s+week|tijdens\s+de\s+week|op\s+werkdagen|werkdagen|werkdag|" + _WEEKDAYS + r"(?:s|en)?"),
    ("weekend", r"weekend(?:s|en|je)?|" + _WEEKEND_DAYS + r"(?:s|en)?|za\s*(?:/|&|en|of)\s*zo"),
    ("ochtend", r"'?s\s?ochtends|'?s\s?morgens|ochtend(?:en|je)?|voormiddag|in\s+de\s+morgen"),
    ("middag", r"'?s\s?middags|middag(?:en|je)?|namiddag|na\s+de\s+lunch"),
    ("avond", r"'?s\s?avonds|avond(?:en|je)?|na\s+het\s+werk|na\s+werktijd|na\s+mijn\s+werk"),
)

_COMPILED: Tuple[Tuple[str, Pattern[str]], ...] = tuple(
    (value, re.compile(r"(?<![\w'])(?:" + pattern + r")(?!\w)")) for value, pattern in _PATTERNS
)

_COMPOUND = re.compile(
    r"(?<!\w)(?P<day>" + _WEEKDAYS + "|" + _WEEKEND_DAYS + r"|weekend)(?P<part>ochtend|middag|avond)(?:en|s)?(?!\w)"
)

# Single words a typo may be forgiven towards, with the value they stand for.
_TYPO_TARGETS: Dict[str, str] = {
    "ochtend": "ochtend", "ochtends": "ochtend", "middag": "middag", "middags": "middag",
    "avonds": "avond", "weekend": "weekend", "zaterdag": "weekend", "zondag": "weekend",
    "doordeweeks": "doordeweeks", "eenmalig": "eenmalig", "wekelijks": "wekelijks",
    "maandelijks": "maandelijks", "maandag": "doordeweeks", "dinsdag": "doordeweeks",
    "woensdag": "doordeweeks", "donderdag": "doordeweeks", "vrijdag": "doordeweeks",
}


def _typo_value(word: str) -> str | None:
    if len(word) < 6 or is_common(word):
        return None
    allowed = 1 if len(word) < 9 else 2
    best = process.extractOne(word, _TYPO_TARGETS.keys(), scorer=OSA.distance, score_cutoff=allowed)
    return _TYPO_TARGETS[best[0]] if best else None


# "fijne avond", "goed weekend": a wish when saying goodbye, not a time to help.
_WISH = re.compile(r"(?<!\w)(?:fijne?|goede?|goeie|prettige?|mooie?|leuke?|gezellige?|heerlijke?)\s+$")


def _is_a_wish(folded: str, start: int) -> bool:
    return bool(_WISH.search(folded[max(0, start - 14):start]))


def find_times(text: str) -> List[Span]:
    """Every time expression in `text`, in order; overlapping phrases keep the longest."""
    text = text[:MAX_CHARS]
    folded = fold(text)
    compounds: List[Span] = []
    for m in _COMPOUND.finditer(folded):
        day = "weekend" if m.group("day") in ("zaterdag", "zondag", "weekend") else "doordeweeks"
        compounds += [Span(m.start(), m.end(), ENTITY, day), Span(m.start(), m.end(), ENTITY, m.group("part"))]
    taken = [(s.start, s.end) for s in compounds]

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    spans = [
        Span(m.start(), m.end(), ENTITY, value)
        for value, pattern in _COMPILED
        for m in pattern.finditer(folded)
        if free(m.start(), m.end())
    ]
    spans = [s for s in without_overlaps(spans) if not _is_a_wish(folded, s.start)]
    covered = taken + [(s.start, s.end) for s in spans]
    for word in words_of(text):
        if all(word.end <= a or word.start >= b for a, b in covered):
            value = _typo_value(word.text)
            if value:
                spans.append(Span(word.start, word.end, ENTITY, value))
    return sorted(compounds + spans, key=lambda s: (s.start, s.value))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class TimeExtractor(RuleEntityExtractor):
    """Extracts `time` entities (ochtend ... maandelijks) from Dutch time expressions."""

    def warm_up(self) -> None:
        common_words()

    def find(self, text: str) -> List[Span]:
        return find_times(text)
