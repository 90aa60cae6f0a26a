"""What the web gateway adds: a chat turn through POST /api/chat next to Rasa's REST channel.

Both paths run in the same process against the same running stack, side by
side: each round is 20 concurrent conversations of two turns (a greeting and
a search), half of them through each path, so both wait in the same queue in
Rasa. In rounds of one path at a time, a slow stretch of the machine fell on
one path and moved the figure between -8% and +11% from run to run. Target:
the gateway adds under 10% to p50.

`run(stack)` measures a stack someone else started; start it with
`extra_env=STACK_ENV`, or the gateway's per-IP limit (meant for a public
widget) refuses most of these 20 conversations from one loopback address.
`python -m bench.gateway_bench` starts its own stack on a copy of the demo data.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

CONCURRENCY = 20
ROUNDS = 12
WARMUP_ROUNDS = 1
TARGET_OVERHEAD = 0.10
CENTRE = "utrecht"
TURNS: tuple[tuple[str, str], ...] = (
    ("greeting", "hallo"),
    ("search", "ik wil helpen met tuinieren in 3511"),
)
STACK_ENV = {"DOEMEE_RATE_PER_IP": "1000000", "DOEMEE_RATE_PER_SENDER": "1000000"}


@dataclass
class Samples:
    """Latencies in milliseconds per turn kind, and what went wrong."""

    by_turn: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind, _ in TURNS})
    failures: list[str] = field(default_factory=list)

    def all(self) -> list[float]:
        return [ms for values in self.by_turn.values() for ms in values]


class Target:
    """One way into the chatbot: the gateway's widget endpoint or Rasa's REST channel."""

    def __init__(self, name: str, url: str, body) -> None:
        self.name = name
        self.url = url
        self.body = body
        self.samples = Samples()

    async def turn(self, client: httpx.AsyncClient, sender: str, kind: str, text: str, record: bool) -> None:
        started = time.perf_counter()
        try:
            response = await client.post(self.url, json=self.body(sender, text))
            ok = response.status_code == 200 and isinstance(response.json(), list) and response.json()
            failure = None if ok else f"{kind}: HTTP {response.status_code}"
        except httpx.HTTPError as error:
            failure = f"{kind}: {type(error).__name__}"
        elapsed = (time.perf_counter() - started) * 1000
        if not record:
            return
        if failure:
            self.samples.failures.append(failure)
        else:
            self.samples.by_turn[kind].append(elapsed)

    async def conversation(self, client: httpx.AsyncClient, record: bool) -> None:
        sender = "web-" + secrets.token_hex(16)
        for kind, text in TURNS:
            await self.turn(client, sender, kind, text, record)


def _targets(gateway_url: str, rasa_url: str, municipalities: list[str]) -> tuple[Target, Target]:
    gateway = Target(
        "gateway", f"{gateway_url}/api/chat",
        lambda sender, text: {"sender": sender, "message": text, "centre": CENTRE},
    )
    # Rasa directly, with the metadata the gateway would add, so both do the same work.
    direct = Target(
        "direct", f"{rasa_url}/webhooks/rest/webhook",
        lambda sender, text: {"sender": sender, "message": text,
                              "metadata": {"channel": "web", "centre": CENTRE, "municipalities": municipalities}},
    )
    return gateway, direct


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _summary(values: list[float]) -> dict:
    p50, p95 = _percentile(values, 50), _percentile(values, 95)
    return {"n": len(values), "p50_ms": round(p50, 1) if p50 else None, "p95_ms": round(p95, 1) if p95 else None}


def _overhead(pair: dict) -> float | None:
    g50, d50 = pair["gateway"]["p50_ms"], pair["direct"]["p50_ms"]
    return round(g50 / d50 - 1, 3) if g50 and d50 else None


async def _measure(gateway: Target, direct: Target) -> None:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(timeout=120, limits=limits, trust_env=False) as client:
        for number in range(WARMUP_ROUNDS + ROUNDS):
            record = number >= WARMUP_ROUNDS
            paths = (gateway, direct) if number % 2 == 0 else (direct, gateway)
            await asyncio.gather(*(paths[i % 2].conversation(client, record) for i in range(CONCURRENCY)))


def run(stack) -> dict:
    """Measures `stack` (a started scripts.stack.Stack with Rasa, actions and gateway)."""
    from bot.web.centres import load_centres
    from bot.web.config import GatewayConfig

    config = GatewayConfig.from_env({**os.environ, **stack.extra_env})
    municipalities = list(load_centres(config.centres_file)[CENTRE].municipalities)
    gateway, direct = _targets(stack.gateway_url, stack.rasa_url, municipalities)
    started = time.perf_counter()
    asyncio.run(_measure(gateway, direct))
    refused = sum("HTTP 429" in f for f in gateway.samples.failures)
    if refused:
        raise RuntimeError(
            f"the gateway refused {refused} turns with 429: start the stack with "
            "extra_env=bench.gateway_bench.STACK_ENV so its per-IP limit allows a benchmark"
        )
    result = {
        "concurrency": CONCURRENCY,
        "conversations_per_path": CONCURRENCY * ROUNDS // 2,
        "turns": {kind: text for kind, text in TURNS},
        "gateway": _summary(gateway.samples.all()),
        "direct": _summary(direct.samples.all()),
        "by_turn": {
            kind: {"gateway": _summary(gateway.samples.by_turn[kind]), "direct": _summary(direct.samples.by_turn[kind])}
            for kind, _ in TURNS
        },
        "failures": {"gateway": len(gateway.samples.failures), "direct": len(direct.samples.failures)},
        "seconds": round(time.perf_counter() - started, 1),
    }
    result["overhead_p50_by_turn"] = {kind: _overhead(result["by_turn"][kind]) for kind, _ in TURNS}
    # The turns' p50s summed, not the p50 of both kinds mixed: a greeting and a
    # search differ tenfold, and the median of the mix falls in the gap between them.
    g50 = sum(result["by_turn"][kind]["gateway"]["p50_ms"] or 0 for kind, _ in TURNS)
    d50 = sum(result["by_turn"][kind]["direct"]["p50_ms"] or 0 for kind, _ in TURNS)
    result["overhead_p50"] = round(g50 / d50 - 1, 3) if g50 and d50 else None
    result["target_overhead_p50"] = TARGET_OVERHEAD
    result["target_met"] = result["overhead_p50"] is not None and result["overhead_p50"] < TARGET_OVERHEAD
    return result


def report(result: dict) -> str:
    lines = [
        f"{result['concurrency']} concurrent conversations, {result['conversations_per_path']} per path, "
        f"turns: {', '.join(result['turns'])}",
        f"{'path':<10}{'turn':<10}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}",
    ]
    for path in ("gateway", "direct"):
        for kind in result["turns"]:
            s = result["by_turn"][kind][path]
            lines.append(f"{path:<10}{kind:<10}{s['n']:>6}{s['p50_ms'] or '-':>10}{s['p95_ms'] or '-':>10}")
        s = result[path]
        lines.append(f"{path:<10}{'all':<10}{s['n']:>6}{s['p50_ms'] or '-':>10}{s['p95_ms'] or '-':>10}")
    by_turn = ", ".join(
        f"{kind} {value * 100:+.1f}%" for kind, value in result["overhead_p50_by_turn"].items() if value is not None
    )
    overhead = result["overhead_p50"]
    verdict = "met" if result["target_met"] else "NOT met"
    shown = f"{overhead * 100:+.1f}%" if overhead is not None else "-"
    lines.append(f"gateway overhead at p50: {shown} ({by_turn}; target < {TARGET_OVERHEAD:.0%}: {verdict})")
    lines.append(f"failures: {result['failures']}; {result['seconds']} s")
    return "\n".join(lines)


def main() -> dict:
    """Starts a stack on a copy of the demo data, measures, prints and returns the figures."""
    from scripts.stack import ROOT, Stack

    with tempfile.TemporaryDirectory(prefix="doemee-bench-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'doemee.db'}"
        env = {**os.environ, "DOEMEE_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
        subprocess.run([str(ROOT / "bin" / "doemee"), "setup"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        stack = Stack(database_url=database_url, tracker_db=Path(folder) / "tracker.db",
                      log_dir=Path(folder) / "log", extra_env=dict(STACK_ENV))
        with stack:
            result = run(stack)
    print(report(result), flush=True)
    return result


if __name__ == "__main__":
    figures = main()
    if "--json" in sys.argv:
        print(json.dumps(figures, indent=2))
