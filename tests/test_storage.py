from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from doemee.storage.models import Category, Initiative, Opportunity, Resident, SignUp


def _opportunity(initiative: Initiative, external_id: str = "a1") -> Opportunity:
    return Opportunity(
        source="csv", external_id=external_id, initiative=initiative, title="Tuinier gezocht",
        description="Help mee in de buurttuin.", category="groen", postcode="3511 AB", pc4="3511",
        place="Utrecht", municipality_code="0344", lat=52.09, lon=5.11, time_commitment="wekelijks",
        contact_email="tuin@example.org", valid_until=date(2030, 1, 1),
    )


def test_migration_seeds_all_fourteen_categories(db):
    assert db.scalar(select(func.count()).select_from(Category)) == 14


def test_same_external_id_from_one_source_is_rejected(database):
    with database.session() as s:
        ini = Initiative(name="Buurttuin Lombok")
        s.add_all([_opportunity(ini), _opportunity(ini)])
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()


def test_a_resident_signs_up_for_an_opportunity_only_once(database):
    with database.session() as s:
        opp = _opportunity(Initiative(name="Repair Café Oost"))
        resident = Resident(channel="telegram", sender_id="42")
        s.add_all([opp, resident])
        s.flush()
        s.add_all([
            SignUp(resident_id=resident.id, opportunity_id=opp.id, consent_text="ok"),
            SignUp(resident_id=resident.id, opportunity_id=opp.id, consent_text="ok"),
        ])
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()


def test_migrations_build_exactly_the_schema_the_models_describe(database):
    from tests.support.schema import schema_differences

    with database.engine.connect() as connection:
        assert schema_differences(connection) == []


def _old_database(tmp_path, revision: str, created: datetime, rows: list[dict]):
    """A database left at `revision` holding `rows` (merged into one garden opportunity), then migrated to head."""
    from sqlalchemy import MetaData, Table, insert

    from doemee.storage.database import Database
    from doemee.storage.migrate import upgrade

    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(database.engine, revision)
    base = dict(
        source="csv", initiative_id=1, title="Tuinier gezocht", description="Help mee.", category="groen",
        postcode="3511 AB", pc4="3511", place="Utrecht", lat=52.09, lon=5.11, time_commitment="wekelijks",
        day_parts="", remote=False, contact_email="tuin@example.org", is_demo=False,
        created_at=created, updated_at=created,
    )
    with database.engine.begin() as connection:
        old = Table("opportunity", MetaData(), autoload_with=connection)  # as that revision left it
        initiative = Table("initiative", MetaData(), autoload_with=connection)
        connection.execute(insert(initiative).values(id=1, name="Buurttuin", is_demo=False, created_at=created))
        connection.execute(insert(old), [{**base, **row} for row in rows])
    database.migrate()
    return database


def test_migration_0004_counts_open_rows_as_published_when_they_were_created(tmp_path):
    created = datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)
    database = _old_database(tmp_path, "0003", created, [
        {"external_id": "open", "status": "open"},
        {"external_id": "concept", "status": "concept"},
    ])
    with database.session() as s:
        published = {o.external_id: o.published_at for o in s.scalars(select(Opportunity))}
    database.dispose()
    assert published["concept"] is None
    assert published["open"].replace(tzinfo=timezone.utc) == created


def test_an_sqlite_without_math_functions_gets_them_from_python():
    """Matching counts by distance in SQL; some SQLite builds leave sin and cos out."""
    import math
    import sqlite3

    from doemee.storage.database import _ensure_math_functions

    connection = sqlite3.connect(":memory:")

    def missing(_value: float) -> float:
        raise ArithmeticError("no math in this build")

    connection.create_function("sin", 1, missing)
    _ensure_math_functions(connection)
    assert connection.execute("SELECT sin(1.0), cos(0.0), radians(180.0)").fetchone() == (math.sin(1.0), 1.0, math.pi)


def test_migration_0006_gives_existing_rows_their_latitude_band_and_they_are_still_found(tmp_path):
    from doemee.matching.engine import find
    from doemee.matching.query import SearchQuery

    created = datetime(2026, 11, 1, 9, 30, tzinfo=timezone.utc)
    database = _old_database(tmp_path, "0005", created, [
        {"external_id": "utrecht", "lat": 52.0907, "lon": 5.1214, "status": "open", "published_at": created},
        {"external_id": "edge", "lat": 52.05, "lon": 5.12, "status": "open", "published_at": created},  # a band's edge
    ])
    with database.session() as s:
        bands = {o.external_id: o.lat_band for o in s.scalars(select(Opportunity))}
        found = find(s, SearchQuery(lat=52.0907, lon=5.1214, origin="3511", today=date(2026, 11, 27)))
    database.dispose()
    assert bands == {"utrecht": 1041, "edge": 1041}
    assert found.total_within_radius == 2



def test_migration_0016_stores_the_last_day_of_existing_listings(tmp_path):
    from sqlalchemy import MetaData, Table, insert

    from doemee.storage.database import Database
    from doemee.storage.migrate import upgrade

    created = datetime(2026, 9, 1, 23, 30, tzinfo=timezone.utc)
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(database.engine, "0015")
    base = dict(
        source="csv", initiative_id=1, title="Tuinier gezocht", description="Help mee.", category="groen",
        postcode="3511 AB", pc4="3511", place="Utrecht", lat=52.09, lon=5.11, lat_band=1041,
        time_commitment="wekelijks", day_parts="", remote=False, contact_email="tuin@example.org", is_demo=False,
        created_at=created, updated_at=created, search_text="", valid_until=None, published_at=None, renewed_at=None,
    )
    rows = [
        {"external_id": "own", "status": "open", "valid_until": date(2026, 9, 20)},
        {"external_id": "renewed", "status": "open", "published_at": created,
         "renewed_at": created + timedelta(days=10)},
        {"external_id": "never", "status": "concept"},
    ]
    with database.engine.begin() as connection:
        old = Table("opportunity", MetaData(), autoload_with=connection)
        initiative = Table("initiative", MetaData(), autoload_with=connection)
        centre = connection.scalar(select(Table("centre", MetaData(), autoload_with=connection).c.id).limit(1))
        connection.execute(insert(initiative).values(
            id=1, name="Buurttuin", is_demo=False, created_at=created, manage_nonce="n",
        ))
        connection.execute(insert(old), [{**base, "centre_id": centre, **row} for row in rows])
    database.migrate()
    with database.session() as s:
        ends = {key: day for key, day in s.execute(select(Opportunity.external_id, Opportunity.ends_on))}
    database.dispose()
    assert ends == {"own": date(2026, 9, 20), "renewed": date(2026, 12, 10), "never": date(2026, 11, 30)}
