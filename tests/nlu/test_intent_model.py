"""The linear intent model on its own: blocks, calibration, saving."""

import numpy as np
import pytest
import scipy.sparse

from nlu.intent_model import LinearIntentModel, combine, fit_temperature, ranking, softmax

WORDS = ["hoi", "hallo", "doei", "dag", "tuin", "koken", "ja", "nee"]
INTENTS = {"greet": ["hoi", "hallo"], "goodbye": ["doei", "dag"], "search": ["tuin", "koken"]}


def _bag(texts):
    rows = [[float(w in t.split()) for w in WORDS] for t in texts]
    return scipy.sparse.csr_matrix(np.array(rows))


def _training():
    texts, labels = [], []
    for intent, cues in INTENTS.items():
        for i in range(8):
            texts.append(f"{cues[i % 2]} {'ja' if i % 3 else 'nee'}")
            labels.append(intent)
    return texts, labels


def test_each_block_gets_unit_length_then_its_weight():
    blocks = {"a": scipy.sparse.csr_matrix([[3.0, 4.0]]), "b": scipy.sparse.csr_matrix([[0.0, 2.0, 0.0]])}
    row = combine(blocks, {"a": 2, "b": 3}, {"a": 0.5}).toarray()[0]
    assert row[:2] == pytest.approx([0.5 * 0.70710678] * 2)  # counts clip to 1 first
    assert row[2:] == pytest.approx([0.0, 1.0, 0.0])


def test_a_missing_or_resized_block_counts_as_empty():
    widths = {"a": 2, "b": 3}
    missing = combine({"a": scipy.sparse.csr_matrix([[1.0, 0.0]])}, widths, {}).toarray()[0]
    resized = combine(
        {"a": scipy.sparse.csr_matrix([[1.0, 0.0]]), "b": scipy.sparse.csr_matrix([[1.0]])}, widths, {}
    ).toarray()[0]
    assert list(missing) == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert list(resized) == list(missing)


def test_it_learns_which_words_carry_the_intent():
    texts, labels = _training()
    model = LinearIntentModel({}).fit({"words": _bag(texts)}, labels)
    probabilities = model.predict({"words": _bag(["hallo nee", "koken", "dag ja"])})
    assert [model.classes[i] for i in probabilities.argmax(axis=1)] == ["greet", "search", "goodbye"]
    assert probabilities.sum(axis=1) == pytest.approx([1.0, 1.0, 1.0])


def test_a_message_without_known_words_is_not_confident():
    texts, labels = _training()
    model = LinearIntentModel({}).fit({"words": _bag(texts)}, labels)
    known, unknown = model.predict({"words": _bag(["hoi", "ja"])})
    assert known.max() > 0.6
    assert unknown.max() < known.max()


def test_saved_arrays_give_the_same_predictions():
    texts, labels = _training()
    model = LinearIntentModel({"words": 0.7}, c=2.0).fit({"words": _bag(texts)}, labels)
    copy = LinearIntentModel.from_arrays(model.to_arrays(), {"words": 0.7}, 2.0)
    x = {"words": _bag(["hoi ja", "tuin nee", "doei"])}
    assert copy.classes == model.classes
    assert copy.temperature == model.temperature
    assert np.allclose(copy.predict(x), model.predict(x))


def test_two_intents_get_one_row_each():
    texts = ["ja", "ja hoi", "ja dag", "nee", "nee hoi", "nee dag"]
    labels = ["affirm"] * 3 + ["deny"] * 3
    model = LinearIntentModel({}).fit({"words": _bag(texts)}, labels)
    p = model.predict({"words": _bag(["ja", "nee"])})
    assert p.shape == (2, 2)
    assert [model.classes[i] for i in p.argmax(axis=1)] == ["affirm", "deny"]


def test_one_intent_is_not_a_model():
    model = LinearIntentModel({}).fit({"words": _bag(["hoi", "hallo"])}, ["greet", "greet"])
    assert not model.trained


def test_overconfident_scores_are_cooled_down():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, 300)
    scores = rng.normal(0, 1, (300, 3)) * 10
    scores[np.arange(300), truth] += 5  # right most of the time, but scores far too sharp
    assert fit_temperature(scores, truth) > 2.0


def test_softmax_rows_sum_to_one_and_keep_the_order():
    p = softmax(np.array([[3.0, 1.0, 2.0]]), 0.5)
    assert p.sum() == pytest.approx(1.0)
    assert list(np.argsort(-p[0])) == [0, 2, 1]


def test_ranking_is_best_first_and_cut_to_length():
    assert ranking(["a", "b", "c"], np.array([0.2, 0.5, 0.3]), 2) == [("b", 0.5), ("c", 0.3)]


def test_negative_values_keep_their_sign():
    """Sentence embeddings have negative components; only counts were ever clipped to 1."""
    row = combine({"e": scipy.sparse.csr_matrix([[-0.6, 0.8, -3.0]])}, {"e": 3}, {}).toarray()[0]
    assert row == pytest.approx(np.array([-0.6, 0.8, -1.0]) / np.linalg.norm([-0.6, 0.8, -1.0]))


def test_a_centred_block_loses_its_common_direction_and_an_absent_block_stays_empty():
    blocks = {"e": scipy.sparse.csr_matrix([[0.9, 0.5], [0.9, -0.3], [0.0, 0.0]])}
    row = combine(blocks, {"e": 2}, {}, {"e": np.array([0.9, 0.1], dtype=np.float32)}).toarray()
    assert row[0] == pytest.approx([0.0, 1.0])
    assert row[1] == pytest.approx([0.0, -1.0])
    assert row[2] == pytest.approx([0.0, 0.0])
