"""Finds Dutch postcodes in a message: 3511, 3511 AB, 3511ab, 3511-ab.

This module only decides where a postcode is; the value comes from
doemee.geo.postcodes.normalise_postcode, the one normaliser the whole project
shares. Lower-case letters after a space count only when they are not a
Dutch word: "3511 ab" is a full postcode, "3511 en ik" is a PC4 followed by
"en". Four digits that are plainly a time, an amount or a year are skipped.
"""

from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from doemee.geo.postcodes import normalise_postcode
from nlu.base import RuleEntityExtractor, Span
from nlu.lexicon import never_a_place
from nlu.text import MAX_CHARS

ENTITY = "postcode"

_CANDIDATE = re.compile(
    r"(?<![\w€$.,:/])(?P<digits>[1-9][0-9]{3})(?:(?P<sep>\s?-?\s?)(?P<letters>[A-Za-z]{2}))?(?![\w,.:/]\d|\w)"
)
# Words before four digits that make them a year, a time or an amount rather than a postcode.
_NOT_BEFORE = re.compile(r"(?:sinds|jaar|om|€|euro|eur|nummer|nr|tot|vanaf|in het jaar)\s*$", re.IGNORECASE)
_NOT_AFTER = re.compile(r"^\s*(?:uur|euro|eur|km|kilometer|meter|m|mensen|leden|jaar|keer|x|€)\b", re.IGNORECASE)


def _letters_belong(sep: str, letters: str) -> bool:
    if not sep:
        return True
    return letters.isupper() or letters.lower() not in never_a_place()


def find_postcodes(text: str) -> List[Span]:
    """Every postcode in `text`, normalised to "1234" or "1234 AB"."""
    text = text[:MAX_CHARS]
    spans: List[Span] = []
    for match in _CANDIDATE.finditer(text):
        start = match.start()
        if _NOT_BEFORE.search(text[max(0, start - 14):start]):
            continue
        letters, sep = match.group("letters"), match.group("sep") or ""
        end = match.end() if letters and _letters_belong(sep, letters) else match.end("digits")
        if end == match.end("digits") and _NOT_AFTER.match(text[end:end + 12]):
            continue
        value = normalise_postcode(text[start:end])
        if value is None:
            end = match.end("digits")
            value = normalise_postcode(match.group("digits"))
        if value:
            spans.append(Span(start, end, ENTITY, value))
    return spans


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PostcodeExtractor(RuleEntityExtractor):
    """Extracts `postcode` entities with the value normalised to "1234" or "1234 AB"."""

    def find(self, text: str) -> List[Span]:
        return find_postcodes(text)
