"""How close a message is to the nearest training examples of each intent, as features.

A linear model draws one boundary per intent through the sentence-embedding
space, but an intent such as `help` or `out_of_scope` is many small islands
("moet ik betalen", "ik zie geen knoppen", "wat is de hoofdstad"). The mean
similarity to an intent's k nearest examples tells the classifier "this looks
like some of those", whichever island it is. During training every example
leaves itself out, so the model learns from what unseen messages will get.
"""

from __future__ import annotations

from typing import Dict, Sequence

import numpy as np
from sklearn.preprocessing import normalize


class Neighbours:
    """The training rows of one dense block (centred, unit length) and their intents."""

    def __init__(self, rows: np.ndarray, labels: np.ndarray, classes: int, k: int) -> None:
        self.rows = np.asarray(rows, dtype=np.float32)
        self.labels = np.asarray(labels, dtype=np.int64)
        self.classes = classes
        self.k = k

    @classmethod
    def fit(cls, rows: np.ndarray, labels: Sequence[int], classes: int, k: int) -> "Neighbours":
        return cls(normalize(np.asarray(rows, dtype=np.float32)), np.asarray(labels), classes, k)

    def features(self, rows: np.ndarray, leave_self_out: bool = False) -> np.ndarray:
        """The similarities relative to the message's own mean, unit length: which intents it is nearer to."""
        near = self.similarities(rows, leave_self_out)
        return normalize(near - near.mean(axis=1, keepdims=True))

    def similarities(self, rows: np.ndarray, leave_self_out: bool = False) -> np.ndarray:
        """(messages x intents): mean cosine to each intent's k nearest examples."""
        similarity = normalize(np.asarray(rows, dtype=np.float32)) @ self.rows.T
        if leave_self_out:
            np.fill_diagonal(similarity, -1.0)
        out = np.zeros((similarity.shape[0], self.classes), dtype=np.float32)
        for intent in range(self.classes):
            columns = similarity[:, self.labels == intent]
            if columns.shape[1]:
                k = min(self.k, columns.shape[1])
                out[:, intent] = np.partition(columns, columns.shape[1] - k, axis=1)[:, -k:].mean(axis=1)
        return out

    def to_arrays(self) -> Dict[str, np.ndarray]:
        return {"neighbour_rows": self.rows, "neighbour_labels": self.labels, "neighbour_k": np.array([self.k])}

    @classmethod
    def from_arrays(cls, arrays, classes: int) -> "Neighbours":
        return cls(arrays["neighbour_rows"], arrays["neighbour_labels"], classes, int(arrays["neighbour_k"][0]))
