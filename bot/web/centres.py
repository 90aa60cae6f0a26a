"""The volunteer centres the gateway serves: the database's, with centres.yml until it answers.

The checks live in the domain (doemee.centres), shared with
`doemee centres-sync`. The gateway still reads the file when it starts, so
a typo or an unreadable colour stops the start-up with a clear reason
instead of showing residents a broken widget. While it runs, the database
is the truth: `doemee centres-sync` changes a centre's colours, region or
websites without a restart.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from doemee.centres import (
    MIN_CONTRAST,
    MIN_NON_TEXT_CONTRAST,
    CentreConfig,
    CentreConfigError,
    is_valid_slug,
    load_centres,
    stored_centres,
)
from doemee.storage.database import Database

Centre = CentreConfig
DEFAULT_REFRESH_SECONDS = 30.0

log = logging.getLogger("doemee.web")

__all__ = [
    "MIN_CONTRAST", "MIN_NON_TEXT_CONTRAST", "Centre", "CentreConfigError", "CentreDirectory", "is_valid_slug",
    "load_centres",
]


class CentreDirectory:
    """The centres by slug, read from the database at most every `refresh_seconds`.

    A chat turn must not wait for the database each time, and must not fail
    when it is down: the last centres read (at first those of centres.yml)
    keep serving until the database answers again. An empty database (not
    yet migrated or synced) changes nothing either.
    """

    def __init__(self, initial: dict[str, Centre], database: Callable[[], Database] | None,
                 database_url: str | None = None, refresh_seconds: float = DEFAULT_REFRESH_SECONDS) -> None:
        self._centres = dict(initial)
        self._database = database if database is not None and _exists(database_url) else None
        self._refresh = refresh_seconds
        self._checked = -math.inf
        self._lock = asyncio.Lock()

    async def all(self) -> dict[str, Centre]:
        if self._database is None or time.monotonic() - self._checked < self._refresh:
            return self._centres
        async with self._lock:
            if time.monotonic() - self._checked >= self._refresh:
                self._checked = time.monotonic()
                try:
                    found = await self._database().run_sync(stored_centres)
                except SQLAlchemyError as error:
                    log.warning("centres unavailable from the database (%s); the last ones read serve",
                                type(error).__name__)
                else:
                    if found:
                        self._centres = found
        return self._centres

    async def get(self, slug: str) -> Centre | None:
        return (await self.all()).get(slug)

    async def origins(self) -> frozenset[str]:
        """Every website that embeds some centre's widget."""
        return frozenset(origin for centre in (await self.all()).values() for origin in centre.origins)


def _exists(url: str | None) -> bool:
    """Whether there is a database to ask: a SQLite file that is missing is not created by asking."""
    if url is None:
        return True
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return True
    return Path(parsed.database).exists()
