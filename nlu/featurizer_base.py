"""The Rasa plumbing shared by DoeMee's rule-based, untrained featurizers.

Each rule featurizer only says which (tokens x features) and (1 x features)
matrices a message gets; RuleFeaturizer attaches them as sparse features, so
the knowledge lives in small modules that need no Rasa to test. The sentence
encoder (nlu/sentence_meaning.py) shares the plumbing of UntrainedFeaturizer.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class UntrainedFeaturizer:
    """Rasa plumbing for a featurizer that learns nothing: it treats training messages like any other.

    A mixin, listed before Rasa's featurizer class and GraphComponent, so that
    Rasa's featurizer still supplies the default config (its alias).
    """

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
    ) -> "UntrainedFeaturizer":
        return cls({**cls.get_default_config(), **config}, execution_context.node_name)

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Every setting has a default."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        raise TypeError(f"{type(self).__name__} must define process()")


class RuleFeaturizer(UntrainedFeaturizer, SparseFeaturizer, GraphComponent):
    """Adds rule-computed features to every message with text and tokens."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            tokens = message.get(TOKENS_NAMES[TEXT], [])
            features = self.features(text, tokens) if text and tokens else None
            if features is not None:
                sequence, sentence = features
                self.add_features_to_message(
                    scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence), TEXT, message
                )
        return messages

    def features(self, text: str, tokens: List[Token]) -> Optional[Tuple[np.ndarray, np.ndarray]]:
        """(tokens x features) and (1 x features) for one message."""
        raise TypeError(f"{type(self).__name__} must define features()")
