"""Vandaag's numbers, on SQLite and PostgreSQL: only what the member's centres hold."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from doemee.attention import attention
from doemee.attribution import centre_for_slug
from doemee.storage.models import SignUp
from tests.domain.factories import make_opportunity

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def _in(db, slug: str, **values):
    opportunity = make_opportunity(db, **values)
    opportunity.centre_id = centre_for_slug(db, slug).id
    db.flush()
    return opportunity


def test_today_counts_concepts_expiring_listings_and_recent_signups_of_the_centre_only(db):
    utrecht = centre_for_slug(db, "utrecht").id
    _in(db, "utrecht", status="concept")
    _in(db, "amsterdam", status="concept")
    soon = _in(db, "utrecht", title="Bijna voorbij")
    soon.valid_until = date(2026, 12, 10)
    later = _in(db, "utrecht", title="Nog lang")
    later.valid_until = date(2027, 3, 1)
    elsewhere = _in(db, "amsterdam", title="Amsterdam bijna voorbij")
    elsewhere.valid_until = date(2026, 12, 5)
    for opportunity, days_ago in [(soon, 1), (later, 13), (later, 15), (elsewhere, 1)]:
        db.add(SignUp(opportunity_id=opportunity.id, consent_text="ok", created_at=NOW - timedelta(days=days_ago)))
    db.flush()

    found = attention(db, frozenset({utrecht}), NOW)
    assert found.concepts_waiting == 1
    assert [e.title for e in found.expiring] == ["Bijna voorbij"]
    assert found.recent_signups == 2


def test_an_admin_sees_the_sum_of_every_centre(db):
    everyone = frozenset({centre_for_slug(db, "utrecht").id, centre_for_slug(db, "amsterdam").id})
    _in(db, "utrecht", status="concept")
    _in(db, "amsterdam", status="concept")
    assert attention(db, everyone, NOW).concepts_waiting == 2
