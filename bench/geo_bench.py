"""Geography: how long the index takes to build, what it holds in memory, how fast it answers.

Cold loads run in fresh interpreters (import plus build, as a starting
process pays them); warm loads rebuild in this process. Resolve latency is
measured per kind of question, since exact names and postcodes are dict
lookups and only typos reach rapidfuzz.

Run: `.venv/bin/python -m bench.geo_bench`.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from doemee.geo.index import GeoIndex
from doemee.settings import PROJECT_ROOT, get_settings

COLD_LOADS = 5
WARM_LOADS = 3
QUERIES_PER_KIND = 2_000
SEED = 20261127

_COLD_SCRIPT = """
import json, sys, time
def rss():
    try:
        import psutil
        return psutil.Process().memory_info().rss
    except ImportError:
        with open("/proc/self/statm") as f:
            import os
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
before = rss()
start = time.perf_counter()
from doemee.geo.index import GeoIndex
imported = time.perf_counter()
index = GeoIndex.load(sys.argv[1])
done = time.perf_counter()
print(json.dumps({"import_s": imported - start, "build_s": done - imported, "total_s": done - start,
                  "rss_delta_bytes": rss() - before}))
"""


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def cold_loads(geo_dir: Path, runs: int = COLD_LOADS) -> list[dict]:
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _COLD_SCRIPT, str(geo_dir)],
            cwd=PROJECT_ROOT,
            env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(done.stdout))
    return results


def warm_loads(geo_dir: Path, runs: int = WARM_LOADS) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        GeoIndex.load(geo_dir)
        times.append(time.perf_counter() - start)
    return times


def traced_peak(geo_dir: Path) -> tuple[int, int]:
    """(peak bytes while building, bytes still held by the built index) as tracemalloc sees them."""
    tracemalloc.start()
    try:
        index = GeoIndex.load(geo_dir)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del index
    return peak, held


def _typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1:]


def queries(index: GeoIndex, rng: random.Random, per_kind: int = QUERIES_PER_KIND) -> dict[str, list[str]]:
    names = index.names()
    pc4s = [str(code) for code in range(1000, 10000) if index.postcode(str(code)) is not None]
    long_names = [n for n in names if len(n) >= 8 and n.isascii()]
    letters = "ABCDEFGHJKLMNPRTUVWXZ"
    return {
        "pc4": [rng.choice(pc4s) for _ in range(per_kind)],
        "pc6": [f"{rng.choice(pc4s)}{rng.choice(letters)}{rng.choice(letters)}".lower() for _ in range(per_kind)],
        "place": [rng.choice(names).lower() for _ in range(per_kind)],
        "typo": [_typo(rng.choice(long_names), rng) for _ in range(per_kind)],
        "unknown": ["".join(rng.choice("bcdfghklmnpqrstvwxz") for _ in range(rng.randint(5, 14))) for _ in range(per_kind)],
    }


def resolve_latency(index: GeoIndex, mix: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    everything: list[float] = []
    for kind, texts in mix.items():
        timings = []
        for text in texts:
            start = time.perf_counter()
            index.resolve(text)
            timings.append((time.perf_counter() - start) * 1e6)
        everything.extend(timings)
        figures[kind] = {"p50_us": _percentile(timings, 0.5), "p95_us": _percentile(timings, 0.95)}
    figures["all"] = {"p50_us": _percentile(everything, 0.5), "p95_us": _percentile(everything, 0.95)}
    return figures


def run(geo_dir: Path | None = None) -> dict:
    """Every figure of the geography benchmark, as plain numbers."""
    geo_dir = Path(geo_dir or get_settings().geo_dir)
    cold = cold_loads(geo_dir)
    warm = warm_loads(geo_dir)
    peak, held = traced_peak(geo_dir)
    index = GeoIndex.load(geo_dir)
    mix = queries(index, random.Random(SEED))
    return {
        "cold_load_s_median": statistics.median(c["total_s"] for c in cold),
        "cold_build_s_median": statistics.median(c["build_s"] for c in cold),
        "cold_rss_delta_mb_median": statistics.median(c["rss_delta_bytes"] for c in cold) / 2**20,
        "warm_load_s_median": statistics.median(warm),
        "tracemalloc_peak_mb": peak / 2**20,
        "tracemalloc_held_mb": held / 2**20,
        "names": len(index.names()),
        "resolve": resolve_latency(index, mix),
        "queries_per_kind": QUERIES_PER_KIND,
    }


def main() -> dict:
    figures = run()
    print(f"index load, cold process (median of {COLD_LOADS}): {figures['cold_load_s_median'] * 1000:.0f} ms "
          f"(build {figures['cold_build_s_median'] * 1000:.0f} ms)")
    print(f"index load, warm (median of {WARM_LOADS}): {figures['warm_load_s_median'] * 1000:.0f} ms")
    print(f"memory: RSS +{figures['cold_rss_delta_mb_median']:.1f} MB; tracemalloc peak "
          f"{figures['tracemalloc_peak_mb']:.1f} MB, held {figures['tracemalloc_held_mb']:.1f} MB")
    print(f"resolve() latency over {QUERIES_PER_KIND} queries per kind:")
    for kind, numbers in figures["resolve"].items():
        print(f"  {kind:8} p50 {numbers['p50_us']:8.1f} us   p95 {numbers['p95_us']:8.1f} us")
    return figures


if __name__ == "__main__":
    main()
