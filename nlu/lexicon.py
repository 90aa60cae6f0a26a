"""Dutch word knowledge from spaCy's lookup data: lemmas, common words, stop words.

The same lookup table the pipeline's spaCy lemmatizer uses, read directly, so
the extractors work on raw text without depending on where the tokenizer sits
in the pipeline. "Common" words are what decides whether a place name that is
also an ordinary word ("hoek", "leiden", "best") needs context before it counts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet

import spacy_lookups_data
import srsly
from spacy.lang.nl.stop_words import STOP_WORDS

_DATA = Path(spacy_lookups_data.__file__).parent / "data"

# Frequent chat words the lookup table lacks, or that must never be read as a place.
_CHAT_WORDS = frozenset(
    """
    beste echt top super prima oke ok oké hoi hey hee hallo hello doei dag ja jawel nee neen meer
    zuid noord oost west centrum buurt wijk dorp stad regio omgeving gemeente straat plein
    markt haven park hof brug dijk kerk weg laan eind kant ee well bent raar duur lies
    made acht drie vier vijf zes zeven negen tien honderd anderen dingen handel monster
    oranje polen malta keer val kijk mee wel graag thuis hier daar
    nederland holland europa frankrijk duitsland belgie spanje engeland amerika turkije marokko
    """.split()
)
# Ordinary words that are also well-known towns: a place only in context ("in best").
_COMMON_TOWN_WORDS = frozenset({"best", "hoek"})


@lru_cache(maxsize=1)
def _lemma_table() -> Dict[str, str]:
    return srsly.read_gzip_json(_DATA / "nl_lemma_lookup.json.gz")


def lemma(word: str) -> str:
    """The dictionary form of a folded word ("bejaarde" -> "bejaard"), or the word itself."""
    return _lemma_table().get(word, word)


@lru_cache(maxsize=1)
def common_words() -> FrozenSet[str]:
    """Ordinary Dutch words (every form and lemma in the lookup table, plus stop words)."""
    table = _lemma_table()
    return frozenset(table) | frozenset(table.values()) | frozenset(STOP_WORDS) | _CHAT_WORDS | _COMMON_TOWN_WORDS


@lru_cache(maxsize=1)
def never_a_place() -> FrozenSet[str]:
    """Words that are never taken as a one-word place, whatever the context."""
    return frozenset(STOP_WORDS) | _CHAT_WORDS


def is_common(word: str) -> bool:
    return word in common_words()


@lru_cache(maxsize=1)
def known_words() -> FrozenSet[str]:
    """Every word spaCy's Dutch lexicon knows, proper nouns included.

    A word in here is spelled right, so it is never "corrected" towards a
    similar-looking interest word ("ouders" is not a typo of "oudere").
    """
    index = srsly.read_gzip_json(_DATA / "nl_lemma_index.json.gz")
    words = set(common_words())
    for forms in index.values():
        words.update(forms)
    return frozenset(words)


def is_known(word: str) -> bool:
    return word in known_words()


def looks_known(word: str) -> bool:
    """Known as written or as the plural of a known word ("ouders" from "ouder")."""
    if word in known_words():
        return True
    for suffix in ("s", "en", "'s", "n"):
        if word.endswith(suffix) and word[: -len(suffix)] in known_words():
            return True
    return False
