"""`make run-cluster`: the production topology on one machine, loopback only.

PostgreSQL (the app database and Rasa's tracker store), Redis (Rasa's lock
store, rate limits, Telegram's button state, job leases), two Rasa
instances with an action server each, and the gateway; the Telegram bridge
too when a token is set. The gateway sends each conversation to one Rasa
instance and moves it when that one is down. PostgreSQL keeps its data in
var/cluster/ between runs; Redis holds nothing that must outlive it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from doemee.settings import get_settings
from scripts.local_services import PostgresServer, RedisServer
from scripts.stack import ROOT, Backoff, Stack

CLUSTER_DIR = ROOT / "var" / "cluster"


@dataclass
class Cluster:
    """The stores and the stack of one cluster; `close()` stops all of it, the stores last."""

    postgres: PostgresServer
    redis: RedisServer
    stack: Stack
    closed: bool = field(default=False)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.stack.stop()
        finally:
            self.redis.close()
            self.postgres.close()


def prepare(folder: Path, *, postgres_port: int | None = None, redis_port: int | None = None,
            keep: bool = True, **stack_options) -> Cluster:
    """Starts PostgreSQL and Redis, migrates and seeds the database, and plans the stack (not started)."""
    postgres = PostgresServer(folder / "postgres" if keep else None, postgres_port, fast=not keep)
    redis = RedisServer(redis_port)
    try:
        database_url = postgres.start()
        tracker_url = postgres.create_database("rasa")
        redis.start()
        setup_database(database_url)
        stack = cluster_stack(database_url, tracker_url, redis.url, log_dir=folder / "log", **stack_options)
    except BaseException:
        redis.close()
        postgres.close()
        raise
    return Cluster(postgres, redis, stack)


def cluster_stack(database_url: str, tracker_url: str, redis_url: str, **options) -> Stack:
    """Two Rasa instances with an action server each, sharing the tracker store and Redis."""
    rasa_url = tracker_url.replace("postgresql+psycopg://", "postgresql://", 1)  # Rasa's SQLAlchemy 1.4 uses psycopg2
    return Stack(database_url=database_url, tracker_store_url=rasa_url, redis_url=redis_url,
                 rasa_instances=2, action_instances=2, **options)


def setup_database(database_url: str) -> None:
    """`doemee setup`: migrates, and loads the demo data into an empty database, as make run does."""
    env = {**os.environ, "DOEMEE_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([str(ROOT / "bin" / "doemee"), "setup"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or "doemee setup failed")


def main() -> int:
    settings = get_settings()
    print("DoeMee-cluster start... (Ctrl-C stopt alles)", flush=True)
    try:
        cluster = prepare(CLUSTER_DIR, postgres_port=5433, redis_port=6380, rasa_port=5005, action_port=5055,
                          gateway_port=8000, with_telegram=bool(settings.telegram_bot_token), quiet=False,
                          restart=Backoff())
    except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
        print(f"DoeMee-cluster kon niet starten: {error}", file=sys.stderr, flush=True)
        return 1
    try:
        return cluster.stack.run(announce=_announce, timeout=600)
    except RuntimeError as error:
        print(f"DoeMee-cluster kon niet starten: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        cluster.close()


def _announce(stack: Stack) -> None:
    rasa = ", ".join(stack.rasa_urls)
    print(
        "\nDoeMee-cluster draait (alleen op deze machine):\n"
        f"  widget-demo en portaal: http://localhost:{stack.gateway_port}/\n"
        f"  Rasa-instanties:        {rasa}\n"
        f"  actieservers:           {', '.join(f'http://127.0.0.1:{p}' for p in stack.action_ports)}\n"
        "  PostgreSQL:             127.0.0.1:5433 (databases doemee en rasa)\n"
        "  Redis:                  127.0.0.1:6380\n"
        "Stopt er een dienst, dan start DoeMee die vanzelf opnieuw. Ctrl-C stopt alles.\n",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
