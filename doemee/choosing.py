"""Which of the shown opportunities a resident means when they type instead of tapping a button.

Residents name a result the way they would at a volunteer centre's desk:
by its place in the list ("de tweede", "nummer 3", "de laatste"), or by a
word of it ("doe maar de moestuin", "de voedselbank graag", "als
taalmaatje"), often misspelt and often a shorter or longer form of the
title's word ("moestuin" for "Moestuinieren"). Only the shown results are
candidates, so a loose match is safe: the question is never "which of all
opportunities" but "which of these three".

Standard library and rapidfuzz only (like doemee.categories), so the NLU
side could use it as well.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz

from doemee.categories import LABELS, slug_for

_ORDINALS: dict[str, int] = {
    "eerste": 1, "1e": 1, "een": 1, "één": 1, "1": 1,
    "tweede": 2, "2e": 2, "twee": 2, "2": 2,
    "derde": 3, "3e": 3, "drie": 3, "3": 3,
    "vierde": 4, "4e": 4, "4": 4, "vijfde": 5, "5e": 5, "5": 5, "zesde": 6, "6e": 6, "6": 6,
}
_ORDINAL_WORDS = re.compile(r"\b(eerste|1e|tweede|2e|derde|3e|vierde|4e|vijfde|5e|zesde|6e|laatste)\b", re.IGNORECASE)
# A bare number ("3", "de 2", "nummer 3.") or a number named as one anywhere ("ik wil nummer 2").
_NUMBER_ALONE = re.compile(r"^\s*(?:de |nummer |nr\.? ?|#)?(\d{1,2})\s*[.!]?\s*$", re.IGNORECASE)
_NUMBER_NAMED = re.compile(r"(?:\bnummer|\bnr\.?|#)\s*(\d{1,2})\b", re.IGNORECASE)

# Words that say "I choose" or glue a sentence together; they name no result.
_FILLER: frozenset[str] = frozenset("""
    aan aanmelden aanmeld aanmelding achter af al alles als and ben bij bijvoorbeeld dan dat daar daarvoor de deze
    die dit doe doen door een eens en er graag ga gaan geef geven goed grappig hem het hier hoe hun ik in inschrijven
    is ja je jij kan kies kiezen kun kunnen lijkt leuk leuke liefst liever lijken maar me mee meedoen meer mij mijn
    misschien moet mooi naar niet nou nummer of ok oke om ook op over pak past plek plekje prima schrijf schrijven
    graag super tja toch top uit van vertel vind voor wat wel welke wil willen zeg zou zo zie zijn met
    info informatie houdt inhoud wacht hmm sorry bedoel bedoelde vrijwilliger vrijwilligerswerk werk
    eerste tweede derde vierde vijfde zesde laatste
""".split())
FILLER = _FILLER

# A word from the shown result's title counts fully. Its initiative counts a little less (one
# initiative often has several shown results), its category only partly: several shown results
# often share one, and a category word more often refines the search.
TITLE_WEIGHT = 1.0
INITIATIVE_WEIGHT = 0.8
CATEGORY_WEIGHT = 0.5
MIN_SIMILARITY = 82
# Results whose score is at least this share of the best one fit "equally".
TIE_SHARE = 0.9


class Listed(Protocol):
    """What a shown result needs for choosing (doemee.matching.query.OpportunityView has it)."""

    id: int
    title: str
    initiative: str
    category: str


@dataclass(frozen=True)
class Choice:
    """What a typed message chose among the shown results.

    `chosen` is the one meant; `candidates` the ones that fit equally well
    when it is not clear which; `named` says the message named something
    (a word, a number) even when nothing shown fits it.
    """

    chosen: int | None = None
    candidates: tuple[int, ...] = ()
    named: bool = False
    by_category_only: bool = False

    @property
    def unclear(self) -> bool:
        return self.chosen is None and len(self.candidates) > 1


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _plain(text))


def content_words(text: str) -> list[str]:
    """The words of a message that could name a result (no fillers, no tiny words)."""
    return [w for w in _words(text) if len(w) >= 3 and w not in _FILLER and not w.isdigit()]


def mentions_position(text: str) -> bool:
    return bool(_ORDINAL_WORDS.search(text or "") or _NUMBER_ALONE.match(text or "") or _NUMBER_NAMED.search(text or ""))


def chosen_position(text: str, count: int, first_number: int = 1) -> int | None:
    """The 1-based position among `count` shown results: "de eerste", "nummer 2", "3", "de laatste".

    Cards are numbered on from earlier pages ("4." is the first card after
    "Meer"), so a number is read as the card's number first and as a place
    on this page second; ordinal words always count on this page.
    """
    if count <= 0 or not text:
        return None
    match = _NUMBER_ALONE.match(text) or _NUMBER_NAMED.search(text)
    if match:
        number = int(match.group(1))
        if first_number > 1 and first_number <= number < first_number + count:
            return number - first_number + 1
        return number if 1 <= number <= count else None
    word = _ORDINAL_WORDS.search(text)
    if word is None:
        return None
    key = word.group(1).lower()
    position = count if key == "laatste" else _ORDINALS[key]
    return position if position <= count else None


def _similarity(said: str, word: str) -> float:
    """How well one typed word names one word of a result, 0 to 100.

    Dutch glues words together and residents shorten them: "moestuin" names
    "moestuinieren", "tuin" names "buurttuin", "taalmaatje" names "taalmaatjes".
    """
    if said == word:
        return 100.0
    short, long_ = sorted((said, word), key=len)
    if len(short) >= 4 and (long_.startswith(short) or long_.endswith(short)):
        return 95.0
    if len(short) >= 6 and short in long_:
        return 90.0
    if len(said) < 4:
        return 0.0
    # A typo in a shortened word: "moestuim" for "moestuinieren".
    prefix = fuzz.ratio(said, word[: len(said)]) * 0.95 if len(word) > len(said) + 2 else 0.0
    return max(fuzz.ratio(said, word), prefix)


def _named_words(text: str) -> set[str]:
    return {w for w in _words(text) if len(w) >= 3 and w not in _FILLER}


def _best(word: str, candidates: set[str]) -> float:
    best = max((_similarity(word, w) for w in candidates), default=0.0)
    return best / 100 if best >= MIN_SIMILARITY else 0.0


def _score(said: list[str], listed: Listed) -> tuple[float, bool]:
    """The result's score for the typed words, and whether only its category scored."""
    title, initiative = _named_words(listed.title), _named_words(listed.initiative)
    category = set(_words(f"{listed.category} {LABELS.get(listed.category, '')}")) - _FILLER
    total, own_hit = 0.0, False
    for word in said:
        own = max(TITLE_WEIGHT * _best(word, title), INITIATIVE_WEIGHT * _best(word, initiative))
        if own > 0:
            total += own
            own_hit = True
        elif slug_for(word) == listed.category:
            total += CATEGORY_WEIGHT
        else:
            total += CATEGORY_WEIGHT * _best(word, category)
    return total, total > 0 and not own_hit


def choose(text: str, shown: Sequence[Listed], first_number: int = 1, ignore: Sequence[str] = ()) -> Choice:
    """The shown result `text` means, the ones it could equally mean, or none.

    `ignore` holds words that say something else, such as the place searched
    for: "ik woon in utrecht" names no "Voedselbank Utrecht-West".
    """
    skipped = {w for phrase in ignore for w in _words(phrase)}
    said = [w for w in content_words(text) if w not in skipped]
    scores = [(_score(said, listed), listed.id) for listed in shown] if said else []
    best = max((score for (score, _), _ in scores), default=0.0)
    position = chosen_position(text, len(shown), first_number)
    if position is not None:
        meant = shown[position - 1].id
        # "de fietsreparateur op de derde zaterdag": the ordinal is part of a title the words name.
        word = _ORDINAL_WORDS.search(text)
        fitting = [i for (score, _), i in scores if best > 0 and score >= best * TIE_SHARE]
        if word and len(fitting) == 1 and word.group(1).lower() in _plain(
            next(s.title for s in shown if s.id == fitting[0])
        ):
            return Choice(chosen=fitting[0], named=True)
        return Choice(chosen=meant, named=True)
    if best <= 0:
        return Choice(named=bool(said) or mentions_position(text))
    tied = [(i, only) for (score, only), i in scores if score >= best * TIE_SHARE]
    category_only = all(only for _, only in tied)
    if len(tied) == 1:
        return Choice(chosen=tied[0][0], named=True, by_category_only=category_only)
    return Choice(candidates=tuple(i for i, _ in tied), named=True, by_category_only=category_only)
