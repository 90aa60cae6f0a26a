"""The tests' PostgreSQL: a throwaway cluster on a free port (scripts/local_services.py); `close()` removes it."""

from __future__ import annotations

from scripts.local_services import PostgresServer as PostgresCluster
from scripts.local_services import free_port, pg_bin

__all__ = ["PostgresCluster", "free_port", "pg_bin"]
