"""Similarity to each intent's nearest examples: leave-self-out, k nearest, saved as arrays."""

import numpy as np
import pytest
import scipy.sparse

from nlu.intent_model import LinearIntentModel
from nlu.neighbours import Neighbours

# Two intents, each two tight islands far apart: one straight line cannot hold both islands of "a".
ISLANDS = np.array([[1, 0, 0], [0.95, 0.05, 0], [0, 0, 1], [0.05, 0, 0.95], [0, 1, 0], [0.05, 0.95, 0], [-1, 0, 0], [-0.95, 0, 0.05]])
LABELS = np.array([0, 0, 0, 0, 1, 1, 1, 1])


def test_a_message_is_most_similar_to_the_intent_of_its_island():
    near = Neighbours.fit(ISLANDS, LABELS, classes=2, k=1)
    features = near.features(np.array([[0.02, 0.0, 0.98], [0.0, 0.9, 0.1]]))
    assert list(features.argmax(axis=1)) == [0, 1]


def test_leaving_itself_out_a_lone_example_does_not_vote_for_its_own_intent():
    rows = np.array([[1, 0], [0, 1], [0.1, 0.99]])
    near = Neighbours.fit(rows, np.array([0, 1, 1]), classes=2, k=1)
    with_self, without_self = near.features(rows), near.features(rows, leave_self_out=True)
    assert with_self[0].argmax() == 0
    assert without_self[0].argmax() == 1


def test_k_averages_the_nearest_examples_only():
    rows = np.array([[1, 0], [0.8, 0.6], [0, 1], [-1, 0]])
    probe = np.array([[0.6, 0.8]])
    one = Neighbours.fit(rows, np.array([0, 0, 1, 1]), classes=2, k=1).similarities(probe)
    two = Neighbours.fit(rows, np.array([0, 0, 1, 1]), classes=2, k=2).similarities(probe)
    assert one[0] == pytest.approx([0.96, 0.8])
    assert two[0] == pytest.approx([(0.96 + 0.6) / 2, (0.8 - 0.6) / 2])


def test_saved_with_the_model_it_gives_the_same_predictions():
    blocks = {"meaning": scipy.sparse.csr_matrix(ISLANDS)}
    labels = ["a" if label == 0 else "b" for label in LABELS]
    config = {"block": "meaning", "k": 1, "weight": 0.5}
    model = LinearIntentModel({}, 2.0, ["meaning"], config).fit(blocks, labels)
    copy = LinearIntentModel.from_arrays(model.to_arrays(), {}, 2.0, ["meaning"], config)
    probe = {"meaning": scipy.sparse.csr_matrix(np.array([[0.1, 0.0, 0.9], [-0.9, 0.1, 0.0]]))}
    assert copy.neighbours is not None
    assert np.allclose(copy.predict(probe), model.predict(probe))
