"""Asks the sentence encoder's own process (nlu/encoder_worker.py) for vectors, and keeps one alive.

If the worker dies or hangs on a message, the Rasa process does not: the
worker is started again, the other messages of the batch are asked one by one,
and the message it stopped on gets an empty meaning row. The intent
classifiers still see its words, characters and rule features.
"""

from __future__ import annotations

import json
import logging
import os
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Sequence

import numpy as np

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 120.0
# A request may take this long plus a second a text (64 tokens take about 0.1 s).
REQUEST_SECONDS = 20.0


class WorkerLost(Exception):
    """The worker ended, hung or answered out of protocol."""


class EncoderProcess:
    """One encoder worker, used by one thread at a time."""

    def __init__(self, threads: int, module: str = "nlu.encoder_worker") -> None:
        self.threads = threads
        self.module = module
        self.dimension = 0
        self.restarts = 0
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()
        try:
            self._start()
        except WorkerLost as lost:
            raise RuntimeError(f"the sentence encoder could not start: {lost}") from None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(texts x dimension) unit vectors; a zero row for a text the worker could not take."""
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        with self._lock:
            try:
                return self._ask(list(texts))
            except WorkerLost as lost:
                self._discard(lost)
            return np.vstack([self._ask_alone(text) for text in texts])

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            process.stdin.close()
            process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def _ask_alone(self, text: str) -> np.ndarray:
        try:
            return self._ask([text])
        except WorkerLost as lost:
            self._discard(lost)
            logger.warning("The sentence encoder could not take one message; its meaning row is left empty.")
            return np.zeros((1, self.dimension), np.float32)

    def _ask(self, texts: list[str]) -> np.ndarray:
        if self._process is None:
            self._start()
        body = json.dumps(texts).encode()
        try:
            self._process.stdin.write(struct.pack(">I", len(body)) + body)
            self._process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise WorkerLost(f"could not write: {error.__class__.__name__}") from None
        answer = self._read_frame(time.monotonic() + REQUEST_SECONDS + len(texts))
        expected = len(texts) * self.dimension * 4
        if len(answer) != expected:
            raise WorkerLost(f"answer of {len(answer)} bytes, expected {expected}")
        return np.frombuffer(answer, "<f4").reshape(len(texts), self.dimension).astype(np.float32)

    def _start(self) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "OMP_NUM_THREADS": str(self.threads),
            "OPENBLAS_NUM_THREADS": "1",
        }
        self._process = subprocess.Popen(
            [sys.executable, "-m", self.module, str(self.threads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT, env=env, bufsize=0,
        )
        try:
            self.dimension = int(json.loads(self._read_frame(time.monotonic() + START_SECONDS)))
        except (WorkerLost, ValueError) as error:
            self._process.kill()
            self._process.wait()
            self._process = None
            raise WorkerLost(f"did not start: {error}") from None

    def _discard(self, lost: WorkerLost) -> None:
        """Ends a worker that failed; the next request starts a new one."""
        self.restarts += 1
        process, self._process = self._process, None
        code = None
        if process is not None:
            process.kill()
            code = process.wait()
        logger.warning("The sentence encoder's process stopped (%s, exit %s); a new one takes over.", lost, code)

    def _read_frame(self, deadline: float) -> bytes:
        (length,) = struct.unpack(">I", self._read_exactly(4, deadline))
        return self._read_exactly(length, deadline)

    def _read_exactly(self, size: int, deadline: float) -> bytes:
        fd = self._process.stdout.fileno()
        chunks, got = [], 0
        while got < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerLost("no answer in time")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, size - got)
            if not chunk:
                raise WorkerLost("ended")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)
