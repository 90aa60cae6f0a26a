"""Tells DIET which words the rule extractors recognise, as sparse features.

A resident answering "haarlem", "groen" or "doordeweeks" types a word the
intent classifier may never have seen; the extractors know it is a place,
an interest or a time. These features carry that knowledge into intent
classification: per token, which entity type covers it, and per message,
which types occur and whether the message is nothing but entities (a bare
answer to the search form's question, so most likely `inform`).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.base import Span
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
class EntityFeaturizer(SparseFeaturizer, GraphComponent):
    """Adds "this word is a place / interest / time / postcode" features for DIET."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EntityFeaturizer":
        return cls({**cls.get_default_config(), **config}, execution_context.node_name)

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to configure."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            features = self._features(message)
            if features is not None:
                sequence, sentence = features
                self.add_features_to_message(
                    scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence), TEXT, message
                )
        return messages

    @staticmethod
    def _features(message: Message) -> Optional[Tuple[np.ndarray, np.ndarray]]:
        text = message.get(TEXT)
        tokens = message.get(TOKENS_NAMES[TEXT], [])
        if not text or not tokens:
            return None
        return entity_features(text, [(t.start, t.end) for t in tokens])
