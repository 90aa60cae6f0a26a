"""`make bench`: every benchmark in one run, then one table of every target.

Parts: geo, matching (SQLite and PostgreSQL), portal (every staff page, both databases), chat (greeting against search,
memory, the gateway on the same stack, `rasa train`), cluster (50 residents for 5 minutes on the loopback
cluster; one Rasa instance against two), fuzz (200,000 hostile
messages through the NLU pipeline, about two hours; the sentence encoder's cost). Select parts by name:
`python -m bench matching chat`; `gateway` alone runs the gateway benchmark on
its own stack. `--skip-train` (or DOEMEE_BENCH_SKIP_TRAIN=1) leaves out the
training run. A part that fails is reported and the rest still runs.

Targets (issue texts): matching p95 < 20 ms on 100,000 opportunities;
every portal page p95 < 150 ms with 100,000 opportunities and 1,000,000 searches;
a search turn's p50 within 1.5x a greeting's; the stack under 2 GB;
the gateway adds < 10% to Rasa's p50; `rasa train` under 6 minutes; no crash
in 200,000 fuzzed messages.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results" / "bench.json"
PARTS = ("geo", "matching", "portal", "chat", "gateway", "cluster", "fuzz")
DEFAULT_PARTS = ("geo", "matching", "portal", "chat", "cluster", "fuzz")


def _runner(part: str, flags: list[str]) -> Callable[[], object]:
    if part == "geo":
        from bench import geo_bench
        return geo_bench.main
    if part == "matching":
        from bench import matching_bench
        return matching_bench.main
    if part == "portal":
        from bench import portal_bench
        return portal_bench.main
    if part == "chat":
        from bench import chat_bench
        return lambda: chat_bench.main(flags)
    if part == "fuzz":
        from bench import fuzz_bench
        return fuzz_bench.main
    if part == "cluster":
        from bench import cluster_bench
        return cluster_bench.main
    from bench import gateway_bench
    return gateway_bench.main


def _row(target: str, value: str, met: bool | None) -> tuple[str, str, str]:
    return target, value, "-" if met is None else ("PASS" if met else "MISS")


def summary_rows(report: dict) -> list[tuple[str, str, str]]:
    """(target, measured, PASS/MISS) for every target whose part ran."""
    rows = []
    for result in report.get("matching") or []:
        rows.append(_row(f"matching p95 < {result['target_p95_ms']:g} ms ({result['database']}, "
                         f"{result['opportunities']:,} rows)",
                         f"{result['find']['p95_ms']:.2f} ms", result["meets_target"]))
    for result in report.get("portal") or []:
        missed = [f"{p['page']} ({p['member']})" for p in result["pages"] if not p["target_met"]]
        shown = f"slowest p95 {result['slowest_p95_ms']:.0f} ms of {len(result['pages'])} pages"
        rows.append(_row(f"portal pages p95 < {result['target_p95_ms']:g} ms ({result['database']}, "
                         f"{result['opportunities']:,} rows, {result['searches']:,} searches)",
                         shown + (f"; missed: {', '.join(missed)}" if missed else ""), result["target_met"]))
    chat = (report.get("chat") or {}).get("chat")
    if chat:
        for concurrency, figures in chat["levels"].items():
            ratio = figures["ratio_search_over_greeting_p50"]
            ok = ratio is not None and ratio <= chat["target_ratio"] and chat["failures"] == 0
            rows.append(_row(f"search p50 / greeting p50 <= {chat['target_ratio']} ({concurrency} conc.)",
                             f"{ratio} ({figures['search']['p50_ms']} / {figures['greeting']['p50_ms']} ms)", ok))
        memory = chat["memory_mb"]
        parts = ", ".join(f"{name} {mb}" for name, mb in memory["peak"].items())
        rows.append(_row(f"stack resident memory < {chat['target_stack_mb']} MB",
                         f"{memory['peak_total']} MB peak ({parts})", chat["memory_target_met"]))
    gateway = (report.get("chat") or {}).get("gateway") or report.get("gateway")
    if gateway:
        overhead = gateway["overhead_p50"]
        shown = f"{overhead * 100:+.1f}%" if overhead is not None else "-"
        rows.append(_row(f"gateway adds < {gateway['target_overhead_p50']:.0%} to p50 "
                         f"({gateway['concurrency']} conc.)", shown, gateway["target_met"]))
    train = (report.get("chat") or {}).get("train")
    if train:
        rows.append(_row(f"rasa train from scratch < {train['target_s'] // 60} min ({train['cores']} cores)",
                         f"{train['seconds'] / 60:.1f} min ({train['seconds']:.0f} s)", train["target_met"]))
    cluster = report.get("cluster")
    if cluster:
        load = cluster["load"]
        rows.append(_row(f"{load['residents']} residents for {load['seconds'] / 60:g} min on the cluster: "
                         "0 errors, every confirmed sign-up stored once",
                         f"{load['errors']} errors, {load['confirmed_sign_ups']} sign-ups "
                         f"({load['confirmed_not_stored_exactly_once']} not stored once); "
                         f"p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms", load["target_met"]))
        for level, figures in cluster["throughput"].items():
            rows.append(_row(f"chat throughput, {level}",
                             f"{figures['messages_per_second']} msg/s, p50 {figures['p50_ms']} ms, "
                             f"p95 {figures['p95_ms']} ms, {figures['failures']} failed", None))
    fuzz = report.get("fuzz")
    if fuzz:
        rows.append(_row(f"no crash in {fuzz['messages']:,} fuzzed messages",
                         f"{fuzz['fuzzed']:,} fuzzed ({fuzz['kept_chunks']} chunks kept from earlier runs), "
                         f"{fuzz['crashed_chunks']} crashed chunks, {fuzz['encoder_restarts']} encoder restarts, "
                         f"{fuzz['parsed']:,} parsed; this run {fuzz['seconds'] / 60:.0f} min", fuzz["target_met"]))
    for part, error in report.get("errors", {}).items():
        rows.append(_row(f"{part} benchmark", f"failed: {error}", False))
    return rows


def format_summary(rows: list[tuple[str, str, str]]) -> str:
    width = max([len("target")] + [len(r[0]) for r in rows])
    value_width = max([len("measured")] + [len(r[1]) for r in rows])
    lines = [f"{'target':<{width}}  {'measured':<{value_width}}  result", "-" * (width + value_width + 10)]
    lines += [f"{t:<{width}}  {v:<{value_width}}  {verdict}" for t, v, verdict in rows]
    return "\n".join(lines)


def _save(report: dict) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, default=str))


def main(argv: list[str]) -> int:
    flags = [a for a in argv if a.startswith("-")]
    names = [a for a in argv if not a.startswith("-")]
    unknown = [n for n in names if n not in PARTS]
    if unknown:
        print(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}", file=sys.stderr)
        return 2
    selected = [p for p in PARTS if p in names] if names else list(DEFAULT_PARTS)
    report: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "cores": os.cpu_count(),
                    "load_average_start": [round(x, 2) for x in os.getloadavg()], "errors": {}}
    for part in selected:
        print(f"\n=== {part} ===", flush=True)
        started = time.perf_counter()
        try:
            report[part] = _runner(part, flags)()
        except Exception as error:  # one broken part must not cost the hour the others took
            traceback.print_exc()
            report["errors"][part] = f"{type(error).__name__}: {error}"[:300]
        print(f"({part}: {time.perf_counter() - started:.0f} s)", flush=True)
        _save(report)
    report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    rows = summary_rows(report)
    report["summary"] = [{"target": t, "measured": v, "result": r} for t, v, r in rows]
    _save(report)
    print(f"\n=== summary ({report['cores']} cores; load average at start {report['load_average_start'][0]}, "
          f"at end {report['load_average_end'][0]}) ===")
    print(format_summary(rows) if rows else "(the selected parts have no targets)")
    print(f"\nAll figures: {RESULTS.relative_to(ROOT)}")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
