"""The stored last day (`Opportunity.ends_on`) follows every kind of write, on SQLite and PostgreSQL.

Vandaag and the lifecycle's warnings read only this column; a writer that
left it stale would hide a listing from both.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert, select

from doemee import vacancies
from doemee.storage.models import Initiative, Opportunity, Status
from tests.domain.factories import make_opportunity

T0 = datetime(2026, 9, 1, 23, 30, tzinfo=timezone.utc)


def ends_on(database, opportunity_id: int) -> date | None:
    with database.session() as session:
        return session.scalar(select(Opportunity.ends_on).where(Opportunity.id == opportunity_id))


def test_a_listing_without_a_last_day_ends_ninety_days_after_publication(database):
    with database.session() as session:
        opportunity_id = make_opportunity(session, created_at=T0 - timedelta(days=5), published_at=T0).id
    assert ends_on(database, opportunity_id) == date(2026, 11, 30)


def test_a_changed_valid_until_or_renewal_moves_the_stored_last_day(database):
    with database.session() as session:
        opportunity_id = make_opportunity(session, created_at=T0, published_at=T0).id
    with database.session() as session:
        session.get(Opportunity, opportunity_id).valid_until = date(2026, 10, 1)
    assert ends_on(database, opportunity_id) == date(2026, 10, 1)
    with database.session() as session:
        opportunity = session.get(Opportunity, opportunity_id)
        opportunity.valid_until = None
        opportunity.renewed_at = T0 + timedelta(days=30)
    assert ends_on(database, opportunity_id) == date(2026, 12, 30)
    with database.session() as session:
        centre = session.get(Opportunity, opportunity_id).centre_id
        vacancies.renew(session, [centre], opportunity_id, "2027-01-15", today=date(2026, 10, 1))
    assert ends_on(database, opportunity_id) == date(2027, 1, 15)


def test_a_plain_bulk_insert_gets_its_last_day_per_row(database):
    with database.session() as session:
        session.add(Initiative(name="Bulk", website="https://bulk.example.org", contact_email="b@example.org"))
        session.flush()
        owner = session.scalar(select(Initiative.id).where(Initiative.name == "Bulk"))
        base = dict(source="bulk", initiative_id=owner, title="Klussen", description="Help mee.", category="groen",
                    postcode="3511", pc4="3511", place="Utrecht", lat=52.09, lon=5.11, time_commitment="wekelijks",
                    day_parts="", remote=False, contact_email="b@example.org", status=Status.OPEN.value,
                    is_demo=False, created_at=T0, updated_at=T0, valid_until=None, published_at=None)
        session.execute(insert(Opportunity), [
            {**base, "external_id": "a", "valid_until": date(2026, 9, 20)},
            {**base, "external_id": "b", "published_at": T0 + timedelta(days=1)},
            {**base, "external_id": "c"},
        ])
    with database.session() as session:
        stored = {key: day for key, day in session.execute(
            select(Opportunity.external_id, Opportunity.ends_on).where(Opportunity.source == "bulk")
        )}
    assert stored == {"a": date(2026, 9, 20), "b": date(2026, 12, 1), "c": date(2026, 11, 30)}
