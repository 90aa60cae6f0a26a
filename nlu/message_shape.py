"""What a message looks like, as a handful of sentence-level numbers for the intent classifiers.

Bag-of-words features say nothing about a word the training data never had:
"jkjkjk", "🍕" or "xyz" then look like an empty message, and a classifier guesses the
biggest answer intent. The shape of the message still tells a lot: no letters
at all, words no Dutch dictionary knows, a keyboard run, a name-like capital,
its length, a question, an email address or phone number.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Container, Dict, Iterable, List, Text, Tuple

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token

from nlu.featurizer_base import RuleFeaturizer
from nlu.text import fold

SHAPE_FEATURES = (
    "no_letters",
    "emoji",
    "unknown_share",
    "all_unknown",
    "keyboard_run",
    "words_1",
    "words_2",
    "words_3_4",
    "words_5_7",
    "words_8_plus",
    "question_mark",
    "email",
    "phone",
    "name_like",
    "question_word_first",
    "verb_first",
    "digit",
)

_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_PHONE = re.compile(r"(?:\+|\b)\d[\d \-]{7,}\d\b")
_REPEAT = re.compile(r"(.)\1\1")
_VOWELS = set("aeiouy")
_QUESTION_WORDS = frozenset("wat wie waar wanneer hoe hoeveel welke welk waarom waarvoor hoelang".split())
_VERBS_FIRST = frozenset(
    "kan kun kunnen mag moet is zijn ben heb hebben heeft wil wilt zit krijg gaat doe doen werkt".split()
)


class WordSet:
    """A fixed set of words kept as sorted 64-bit hashes.

    The Dutch tables hold 400,000 words; as Python strings in a set they cost
    the Rasa server some 80 MB, as hashes 3 MB. Python's string hash changes
    between processes, so the hashes are made where they are used.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._hashes = np.unique(np.fromiter((hash(w) for w in words), dtype=np.int64))

    def __contains__(self, word: object) -> bool:
        key = hash(word)
        at = int(np.searchsorted(self._hashes, key))
        return at < len(self._hashes) and int(self._hashes[at]) == key

    def __len__(self) -> int:
        return len(self._hashes)


@lru_cache(maxsize=1)
def dutch_words() -> WordSet:
    """Every word form and lemma of spacy-lookups-data's Dutch lemmatizer tables, folded."""
    import spacy_lookups_data

    data = Path(spacy_lookups_data.__file__).parent / "data"

    def table(name: str) -> Any:
        with gzip.open(data / f"nl_lemma_{name}.json.gz") as f:
            return json.loads(f.read())

    lookup = table("lookup")
    words = set(lookup) | set(lookup.values())
    for forms in table("index").values():
        words.update(forms)
    for exceptions in table("exc").values():
        for form, lemmas in exceptions.items():
            words.add(form)
            words.update(lemmas)
    return WordSet(fold(w) for w in words)


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or 0x1F000 <= ord(ch) <= 0x1FAFF


def _is_mash(word: str) -> bool:
    return bool(_REPEAT.search(word)) or (len(word) >= 4 and not _VOWELS & set(word))


def message_shape(text: str, known: Container[str]) -> List[float]:
    """One value per SHAPE_FEATURES name, each between 0 and 1."""
    originals = _WORD.findall(text)
    words = [fold(w) for w in originals]
    unknown = [w not in known for w in words]
    count = len(words)
    values = {
        "no_letters": float(not words and bool(text.strip())),
        "emoji": float(any(_is_emoji(ch) for ch in text)),
        "unknown_share": sum(unknown) / count if count else 0.0,
        "all_unknown": float(bool(count) and all(unknown)),
        "keyboard_run": float(any(_is_mash(w) for w in words)),
        "words_1": float(count == 1),
        "words_2": float(count == 2),
        "words_3_4": float(3 <= count <= 4),
        "words_5_7": float(5 <= count <= 7),
        "words_8_plus": float(count >= 8),
        "question_mark": float("?" in text),
        "email": float(bool(_EMAIL.search(text))),
        "phone": float(bool(_PHONE.search(text))),
        "name_like": float(any(o[:1].isupper() for o in originals[1:]) or (count == 1 and originals[0][:1].isupper())),
        "question_word_first": float(bool(words) and words[0] in _QUESTION_WORDS),
        "verb_first": float(bool(words) and words[0] in _VERBS_FIRST),
        "digit": float(any(ch.isdigit() for ch in text)),
    }
    return [values[name] for name in SHAPE_FEATURES]


def shape_features(text: str, token_count: int) -> Tuple[np.ndarray, np.ndarray]:
    """(tokens x features) zeros and the (1 x features) shape of the message.

    DIET needs sequence features of the same width as the sentence ones; the
    shape belongs to the whole message, so every token row stays empty.
    """
    sentence = np.array([message_shape(text, dutch_words())], dtype=np.float32)
    return np.zeros((token_count, len(SHAPE_FEATURES)), dtype=np.float32), sentence


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MessageShapeFeaturizer(RuleFeaturizer):
    """Adds the message's shape (emoji, unknown words, length, question) for the intent classifiers."""

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(config, name)
        dutch_words()

    def features(self, text: str, tokens: List[Token]) -> Tuple[np.ndarray, np.ndarray]:
        return shape_features(text, len(tokens))
