"""No message, however hostile, crashes or breaks the NLU pipeline (`make bench` runs 200,000)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fuzz_text import messages

ROOT = Path(__file__).resolve().parents[2]
COUNT = int(os.environ.get("DOEMEE_FUZZ_COUNT", "10000"))
SEED = 2026


@pytest.mark.skipif(not list((ROOT / "models").glob("*.tar.gz")), reason="needs a trained model (make model)")
def test_hostile_messages_go_through_every_component_without_a_crash(tmp_path):
    progress = tmp_path / "progress"
    result = subprocess.run(
        [sys.executable, "-m", "tests.nlu.fuzz_pipeline", "--count", str(COUNT), "--seed", str(SEED),
         "--progress", str(progress)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"},
        capture_output=True, text=True, timeout=3600,
    )
    if result.returncode != 0:
        start = int(progress.read_text()) if progress.exists() else 0
        batch = list(messages(COUNT, SEED))[start : start + 16]
        pytest.fail(f"exit {result.returncode} at messages {start}..{start + 15} (seed {SEED}): "
                    f"{[m[:80] for m in batch]!r}\n{result.stdout[-1500:]}\n{result.stderr[-3000:]}")
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["parsed"] == COUNT
    assert summary["encoder_restarts"] == 0
