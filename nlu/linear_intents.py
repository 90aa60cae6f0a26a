"""DoeMee's intent classifier: the linear model of nlu.intent_model inside Rasa's pipeline.

It reads every featurizer's output as its own block (named by the featurizer's
`alias` in config.yml), so config.yml can weigh word, character and rule
features against each other. When an earlier classifier (DIET) already ranked
the intents, `blend` mixes its probabilities in; 0 ignores them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.intent_model import Blocks, LinearIntentModel, ranking

logger = logging.getLogger(__name__)
_FILE = "linear_intents.npz"


def feature_rows(message: Message) -> Dict[str, scipy.sparse.csr_matrix]:
    """One (1 x width) row per featurizer: its sentence features, else its token rows summed."""
    chosen: Dict[str, List[Any]] = {}
    for feature in message.features:
        if feature.attribute != TEXT:
            continue
        if feature.type == FEATURE_TYPE_SENTENCE:
            chosen[feature.origin] = [feature]
        elif not (feature.origin in chosen and chosen[feature.origin][0].type == FEATURE_TYPE_SENTENCE):
            chosen.setdefault(feature.origin, []).append(feature)
    rows = {}
    for origin, features in chosen.items():
        total = sum(scipy.sparse.csr_matrix(f.features, dtype=np.float32) for f in features)
        rows[origin] = total if total.shape[0] == 1 else scipy.sparse.csr_matrix(total.sum(axis=0))
    return rows


def stack_blocks(messages: List[Message], widths: Optional[Dict[str, int]] = None) -> Blocks:
    """Per featurizer, a (messages x width) matrix; a message without that featurizer's output gets zeros."""
    per_message = [feature_rows(m) for m in messages]
    if widths is None:
        widths = {}
        for rows in per_message:
            for name, row in rows.items():
                widths.setdefault(name, row.shape[1])
    stacked: Dict[str, List[scipy.sparse.csr_matrix]] = defaultdict(list)
    for rows in per_message:
        for name, width in widths.items():
            row = rows.get(name)
            stacked[name].append(row if row is not None and row.shape[1] == width else scipy.sparse.csr_matrix((1, width)))
    return {name: scipy.sparse.vstack(rows, format="csr") for name, rows in stacked.items()}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Classifies intents with a linear SVM over weighted featurizer blocks."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Weight per featurizer alias (featurizers without an alias are named by Rasa); default 1.
            "block_weights": {},
            # Aliases of dense blocks (sentence embeddings) to centre on their training mean.
            "centred_blocks": [],
            # Similarity to each intent's nearest examples in one dense block:
            # {"block": alias, "k": examples per intent, "weight": ...}; empty = off.
            "neighbours": {},
            # The SVM's C: higher fits the training messages more closely.
            "C": 1.0,
            # Share of an earlier classifier's ranking in the result (0 = ignore it).
            "blend": 0.0,
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[LinearIntentModel] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model or LinearIntentModel(
            self._config["block_weights"], self._config["C"], self._config["centred_blocks"], self._config["neighbours"]
        )

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT)]
        if examples:
            self._model.fit(stack_blocks(examples), [e.get(INTENT) for e in examples])
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if not self._model.trained:
            return messages
        probabilities = self._model.predict(stack_blocks(messages, self._model.widths))
        for message, row in zip(messages, probabilities):
            row = self._blend(message, row)
            ranked = ranking(self._model.classes, row, self._config["ranking_length"])
            name, confidence = ranked[0]
            message.set(INTENT, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True)
            message.set(
                INTENT_RANKING_KEY,
                [{INTENT_NAME_KEY: n, PREDICTED_CONFIDENCE_KEY: c} for n, c in ranked],
                add_to_output=True,
            )
        return messages

    def _blend(self, message: Message, row: np.ndarray) -> np.ndarray:
        share = float(self._config["blend"])
        earlier = message.get(INTENT_RANKING_KEY) or []
        if share <= 0 or not earlier:
            return row
        other = np.zeros_like(row)
        for entry in earlier:
            if entry.get(INTENT_NAME_KEY) in self._model.classes:
                other[self._model.classes.index(entry[INTENT_NAME_KEY])] = entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0
        if other.sum() <= 0:
            return row
        return (1 - share) * row + share * other / other.sum()

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / _FILE, **self._model.to_arrays())

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LinearIntentClassifier":
        merged = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / _FILE, allow_pickle=False) as arrays:
                    model = LinearIntentModel.from_arrays(
                        arrays, merged["block_weights"], merged["C"], merged["centred_blocks"], merged["neighbours"]
                    )
        except (ValueError, FileNotFoundError, KeyError):
            logger.warning("No trained intent model in %s; intents stay unclassified.", resource.name)
            model = None
        return cls(merged, model_storage, resource, model)
