"""Tells the intent classifiers which words the rule extractors recognise, as sparse features.

A resident answering "haarlem", "groen" or "doordeweeks" types a word the
intent classifier may never have seen; the extractors know it is a place,
an interest or a time. These features carry that knowledge into intent
classification: per token, which entity type covers it, and per message,
which types occur and whether the message is nothing but entities (a bare
answer to the search form's question, so most likely `inform`).
"""

from __future__ import annotations

from typing import List, Tuple

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token

from nlu.base import Span
from nlu.featurizer_base import RuleFeaturizer
from nlu.interests import find_interests
from nlu.places import find_places
from nlu.postcodes import find_postcodes
from nlu.times import find_times

ENTITY_TYPES = ("postcode", "place", "interest", "time")
_ONLY_ENTITIES = len(ENTITY_TYPES)
_WIDTH = len(ENTITY_TYPES) + 1


def spans_in(text: str) -> List[Span]:
    return find_postcodes(text) + find_places(text) + find_interests(text) + find_times(text)


def entity_features(text: str, token_spans: List[Tuple[int, int]]) -> Tuple[np.ndarray, np.ndarray]:
    """(tokens x types) and (1 x types + 1) indicator matrices for one message."""
    spans = spans_in(text)
    sequence = np.zeros((len(token_spans), _WIDTH), dtype=np.float32)
    for row, (start, end) in enumerate(token_spans):
        for span in spans:
            if start < span.end and span.start < end:
                sequence[row, ENTITY_TYPES.index(span.entity)] = 1.0
    sentence = np.zeros((1, _WIDTH), dtype=np.float32)
    sentence[0, :_ONLY_ENTITIES] = sequence[:, :_ONLY_ENTITIES].max(axis=0) if len(token_spans) else 0.0
    words = [row for row, (start, end) in enumerate(token_spans) if any(ch.isalnum() for ch in text[start:end])]
    if spans and words and all(sequence[row, :_ONLY_ENTITIES].any() for row in words):
        sentence[0, _ONLY_ENTITIES] = 1.0
    return sequence, sentence


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class EntityFeaturizer(RuleFeaturizer):
    """Adds "this word is a place / interest / time / postcode" features for the intent classifiers."""

    def features(self, text: str, tokens: List[Token]) -> Tuple[np.ndarray, np.ndarray]:
        return entity_features(text, [(t.start, t.end) for t in tokens])
