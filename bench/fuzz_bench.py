"""The NLU fuzz at full size: 200,000 hostile messages through every component, plus the encoder's cost.

Runs in chunks of CHUNK messages, each in its own Rasa-environment child
(tests/nlu/fuzz_pipeline.py) with its own seed, so a crash names its chunk
and one bad chunk does not hide the rest. DOEMEE_BENCH_FUZZ_COUNT changes the
total. Takes about two hours on two cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
TOTAL = int(os.environ.get("DOEMEE_BENCH_FUZZ_COUNT", "200000"))
CHUNK = 20_000
FIRST_SEED = 1_000


def _rasa_env(module: str, *args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(RASA_PY), "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"},
    )


def run() -> dict:
    chunks, started = [], time.monotonic()
    for number, start in enumerate(range(0, TOTAL, CHUNK)):
        count, seed = min(CHUNK, TOTAL - start), FIRST_SEED + number
        result = _rasa_env("tests.nlu.fuzz_pipeline", "--count", str(count), "--seed", str(seed), timeout=4 * 3600)
        lines = result.stdout.strip().splitlines()
        summary = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
        chunks.append({"seed": seed, "count": count, "exit": result.returncode, **summary})
        print(f"fuzz chunk seed {seed}: {count} messages, exit {result.returncode}, {summary}", flush=True)
    crashes = sum(1 for c in chunks if c["exit"] != 0)
    cost = _rasa_env("bench.encoder_cost", timeout=1800)
    return {
        "messages": TOTAL, "parsed": sum(c.get("parsed", 0) for c in chunks), "crashed_chunks": crashes,
        "encoder_restarts": sum(c.get("encoder_restarts", 0) for c in chunks),
        "seconds": round(time.monotonic() - started), "chunks": chunks,
        "encoder_cost": json.loads(cost.stdout.strip().splitlines()[-1]) if cost.returncode == 0 else None,
        "target_met": crashes == 0 and all(c.get("encoder_restarts", 1) == 0 for c in chunks),
    }


def main() -> dict:
    return run()


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
