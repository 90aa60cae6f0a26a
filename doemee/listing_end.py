"""A listing's last day, stored so the portal and the lifecycle jobs can find what ends soon by index.

The last day is `valid_until`, or 90 days after the listing was last
renewed, published or created (in UTC). Computed in SQL it would be a
different expression per database that no index can serve, so it lives in
`Opportunity.ends_on`, written on every insert and every ORM update
(doemee.storage.models); a Core UPDATE of one of these columns sets it too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

LIFETIME_DAYS = 90


def end_date(valid_until: date | None, renewed_at: datetime | None, published_at: datetime | None,
             created_at: datetime | None) -> date:
    if valid_until is not None:
        return valid_until
    started = renewed_at or published_at or created_at or datetime.now(timezone.utc)
    if started.tzinfo is None:
        started = started.replace(tzinfo=timezone.utc)
    return started.astimezone(timezone.utc).date() + timedelta(days=LIFETIME_DAYS)
