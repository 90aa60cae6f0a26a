"""The loopback cluster under load (issue 19), part `cluster` of `make bench`.

1. Load: 50 residents at once for 5 minutes, each searching, signing up with
   a unique e-mail address and consenting, with 0.3-1.5 s to think between
   messages. Target: no errors, and every confirmed sign-up stored exactly once.
2. Throughput: closed-loop conversations (a greeting, then a search) straight
   to Rasa at 20 and 50 at once, against one instance and against two, on
   this 2-core machine; with each instance's memory.
3. Growth: tracker-store rows and bytes per conversation, from the load run,
   and what that means for a national deployment.

DOEMEE_BENCH_CLUSTER_SECONDS shortens the load run (default 300) and
DOEMEE_BENCH_CLUSTER_LEVEL_SECONDS each throughput level (default 45).
Results: results/cluster_bench.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import psutil
from sqlalchemy import create_engine, func, select, text

from bot.rasa_client import RasaClient, RasaUnavailable
from doemee.storage.models import SignUp
from tests.cluster.harness import APOLOGIES, SEARCH, Cluster, running_cluster

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results" / "cluster_bench.json"
RESIDENTS = 50
LOAD_SECONDS = float(os.environ.get("DOEMEE_BENCH_CLUSTER_SECONDS") or 300)
LEVEL_SECONDS = float(os.environ.get("DOEMEE_BENCH_CLUSTER_LEVEL_SECONDS") or 45)
THINK = (0.3, 1.5)
LEVELS = (20, 50)
ACTIVE_RESIDENTS = 100_000
CONVERSATIONS_PER_RESIDENT_PER_YEAR = 6


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)


class Load:
    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.confirmed: list[str] = []
        self.started_without_confirming: list[str] = []

    async def resident(self, client: httpx.AsyncClient, number: int, deadline: float) -> None:
        chance = random.Random(number)
        round_ = 0
        while time.monotonic() < deadline:
            sender = "web-" + secrets.token_hex(16)
            contact = f"load-{number}-{round_}-{secrets.token_hex(3)}@example.org"
            round_ += 1
            steps = [(SEARCH, "Meer info"), ("nummer 1", "Hoe heet je?"), ("Sam", "e-mailadres"),
                     (contact, "Sam"), ("ja", "Gelukt")]
            for message, expected in steps:
                said = await self.say(client, sender, message)
                if said is None or expected not in said:
                    self.errors.append(f"{message[:20]!r}: expected {expected!r}")
                    if message == "ja" or message == contact:
                        self.started_without_confirming.append(contact)
                    break
                if message == "ja":
                    self.confirmed.append(contact)
                await asyncio.sleep(chance.uniform(*THINK))

    async def say(self, client: httpx.AsyncClient, sender: str, message: str) -> str | None:
        started = time.monotonic()
        try:
            response = await client.post(f"{self.cluster.gateway_url}/api/chat", timeout=60,
                                         json={"sender": sender, "message": message, "centre": "utrecht"})
        except httpx.HTTPError as error:
            self.errors.append(type(error).__name__)
            return None
        self.latencies.append(time.monotonic() - started)
        if response.status_code != 200:
            self.errors.append(f"HTTP {response.status_code}")
            return None
        replies = response.json()
        texts = [reply.get("text", "") for reply in replies]
        if APOLOGIES & set(texts):
            self.errors.append("apology")
            return None
        return "\n".join(texts + [b["title"] for r in replies for b in r.get("buttons") or []])

    async def run(self) -> dict:
        deadline = time.monotonic() + LOAD_SECONDS
        limits = httpx.Limits(max_connections=RESIDENTS + 10)
        async with httpx.AsyncClient(limits=limits, trust_env=False) as client:
            await asyncio.gather(*(self.resident(client, n, deadline) for n in range(RESIDENTS)))
        stored = self._stored(self.confirmed + self.started_without_confirming)
        twice = [c for c in self.confirmed if stored.get(c, 0) != 1]
        unconfirmed = [c for c in self.started_without_confirming if stored.get(c, 0) > 1]
        return {
            "residents": RESIDENTS, "seconds": LOAD_SECONDS, "messages": len(self.latencies),
            "errors": len(self.errors), "error_kinds": sorted(set(self.errors))[:10],
            "confirmed_sign_ups": len(self.confirmed),
            "confirmed_not_stored_exactly_once": len(twice), "unconfirmed_stored_twice": len(unconfirmed),
            "p50_ms": _percentile(self.latencies, 0.5), "p95_ms": _percentile(self.latencies, 0.95),
            "target_met": not self.errors and not twice and not unconfirmed and bool(self.confirmed),
        }

    def _stored(self, contacts: list[str]) -> dict[str, int]:
        with self.cluster.database.session() as session:
            rows = session.execute(select(SignUp.contact, func.count()).where(SignUp.contact.in_(contacts))
                                   .group_by(SignUp.contact)).all()
        return {contact: count for contact, count in rows}


async def _throughput(urls: list[str], concurrency: int) -> dict:
    """Closed loop: each conversation greets, searches, and starts again, with no pause."""
    latencies: list[float] = []
    failures = 0
    deadline = time.monotonic() + LEVEL_SECONDS

    async def conversation(client: RasaClient) -> None:
        nonlocal failures
        while time.monotonic() < deadline:
            sender = "bench-" + secrets.token_hex(12)
            for message in ("hallo", SEARCH):
                started = time.monotonic()
                try:
                    await client.post(sender, message, {"channel": "web", "centre": "utrecht"})
                    latencies.append(time.monotonic() - started)
                except RasaUnavailable:
                    failures += 1

    async with RasaClient(urls, timeout=120) as client:
        started = time.monotonic()
        await asyncio.gather(*(conversation(client) for _ in range(concurrency)))
        elapsed = time.monotonic() - started
    return {"messages": len(latencies), "failures": failures,
            "messages_per_second": round(len(latencies) / elapsed, 2),
            "p50_ms": _percentile(latencies, 0.5), "p95_ms": _percentile(latencies, 0.95)}


def _memory(cluster: Cluster) -> dict[str, float]:
    found = {}
    for name, pid in cluster.pids.items():
        if name.startswith("rasa"):
            process = psutil.Process(pid)
            rss = sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
            found[name] = round(rss / 2**20)
    return found


def _growth(cluster: Cluster) -> dict:
    url = cluster.postgres.url_of("rasa")
    engine = create_engine(url)
    with engine.connect() as connection:
        senders, events = connection.execute(text("SELECT count(DISTINCT sender_id), count(*) FROM events")).one()
        size = connection.execute(text("SELECT pg_total_relation_size('events')")).scalar_one()
    engine.dispose()
    per_conversation_rows = events / senders if senders else 0
    per_conversation_bytes = size / senders if senders else 0
    conversations = ACTIVE_RESIDENTS * CONVERSATIONS_PER_RESIDENT_PER_YEAR
    return {
        "conversations_measured": senders, "tracker_rows_per_conversation": round(per_conversation_rows, 1),
        "tracker_kb_per_conversation": round(per_conversation_bytes / 1024, 1),
        "assumed_active_residents": ACTIVE_RESIDENTS,
        "assumed_conversations_per_resident_per_year": CONVERSATIONS_PER_RESIDENT_PER_YEAR,
        "tracker_rows_per_year": round(per_conversation_rows * conversations),
        "tracker_gb_per_year": round(per_conversation_bytes * conversations / 2**30, 1),
    }


def main() -> dict:
    with tempfile.TemporaryDirectory(prefix="doemee-cluster-bench-") as folder, \
            running_cluster(Path(folder)) as cluster:
        print(f"cluster: {RESIDENTS} residents for {LOAD_SECONDS:g} s ...", flush=True)
        load = asyncio.run(Load(cluster).run())
        print(f"cluster load: {json.dumps(load)}", flush=True)
        growth = _growth(cluster)
        throughput: dict[str, dict] = {}
        for instances in (1, 2):
            for level in LEVELS:
                figures = asyncio.run(_throughput(cluster.rasa_urls[:instances], level))
                throughput[f"{instances} instance{'s' if instances > 1 else ''}, {level} at once"] = figures
                print(f"cluster throughput {instances}x{level}: {json.dumps(figures)}", flush=True)
        memory = _memory(cluster)
    best = max(figures["messages_per_second"] for figures in throughput.values())
    report = {
        "load": load, "throughput": throughput, "rasa_memory_mb": memory, "growth": growth,
        "cores": psutil.cpu_count(), "messages_per_second_per_core": round(best / (psutil.cpu_count() or 1), 2),
        "median_latency_all_levels_ms": statistics.median(
            [f["p50_ms"] for f in throughput.values() if f["p50_ms"] is not None] or [0]),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
