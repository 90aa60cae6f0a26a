"""A linear intent model over blocks of sparse features, with calibrated confidences.

Cross-validation on DoeMee's data showed DIET overfitting: each resident's way
of saying something is new, and a neural network learns the training messages
rather than the words that carry the intent. A linear support vector machine
on the same features generalises better (see DEVELOPERS.md). Two details
matter:

- Each featurizer's block is scaled to unit length before it is weighted, so
  the thousands of character n-grams do not drown the handful of rule
  features, and a long message weighs as much as a short one.
- Dense blocks named in `centred` (sentence embeddings) first lose their mean
  over the training messages: all Dutch sentences share a large common
  direction there, and what tells intents apart is the rest.
- With `neighbours`, the similarity to each intent's nearest training
  examples in such a block joins the features (nlu/neighbours.py).
- An SVM gives scores, not probabilities, but the fallback and the dialogue
  need a confidence. One temperature, fitted on held-out scores of the
  training data, turns the scores into probabilities that mean what they say.

No Rasa in here: the Rasa component only collects the blocks.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import scipy.sparse
from scipy.optimize import minimize_scalar
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from nlu.neighbours import Neighbours

Blocks = Mapping[str, scipy.sparse.spmatrix]
_HELD_OUT_FOLDS = 3
_SEED = 20261127


def combine(
    blocks: Blocks,
    widths: Mapping[str, int],
    weights: Mapping[str, float],
    centres: Optional[Mapping[str, np.ndarray]] = None,
) -> scipy.sparse.csr_matrix:
    """One row per message: every block present or not, clipped to [-1, 1], centred if asked, unit length, weighted.

    The block order and widths are those seen in training; a block a message
    lacks, or one that changed width, counts as empty rather than failing.
    """
    rows = next(iter(blocks.values())).shape[0] if blocks else 1
    parts = []
    for name, width in widths.items():
        block = blocks.get(name)
        if block is None or block.shape[1] != width:
            block = scipy.sparse.csr_matrix((rows, width), dtype=np.float32)
        block = scipy.sparse.csr_matrix(block, dtype=np.float32)
        block.data = np.clip(block.data, -1.0, 1.0)
        centre = (centres or {}).get(name)
        if centre is not None:
            present = np.asarray(block.getnnz(axis=1) > 0)[:, np.newaxis]
            block = scipy.sparse.csr_matrix(np.where(present, block.toarray() - centre, 0.0).astype(np.float32))
        parts.append(normalize(block) * float(weights.get(name, 1.0)))
    return scipy.sparse.hstack(parts, format="csr") if parts else scipy.sparse.csr_matrix((rows, 0))


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The temperature that makes held-out scores the best probabilities (least log loss)."""

    def log_loss(log_t: float) -> float:
        p = softmax(scores, float(np.exp(log_t)))
        return float(-np.mean(np.log(p[np.arange(len(truth)), truth] + 1e-12)))

    best = minimize_scalar(log_loss, bounds=(np.log(0.01), np.log(10.0)), method="bounded")
    return float(np.exp(best.x))


class LinearIntentModel:
    """Weights per block, one linear SVM, one temperature; saved as plain arrays."""

    def __init__(
        self,
        weights: Mapping[str, float],
        c: float = 1.0,
        centred: Sequence[str] = (),
        neighbours: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self.weights = dict(weights)
        self.c = c
        self.centred = tuple(centred)
        self.centres: Dict[str, np.ndarray] = {}
        # {"block": alias, "k": nearest examples per intent, "weight": of the intent similarities}
        self.neighbour_config = dict(neighbours or {})
        self.neighbours: Optional[Neighbours] = None
        self.widths: Dict[str, int] = {}
        self.classes: List[str] = []
        self.coef = np.zeros((0, 0), dtype=np.float32)
        self.intercept = np.zeros(0, dtype=np.float32)
        self.temperature = 1.0

    @property
    def trained(self) -> bool:
        return len(self.classes) > 1

    def fit(self, blocks: Blocks, labels: Sequence[str]) -> "LinearIntentModel":
        self.widths = {name: int(block.shape[1]) for name, block in sorted(blocks.items())}
        self.classes = sorted(set(labels))
        if len(self.classes) < 2:
            return self
        self.centres = {name: self._mean_of_present_rows(blocks[name]) for name in self.centred if name in blocks}
        y = np.array([self.classes.index(label) for label in labels])
        block = self.neighbour_config.get("block")
        self.neighbours = None
        if block in blocks:
            rows = self._centred_rows(blocks, block)
            self.neighbours = Neighbours.fit(rows, y, len(self.classes), int(self.neighbour_config.get("k", 3)))
        x = self._features(blocks, leave_self_out=True)
        self.temperature = self._held_out_temperature(x, y)
        svm = LinearSVC(C=self.c, random_state=_SEED).fit(x, y)
        self.coef = self._as_rows(svm.coef_)
        self.intercept = np.atleast_1d(svm.intercept_).astype(np.float32)
        if len(self.classes) == 2:
            self.intercept = np.array([-self.intercept[0], self.intercept[0]], dtype=np.float32)
        return self

    def _centred_rows(self, blocks: Blocks, name: str) -> np.ndarray:
        block = combine(blocks, {name: self.widths[name]}, {}, self.centres)
        return block.toarray()

    def _features(self, blocks: Blocks, leave_self_out: bool = False) -> scipy.sparse.csr_matrix:
        x = combine(blocks, self.widths, self.weights, self.centres)
        if self.neighbours is None:
            return x
        similar = self.neighbours.features(self._centred_rows(blocks, self.neighbour_config["block"]), leave_self_out)
        weight = float(self.neighbour_config.get("weight", 1.0))
        return scipy.sparse.hstack([x, scipy.sparse.csr_matrix(similar * weight)], format="csr")

    @staticmethod
    def _mean_of_present_rows(block: scipy.sparse.spmatrix) -> np.ndarray:
        block = scipy.sparse.csr_matrix(block, dtype=np.float32)
        present = block[np.flatnonzero(block.getnnz(axis=1))]
        if present.shape[0] == 0:
            return np.zeros(block.shape[1], dtype=np.float32)
        return np.clip(np.asarray(present.mean(axis=0)).ravel(), -1.0, 1.0).astype(np.float32)

    def _as_rows(self, coef: np.ndarray) -> np.ndarray:
        """One row per class, also for two classes (where the SVM keeps one)."""
        coef = np.asarray(coef, dtype=np.float32)
        return np.vstack([-coef[0], coef[0]]) if len(self.classes) == 2 else coef

    def _held_out_temperature(self, x: scipy.sparse.csr_matrix, y: np.ndarray) -> float:
        smallest = int(np.bincount(y).min())
        folds = min(_HELD_OUT_FOLDS, smallest)
        if folds < 2 or len(self.classes) < 3:
            return 1.0
        scores = np.zeros((len(y), len(self.classes)))
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=_SEED).split(x, y):
            svm = LinearSVC(C=self.c, random_state=_SEED).fit(x[train], y[train])
            scores[test] = svm.decision_function(x[test])
        return fit_temperature(scores, y)

    def predict(self, blocks: Blocks) -> np.ndarray:
        """(messages x classes) probabilities, in the order of `classes`."""
        x = self._features(blocks)
        return softmax(np.asarray(x @ self.coef.T) + self.intercept, self.temperature)

    def to_arrays(self) -> Dict[str, np.ndarray]:
        return {
            "classes": np.array(self.classes, dtype=str),
            "block_names": np.array(list(self.widths), dtype=str),
            "block_widths": np.array(list(self.widths.values()), dtype=np.int64),
            "coef": self.coef,
            "intercept": self.intercept,
            "temperature": np.array([self.temperature]),
            **{f"centre:{name}": centre for name, centre in self.centres.items()},
            **(self.neighbours.to_arrays() if self.neighbours else {}),
        }

    @classmethod
    def from_arrays(
        cls,
        arrays: Mapping[str, np.ndarray],
        weights: Mapping[str, float],
        c: float,
        centred: Sequence[str] = (),
        neighbours: Optional[Mapping[str, Any]] = None,
    ) -> "LinearIntentModel":
        model = cls(weights, c, centred, neighbours)
        model.classes = [str(name) for name in arrays["classes"]]
        model.widths = {str(n): int(w) for n, w in zip(arrays["block_names"], arrays["block_widths"])}
        model.coef = np.asarray(arrays["coef"], dtype=np.float32)
        model.intercept = np.asarray(arrays["intercept"], dtype=np.float32)
        model.temperature = float(arrays["temperature"][0])
        model.centres = {
            key.split(":", 1)[1]: np.asarray(arrays[key], dtype=np.float32) for key in arrays if key.startswith("centre:")
        }
        if "neighbour_rows" in arrays and model.neighbour_config.get("block"):
            model.neighbours = Neighbours.from_arrays(arrays, len(model.classes))
        return model


def ranking(classes: Sequence[str], probabilities: np.ndarray, length: int) -> List[Tuple[str, float]]:
    order = np.argsort(-probabilities, kind="stable")[:length]
    return [(classes[i], float(probabilities[i])) for i in order]
