"""The NLU fuzz at full size: 200,000 hostile messages through every component, plus the encoder's cost.

Runs in chunks of CHUNK messages, each in its own Rasa-environment child
(tests/nlu/fuzz_pipeline.py) with its own seed, so a crash names its chunk
and one bad chunk does not hide the rest.

Nearly every fuzzed text fills the sentence encoder's 64 tokens, and one
such text costs the encoder about 0.15 s of one core: 200,000 of them are
hours of work on two cores, more than one sitting. So the chunks run two at
a time and each finished chunk is kept in results/fuzz/, named by its seed
and stamped with a fingerprint of the code that parsed it (the Rasa
environment's lock file, config.yml, the nlu/ package and the fuzz
generator). A later run skips the chunks whose fingerprint still matches
and runs the rest; the model's weights are not in the fingerprint, since
crashes live in native code paths, not in numbers. The report counts only
chunks of the current fingerprint.

DOEMEE_BENCH_FUZZ_COUNT changes the total, DOEMEE_BENCH_FUZZ_MINUTES stops
starting new chunks after that many minutes (the running ones finish), and
DOEMEE_BENCH_FUZZ_FRESH=1 ignores the kept chunks.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
KEPT = ROOT / "results" / "fuzz"
TOTAL = int(os.environ.get("DOEMEE_BENCH_FUZZ_COUNT", "200000"))
MINUTES = float(os.environ.get("DOEMEE_BENCH_FUZZ_MINUTES", "0") or 0)
FRESH = os.environ.get("DOEMEE_BENCH_FUZZ_FRESH") == "1"
CHUNK = 10_000
FIRST_SEED = 1_000
AT_ONCE = 2
CHUNK_TIMEOUT = 4 * 3600


def fingerprint() -> str:
    """What decides whether a message can crash the parse: the code, not the trained weights."""
    digest = hashlib.sha256()
    files = [ROOT / "requirements" / "rasa.lock", ROOT / "config.yml", ROOT / "tests" / "support" / "fuzz_text.py",
             *sorted((ROOT / "nlu").rglob("*.py"))]
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}


def _kept(seed: int, count: int, stamp: str) -> dict | None:
    path = KEPT / f"{seed}.json"
    if FRESH or not path.exists():
        return None
    try:
        chunk = json.loads(path.read_text())
    except ValueError:
        return None
    return chunk if chunk.get("fingerprint") == stamp and chunk.get("count") == count else None


def _finish(process: subprocess.Popen, seed: int, count: int, stamp: str, started: float) -> dict:
    try:
        stdout, _ = process.communicate(timeout=max(1.0, CHUNK_TIMEOUT - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, _ = process.communicate()
    lines = (stdout or "").strip().splitlines()
    summary = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    chunk = {"seed": seed, "count": count, "exit": process.returncode, "fingerprint": stamp,
             "finished": time.strftime("%Y-%m-%d %H:%M:%S"), **summary}
    KEPT.mkdir(parents=True, exist_ok=True)
    (KEPT / f"{seed}.json").write_text(json.dumps(chunk, indent=1))
    print(f"fuzz chunk seed {seed}: {count} messages, exit {process.returncode}, {summary}", flush=True)
    return chunk


def run() -> dict:
    stamp, started = fingerprint(), time.monotonic()
    plan = [(FIRST_SEED + n, min(CHUNK, TOTAL - start)) for n, start in enumerate(range(0, TOTAL, CHUNK))]
    chunks: dict[int, dict] = {}
    waiting = []
    for seed, count in plan:
        kept = _kept(seed, count, stamp)
        if kept is not None:
            chunks[seed] = {**kept, "kept": True}
        else:
            waiting.append((seed, count))
    running: dict[int, tuple[subprocess.Popen, int, float]] = {}
    while waiting or running:
        out_of_time = MINUTES > 0 and time.monotonic() - started > MINUTES * 60
        while waiting and len(running) < AT_ONCE and not out_of_time:
            seed, count = waiting.pop(0)
            process = subprocess.Popen(
                [str(RASA_PY), "-m", "tests.nlu.fuzz_pipeline", "--count", str(count), "--seed", str(seed)],
                cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            )
            running[seed] = (process, count, time.monotonic())
        if out_of_time and not running:
            break
        for seed, (process, count, begun) in list(running.items()):
            if process.poll() is not None or time.monotonic() - begun > CHUNK_TIMEOUT:
                chunks[seed] = _finish(process, seed, count, stamp, begun)
                del running[seed]
        time.sleep(1.0)
    done = [chunks[seed] for seed, _ in plan if seed in chunks]
    crashes = sum(1 for c in done if c["exit"] != 0)
    cost = subprocess.run([str(RASA_PY), "-m", "bench.encoder_cost"], cwd=ROOT, capture_output=True, text=True,
                          timeout=1800, env=_env())
    fuzzed = sum(c["count"] for c in done)
    return {
        "messages": TOTAL, "fuzzed": fuzzed, "parsed": sum(c.get("parsed", 0) for c in done),
        "crashed_chunks": crashes, "encoder_restarts": sum(c.get("encoder_restarts", 0) for c in done),
        "kept_chunks": sum(1 for c in done if c.get("kept")), "fingerprint": stamp,
        "seconds": round(time.monotonic() - started), "chunks": done,
        "encoder_cost": json.loads(cost.stdout.strip().splitlines()[-1]) if cost.returncode == 0 else None,
        "target_met": fuzzed == TOTAL and crashes == 0 and all(c.get("encoder_restarts", 1) == 0 for c in done),
    }


def main() -> dict:
    return run()


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
