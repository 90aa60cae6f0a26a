"""Data protection over time: what is older than the retention period goes, once a day.

Two things are kept only for `DOEMEE_RETENTION_DAYS` (90 by default):
conversations in Rasa's tracker store, counted from their last message
(doemee.idle_conversations), and single searches, which are folded into day
counts the figures read just as well (doemee.search_aggregates). The
gateway runs this daily (bot/web/alert_mailer.py); `bin/doemee retention`
runs it by hand or from a CronJob. Safe to run twice or in two places.

The logs and the result hold counts only: never a sender id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from doemee import idle_conversations, search_aggregates
from doemee.idle_conversations import Forgotten
from doemee.settings import Settings
from doemee.storage.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """One run: the cut-off, the conversations deleted and the searches folded (or, dry, that would be)."""

    before: datetime
    conversations: Forgotten
    searches: int
    dry_run: bool = False


def cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=max(1, days))


def fold_searches(database: Database, before: datetime, dry_run: bool = False) -> int:
    if dry_run:
        with database.session() as session:
            return search_aggregates.count_older(session, before)
    return search_aggregates.fold_older(database, before)


def forget_conversations(settings: Settings, before: datetime, dry_run: bool = False) -> Forgotten:
    return idle_conversations.forget_idle(settings.tracker_store_url, before, dry_run=dry_run)


def run(database: Database, settings: Settings, now: datetime, dry_run: bool = False) -> Outcome:
    """Both jobs; the searches first, so a tracker store that cannot be reached still leaves them folded."""
    before = cutoff(now, settings.retention_days)
    searches = fold_searches(database, before, dry_run)
    conversations = forget_conversations(settings, before, dry_run)
    outcome = Outcome(before, conversations, searches, dry_run)
    if not dry_run:
        log.info("retention: %d conversations (%d events) deleted, %d searches folded into day counts",
                 conversations.conversations, conversations.events, searches)
    return outcome
