"""Length-preserving text folding and word spans shared by the extractors.

Extractors report character offsets into the original message, so folding
(lower case, no accents, straight apostrophes) must never change the length:
every character maps to exactly one character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import List

# Words, with Dutch apostrophe and hyphen forms kept whole: "'s-hertogenbosch", "oma's", "1234-ab".
_WORD = re.compile(r"(?:'s-)?[^\W_]+(?:[-'][^\W_]+)*")

# A message longer than this is not a chat answer; looking further only costs time.
MAX_CHARS = 2000

# Email addresses and links name no place, interest or time ("k.jansen@..." is not "dansen").
_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "\u2018\u2019\u0060\u00b4":
        return "'"
    decomposed = unicodedata.normalize("NFKD", ch)
    base = decomposed[0] if decomposed else ch
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


def fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes straightened; same length as `text`."""
    return "".join(_fold_char(ch) for ch in text)


@dataclass(frozen=True)
class Word:
    """A word of the message: folded text and its character span in the original."""

    text: str
    start: int
    end: int
    original: str

    @property
    def is_capitalised(self) -> bool:
        return self.original[:1].isupper()


def words_of(text: str) -> List[Word]:
    """The words of a message in order, folded, with offsets into the original text."""
    text = text[:MAX_CHARS]
    folded = fold(text)
    addresses = [m.span() for m in _ADDRESS.finditer(text)]
    return [
        Word(m.group(0), m.start(), m.end(), text[m.start():m.end()])
        for m in _WORD.finditer(folded)
        if not any(start <= m.start() < end for start, end in addresses)
    ]
