"""Dutch wall-clock time for people reading the portal; everything stored stays UTC.

A coordinator asking "what happened on Tuesday" means a Dutch Tuesday, so a
day typed in a filter starts and ends at Amsterdam midnight, summer time or not.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

NL = ZoneInfo("Europe/Amsterdam")


def local(moment: datetime) -> datetime:
    """A stored moment on the Dutch clock (SQLite hands back naive UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(NL)


def day_start(day: date) -> datetime:
    """The UTC moment a Dutch calendar day begins."""
    return datetime.combine(day, time.min, tzinfo=NL).astimezone(timezone.utc)


def day_end(day: date) -> datetime:
    """The UTC moment a Dutch calendar day ends (the next one begins)."""
    return day_start(day + timedelta(days=1))
