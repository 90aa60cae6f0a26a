"""Word knowledge from spaCy's lookup data: lemmas, common words, stop words, English words.

The same lookup table the pipeline's spaCy lemmatizer uses, read directly, so
the extractors work on raw text without depending on where the tokenizer sits
in the pipeline. "Common" words are what decides whether a place name that is
also an ordinary word ("hoek", "leiden", "best") needs context before it counts.
Residents also chat in English ("thanks", "starting next week") and spell as
they speak ("hellup", "hallooo"): such words are words, never a typo of a place.
"""

from __future__ import annotations

import re
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
    ee well bent raar duur lies made acht drie vier vijf zes zeven negen tien honderd anderen dingen
    handel monster oranje keer val kijk mee wel graag thuis hier daar
    """.split()
)
# Words for a kind of place or a part of town: never a town, even in "ik woon in het centrum".
_AREA_WORDS = frozenset(
    """
    zuid noord oost west centrum buurt wijk dorp stad regio omgeving gemeente straat plein
    markt haven park hof brug dijk kerk weg laan eind kant
    """.split()
)
# Countries, provinces and regions are bigger than a place to search from, though hamlets share their names.
_REGIONS = frozenset(
    """
    nederland holland europa frankrijk duitsland belgie spanje engeland amerika turkije marokko polen malta
    friesland fryslan drenthe overijssel gelderland limburg zeeland brabant flevoland
    veluwe achterhoek gooi twente betuwe randstad
    """.split()
)
# Ordinary words that are also well-known towns: a place only in context ("in best").
_COMMON_TOWN_WORDS = frozenset({"best", "hoek"})

# How chat stretches and speaks words: "hallooo", "heeelp", and the vowel in "hellup" (help), "werrek" (werk).
_STRETCHED = re.compile(r"(.)\1{2,}")
_DOUBLED = re.compile(r"(.)\1")
_SPOKEN_VOWEL = re.compile(r"([lr])\1?[eu](?=[bcfgkmpvw])")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


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
    return (
        frozenset(table) | frozenset(table.values()) | frozenset(STOP_WORDS)
        | _CHAT_WORDS | _AREA_WORDS | _REGIONS | _COMMON_TOWN_WORDS
    )


@lru_cache(maxsize=1)
def never_a_place() -> FrozenSet[str]:
    """Words that are never taken as a one-word place, unless someone says they live there ("ik woon in Ee")."""
    return frozenset(STOP_WORDS) | _CHAT_WORDS | _AREA_WORDS | _REGIONS


def never_a_home(word: str) -> bool:
    """Not a town even after "ik woon in": "het centrum", "nederland", "friesland" name no place to search from."""
    return word in _AREA_WORDS or word in _REGIONS


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


@lru_cache(maxsize=1)
def english_words() -> FrozenSet[str]:
    """Every English word spaCy's lookup tables know ("thanks", "starting", "friends")."""
    table = srsly.read_gzip_json(_DATA / "en_lemma_lookup.json.gz")
    index = srsly.read_gzip_json(_DATA / "en_lemma_index.json.gz")
    words = set(table) | set(table.values())
    for forms in index.values():
        words.update(forms)
    return frozenset(w for w in words if w.isalpha() and w.islower())


def is_english(word: str) -> bool:
    return word in english_words()


def is_word(word: str) -> bool:
    """A word of Dutch (as written or as a plural) or English."""
    return looks_known(word) or is_common(word) or is_english(word)


def plain_spellings(word: str) -> FrozenSet[str]:
    """`word` and the words it may be, typed as spoken: "hellup" -> "help", "hallooo" -> "hallo"."""
    forms = {word, _STRETCHED.sub(r"\1", word), _STRETCHED.sub(r"\1\1", word)}
    forms.update(word[:m.start()] + word[m.start() + 1:] for m in _DOUBLED.finditer(word))
    return frozenset(forms | {_SPOKEN_VOWEL.sub(r"\1", form) for form in forms})


def common_words_nearby(word: str) -> FrozenSet[str]:
    """The ordinary Dutch words one typo away ("ochtends" from "ochtens")."""
    common = common_words()
    near = set()
    for i in range(len(word) + 1):
        left, right = word[:i], word[i:]
        if right:
            near.add(left + right[1:])
        if len(right) > 1:
            near.add(left + right[1] + right[0] + right[2:])
        for letter in _LETTERS:
            near.add(left + letter + right)
            if right:
                near.add(left + letter + right[1:])
    near.discard(word)
    return frozenset(w for w in near if w in common)
