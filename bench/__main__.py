"""`make bench`: every benchmark in one run, each reported as figures and ratios.

Targets (issue texts): matching p95 < 20 ms on 100,000 opportunities;
a search turn's p50 within 1.5x a greeting's; the stack under 2 GB;
the gateway adds < 10% to Rasa's p50.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

BENCHMARKS = ("bench.geo_bench", "bench.matching_bench", "bench.chat_bench")


def main(argv: list[str]) -> int:
    selected = [b for b in BENCHMARKS if not argv or any(a in b for a in argv)]
    report: dict[str, dict] = {}
    for name in selected:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        print(f"\n=== {name.split('.')[-1]} ===", flush=True)
        report[name] = module.main()
    out = Path("results") / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nAll figures: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
