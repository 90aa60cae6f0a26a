"""The tests' Redis: a real Debian redis-server on a free loopback port (scripts/local_services.py)."""

from __future__ import annotations

from scripts.local_services import RedisServer

__all__ = ["RedisServer"]
