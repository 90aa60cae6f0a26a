"""Finds what a resident wants to help with, as category slugs.

The words come from doemee.categories (the same map the command line uses),
plus a few chat forms below. Phrases are tried before single words; a word
also matches through its lemma ("bejaarde" -> "bejaard") or without a plural
or diminutive ending ("tuintje" -> "tuin"), and an unknown word that is one or
two typos away from an interest word is forgiven ("tuinieeren"), and an unknown
compound counts by the interest word it starts with ("voetbalclub"). A few words
that are interests in a list but ordinary words in a chat ("handig",
"online", "activiteiten") count only in context or not at all.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Tuple

from rapidfuzz import process
from rapidfuzz.distance import OSA
from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from doemee.categories import WORD_TO_SLUG, normalise_word
from nlu.base import RuleEntityExtractor, Span
from nlu.lexicon import known_words, lemma, looks_known, never_a_place
from nlu.text import Word, words_of

ENTITY = "interest"

# How residents say it in a chat, beyond the taxonomy's list.
CHAT_WORDS: Dict[str, str] = {
    "ouwere mensen": "ouderen", "oudere mensen": "ouderen", "oudjes": "ouderen",
    "bejaardentehuis": "ouderen", "verpleeghuis": "ouderen", "ouderen": "ouderen",
    "kinders": "jeugd", "jongens en meiden": "jeugd", "jeugdwerk": "jeugd", "huiswerkklas": "jeugd",
    "kinderboerderij": "groen", "tuinwerk": "groen", "tuinman": "groen", "prikken": "groen",
    "repair café": "klussen", "repair": "klussen", "fietsen maken": "klussen", "dingen maken": "klussen",
    "taalles geven": "taal", "taalcoach": "taal", "taalhulp": "taal", "nederlandse les": "taal",
    "voedselbankje": "voedsel", "kookt": "voedsel", "eten koken": "voedsel", "maaltijden bezorgen": "voedsel",
    "koffie schenken": "ontmoeting", "buurthuiskamer": "ontmoeting",
    "sporten": "sport", "voetballen": "sport", "zwemles": "sport",
    "computerhulp": "digitaal", "computers": "digitaal", "mobieltje": "digitaal",
    "administratief": "organisatie", "bestuurswerk": "organisatie",
    "energieadvies": "energie", "energiecoaching": "energie",
    "boodschappen doen": "voedsel", "autorijden": "vervoer", "fietsen repareren": "klussen",
    "rijbewijs": "vervoer", "bestuursfunctie": "organisatie", "voorlezer": "jeugd",
}

# Interest words that in a chat are mostly something else.
_NEVER: FrozenSet[str] = frozenset(
    {"activiteiten", "activiteit", "online", "organiseren", "begeleiden", "telefoon", "evenement",
     "evenementen", "training", "website", "conversatie", "inloop", "bar", "feest",
     "zorgen voor", "handig", "klus", "school", "coordinator", "nieuwsbrief"}
)
# Interest words that count only right after one of these words ("ik ben handig").
_ONLY_AFTER: Dict[str, FrozenSet[str]] = {
    "handig": frozenset({"ben", "erg", "heel", "best", "redelijk", "vrij", "super", "nogal"}),
}
# ... or never right after these ("na de lunch" is a time, "mijn kind" is not an interest,
# "ik maak me zorgen" is a worry).
_NOT_AFTER: Dict[str, FrozenSet[str]] = {
    "lunch": frozenset({"de"}),
    "eten": frozenset({"het", "gaan", "te"}),
    "kind": frozenset({"mijn", "m'n", "ons", "eigen"}),
    "klussen": frozenset({"nieuwe", "leuke", "andere", "losse", "die", "welke"}),
    "organisatie": frozenset({"onze", "mijn", "jullie", "die", "de", "een", "eerste", "tweede", "derde"}),
    "computer": frozenset({"een", "de"}),
    "zorgen": frozenset({"me", "mij", "je", "ons", "zich", "jullie", "geen", "veel"}),
}
_LIVING = frozenset({"woon", "woont", "wonen", "kom", "komt", "komen", "zit", "woonachtig"})
_ADJECTIVE_ENDINGS = ("lijk", "matig", "achtig", "loos", "loze", "rijk", "vol", "ig", "isch")
_SUFFIXES = ("tjes", "jes", "tje", "je", "s", "en", "e")


@lru_cache(maxsize=1)
def _index() -> Tuple[Dict[str, str], Dict[str, str]]:
    """Exact phrases -> slug, and lemma phrases -> slug (lemmas that are stop words left out)."""
    exact: Dict[str, str] = {}
    for word, slug in list(WORD_TO_SLUG.items()) + list(CHAT_WORDS.items()):
        key = normalise_word(word)
        if key not in _NEVER or key in _ONLY_AFTER:
            exact.setdefault(key, slug)
    lemmas: Dict[str, str] = {}
    for key, slug in exact.items():
        lemma_key = " ".join(lemma(w) for w in key.split())
        if lemma_key != key and lemma_key not in never_a_place() and len(lemma_key) > 3:
            lemmas.setdefault(lemma_key, slug)
    return exact, lemmas


@lru_cache(maxsize=1)
def _single_words() -> Tuple[str, ...]:
    return tuple(k for k in _index()[0] if " " not in k and len(k) >= 4 and k not in _ONLY_AFTER)


def _plain(word: str) -> str:
    return word.replace("'", "")


def _exact_slug(words: List[Word]) -> Optional[str]:
    exact, lemmas = _index()
    surface = " ".join(_plain(w.text) for w in words)
    if surface in exact:
        return exact[surface]
    lemma_form = " ".join(lemma(w.text) for w in words)
    if lemma_form in lemmas:
        return lemmas[lemma_form]
    if lemma_form in exact and lemma_form not in never_a_place():
        return exact[lemma_form]
    return None


def _stem_key(word: str) -> Optional[str]:
    exact = _index()[0]
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4 and stem in exact and stem not in _ONLY_AFTER:
            return stem
    return None


def _typo_key(word: str) -> Optional[str]:
    if len(word) < 5 or looks_known(word):
        return None
    allowed = 1 if len(word) < 9 else 2
    best = process.extractOne(word, _single_words(), scorer=OSA.distance, score_cutoff=allowed)
    return best[0] if best else None


def _compound_key(word: str) -> Optional[str]:
    """A compound that starts with an interest word: "voetbalclub", "ouderenwerk".

    A word the lexicon knows counts only when its rest is a word too, so
    "energieke" (lively) is not "energie" + "ke".
    """
    if len(word) < 8 or word.startswith("vrijwillig"):
        return None
    for key in sorted(_single_words(), key=len, reverse=True):
        rest = word[len(key):]
        if len(key) >= 5 and word.startswith(key) and len(rest) >= 3:
            if not looks_known(word) or (looks_known(rest) and not rest.startswith(_ADJECTIVE_ENDINGS)):
                return key
    return None


def _names_a_home(words: List[Word], i: int) -> bool:
    """"ik woon in dieren", "ik kom uit tuil": the word is where someone lives, a place."""
    return i >= 2 and words[i - 1].text in ("in", "uit", "te") and words[i - 2].text in _LIVING


def _allowed(key: str, previous: Optional[Word]) -> bool:
    before = previous.text if previous else ""
    if key in _ONLY_AFTER and before not in _ONLY_AFTER[key]:
        return False
    return before not in _NOT_AFTER.get(key, frozenset())


def find_interests(text: str) -> List[Span]:
    """Every interest named in `text`, in order, each with its category slug."""
    words = words_of(text)
    spans: List[Span] = []
    i = 0
    while i < len(words):
        previous = words[i - 1] if i else None
        if _names_a_home(words, i):
            i += 1
            continue
        for size in (3, 2, 1):
            chunk = words[i:i + size]
            if len(chunk) < size:
                continue
            key = " ".join(_plain(w.text) for w in chunk)
            slug = _exact_slug(chunk) if _allowed(key, previous) else None
            if slug is None and size == 1 and _allowed(key, previous):
                base = _stem_key(key) or _typo_key(key) or _compound_key(key)
                slug = _index()[0][base] if base and _allowed(base, previous) else None
            if slug:
                spans.append(Span(chunk[0].start, chunk[-1].end, ENTITY, slug))
                i += size
                break
        else:
            i += 1
    return spans


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class InterestExtractor(RuleEntityExtractor):
    """Extracts `interest` entities whose value is a category slug (CONTRACT section 5)."""

    def warm_up(self) -> None:
        _index()
        known_words()

    def find(self, text: str) -> List[Span]:
        return find_interests(text)
