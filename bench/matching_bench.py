"""Matching latency on 100,000 generated opportunities, indexed against a naive scan.

Opportunities are spread over the real PC4 centroids of GeoNames'
NL_postal.txt, so cities are dense and the countryside sparse, as in life.
Queries start from random PC4s with random interests and times and the
default 10 km radius. Both engines run in the same process on the same
data, so their ratio means something.

Run: `.venv/bin/python -m bench.matching_bench` (SQLite always; PostgreSQL
from DOEMEE_BENCH_POSTGRES_URL, or a throwaway cluster when Debian's
PostgreSQL is installed).
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import delete, insert, text
from sqlalchemy.orm import Session

from doemee.categories import SLUGS
from doemee.matching.engine import find, find_naive
from doemee.matching.query import COMMITMENTS, DAY_PARTS, TIME_WORDS, SearchQuery
from doemee.settings import get_settings
from doemee.storage.database import Database
from doemee.storage.models import Base, Category, Initiative, Opportunity, Status

OPPORTUNITIES = 100_000
INITIATIVES = 5_000
QUERIES = 1_000
NAIVE_QUERIES = 30
RADIUS_KM = 10.0
TARGET_P95_MS = 20.0
TODAY = date(2026, 11, 27)
SEED = 20261127


def pc4_centroids(geo_dir: Path | None = None) -> list[tuple[str, float, float]]:
    """(pc4, lat, lon) per postcode, read straight from GeoNames (columns 1, 9, 10)."""
    path = (geo_dir or get_settings().geo_dir) / "NL_postal.txt"
    seen: dict[str, tuple[str, float, float]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) > 10 and row[1][:4].isdigit() and row[9] and row[10]:
                seen.setdefault(row[1][:4], (row[1][:4], float(row[9]), float(row[10])))
    return sorted(seen.values())


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.85:
        return Status.OPEN.value
    return (Status.CONCEPT, Status.FILLED, Status.CLOSED)[int((roll - 0.85) / 0.05) % 3].value


def _valid_until(rng: random.Random) -> date | None:
    roll = rng.random()
    if roll < 0.7:
        return None
    if roll < 0.9:
        return TODAY + timedelta(days=rng.randint(0, 365))
    return TODAY - timedelta(days=rng.randint(1, 365))


def generate(database: Database, centroids: list[tuple[str, float, float]], count: int = OPPORTUNITIES) -> None:
    """Fills an empty, migrated database with `count` varied opportunities, in bulk."""
    rng = random.Random(SEED)
    slugs = sorted(SLUGS)
    now = datetime.combine(TODAY, datetime.min.time(), tzinfo=timezone.utc)
    with database.session() as session:
        if database.engine.dialect.name == "postgresql":
            # The throwaway cluster commits asynchronously; until the commit reaches the WAL,
            # VACUUM below cannot mark the pages all-visible and index-only reads visit the table.
            session.execute(text("SET LOCAL synchronous_commit = on"))
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != Category.__tablename__:
                session.execute(delete(table))
        session.execute(insert(Initiative), [
            {"id": i, "name": f"Initiatief {i}", "website": f"https://initiatief{i}.example.org",
             "contact_email": f"info{i}@example.org", "is_demo": False, "created_at": now}
            for i in range(1, INITIATIVES + 1)
        ])
        batch: list[dict] = []
        for n in range(1, count + 1):
            pc4, lat, lon = rng.choice(centroids)
            batch.append({
                "id": n, "source": "bench", "external_id": f"b{n}", "initiative_id": rng.randint(1, INITIATIVES),
                "title": f"Vrijwilliger gezocht {n}", "description": "Help mee in de buurt.",
                "category": rng.choice(slugs), "postcode": pc4, "pc4": pc4, "place": "Ergens",
                "municipality_code": None,
                "lat": lat + rng.uniform(-0.004, 0.004), "lon": lon + rng.uniform(-0.006, 0.006),
                "time_commitment": rng.choice((*COMMITMENTS, "flexibel")),
                "day_parts": ";".join(sorted(rng.sample(DAY_PARTS, rng.randint(0, 2)), key=DAY_PARTS.index)),
                "remote": rng.random() < 0.03, "contact_email": f"o{n}@example.org",
                "valid_until": _valid_until(rng), "status": _status(rng), "is_demo": False,
                "created_at": now - timedelta(days=rng.randint(0, 365)),
                "updated_at": now,
            })
            if len(batch) == 5_000:
                session.execute(insert(Opportunity), batch)
                batch = []
        if batch:
            session.execute(insert(Opportunity), batch)
    # What autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) does in a live database:
    # on PostgreSQL, VACUUM also sets the visibility map that index-only reads need. Measured:
    # a database-wide VACUUM ANALYZE right after the load left it unset; naming the tables works.
    statement = "VACUUM ANALYZE opportunity, initiative" if database.engine.dialect.name == "postgresql" else "ANALYZE"
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))


def random_queries(centroids: list[tuple[str, float, float]], count: int, seed: int) -> list[SearchQuery]:
    rng = random.Random(seed)
    slugs = sorted(SLUGS)
    words = sorted(TIME_WORDS)
    queries = []
    for _ in range(count):
        pc4, lat, lon = rng.choice(centroids)
        queries.append(SearchQuery(
            lat=lat, lon=lon, origin=pc4, pc4=pc4,
            interests=frozenset(rng.sample(slugs, rng.randint(0, 2))),
            times=frozenset(rng.sample(words, rng.randint(0, 2))),
            radius_km=RADIUS_KM, today=TODAY,
        ))
    return queries


def _latencies_ms(database: Database, engine: Callable[[Session, SearchQuery], object],
                  queries: list[SearchQuery]) -> list[float]:
    """Each query in its own unit of work, as the action server runs it."""
    timings = []
    for query in queries:
        started = time.perf_counter()
        with database.session() as session:
            engine(session, query)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)],
        "mean_ms": statistics.fmean(ordered),
        "queries": len(ordered),
    }


def run(url: str, opportunities: int = OPPORTUNITIES, queries: int = QUERIES,
        naive_queries: int = NAIVE_QUERIES) -> dict:
    """Generates the data at `url`, times both engines, and returns the figures."""
    database = Database(url)
    try:
        database.migrate()
        centroids = pc4_centroids()
        started = time.perf_counter()
        generate(database, centroids, opportunities)
        load_s = time.perf_counter() - started
        workload = random_queries(centroids, queries, SEED + 1)
        _latencies_ms(database, find, workload[:20])  # warm caches and the connection pool
        indexed = _summary(_latencies_ms(database, find, workload))
        naive = _summary(_latencies_ms(database, find_naive, workload[:naive_queries]))
        return {
            "database": database.engine.dialect.name,
            "opportunities": opportunities,
            "load_s": load_s,
            "find": indexed,
            "find_naive": naive,
            "ratio_naive_over_indexed_p50": naive["p50_ms"] / indexed["p50_ms"],
            "target_p95_ms": TARGET_P95_MS,
            "meets_target": indexed["p95_ms"] < TARGET_P95_MS,
        }
    finally:
        database.dispose()


def format_table(results: list[dict]) -> str:
    lines = [
        f"Matching: {results[0]['opportunities']:,} opportunities, radius {RADIUS_KM:g} km, "
        f"target p95 < {TARGET_P95_MS:g} ms",
        f"{'database':<11} {'engine':<11} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}",
    ]
    for r in results:
        for name in ("find", "find_naive"):
            s = r[name]
            lines.append(f"{r['database']:<11} {name:<11} {s['queries']:>7} {s['p50_ms']:>8.2f} "
                         f"{s['p95_ms']:>8.2f} {s['mean_ms']:>8.2f}")
        verdict = "meets" if r["meets_target"] else "MISSES"
        lines.append(f"{r['database']:<11} naive/indexed p50 ratio {r['ratio_naive_over_indexed_p50']:.0f}x; "
                     f"p95 {verdict} the target; data load {r['load_s']:.1f} s")
    return "\n".join(lines)


def _postgres_results() -> list[dict]:
    given = os.environ.get("DOEMEE_BENCH_POSTGRES_URL")
    if given:
        return [run(given)]
    from tests.support.postgres import PostgresCluster

    cluster = PostgresCluster()
    try:
        url = cluster.start()
    except (RuntimeError, OSError) as error:
        print(f"PostgreSQL skipped: {error}")
        return []
    try:
        return [run(url)]
    finally:
        cluster.stop()


def main() -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="doemee-bench-") as folder:
        results.append(run(f"sqlite:///{Path(folder) / 'bench.db'}"))
    results.extend(_postgres_results())
    print(format_table(results))
    return results


if __name__ == "__main__":
    main()
