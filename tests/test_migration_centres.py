"""Migration 0008 on a database in use: centres from centres.yml, every opportunity attributed, nothing lost."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from sqlalchemy import MetaData, Table, create_engine, insert, inspect, make_url, select, text

from doemee.storage.database import Database
from doemee.storage.migrate import alembic_config, upgrade
from doemee.storage.models import Centre, Opportunity, SearchLog, SignUp

CREATED = datetime(2026, 11, 1, 9, 30, tzinfo=timezone.utc)
# (external_id, municipality code, lat): Amsterdam, Zeist (Utrecht's region), Maastricht (no region).
ROWS = [("dam", "0363", 52.37), ("zeist", "0355", 52.09), ("maastricht", "0935", 50.85), ("onbekend", None, 52.0)]


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_url(request, tmp_path) -> Iterator[str]:
    """An empty database of each kind, nothing migrated yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'oud.db'}"
        return
    server = make_url(request.getfixturevalue("postgres_url"))
    name = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _database_at_0007_with_data(url: str) -> Database:
    database = Database(url)
    upgrade(database.engine, "0007")
    with database.engine.begin() as connection:
        tables = {name: Table(name, MetaData(), autoload_with=connection)
                  for name in ("initiative", "opportunity", "resident", "sign_up", "search_log")}
        connection.execute(insert(tables["initiative"]).values(id=1, name="Buurttuin", is_demo=False, created_at=CREATED))
        connection.execute(insert(tables["opportunity"]), [
            dict(id=n, source="csv", external_id=key, initiative_id=1, title="Tuinier gezocht", description="Help mee.",
                 category="groen", postcode="3511 AB", pc4="3511", place="Ergens", municipality_code=code, lat=lat,
                 lat_band=int(lat * 20), lon=5.0, time_commitment="wekelijks", day_parts="", remote=False,
                 contact_email="tuin@example.org", is_demo=False, status="open", created_at=CREATED,
                 updated_at=CREATED, published_at=CREATED)
            for n, (key, code, lat) in enumerate(ROWS, start=1)
        ])
        connection.execute(insert(tables["resident"]).values(id=1, channel="telegram", sender_id="7", created_at=CREATED))
        connection.execute(insert(tables["sign_up"]).values(
            id=1, resident_id=1, opportunity_id=1, consent_text="ja", consented_at=CREATED, created_at=CREATED,
        ))
        connection.execute(insert(tables["search_log"]).values(
            id=1, interests="groen", pc4="3511", municipality_code="0344", result_count=1, within_radius_count=1,
            created_at=CREATED,
        ))
    return database


def test_migration_0008_seeds_the_centres_and_attributes_every_opportunity_by_region(blank_url):
    database = _database_at_0007_with_data(blank_url)
    database.migrate()
    with database.session() as session:
        centres = [(c.slug, c.position, c.municipality_codes[:2]) for c in session.scalars(select(Centre).order_by(Centre.position))]
        owners = dict(session.execute(
            select(Opportunity.external_id, Centre.slug).join(Centre, Opportunity.centre_id == Centre.id)
        ).all())
        sign_ups = session.execute(select(SignUp.opportunity_id, SignUp.centre_id)).all()
        searches = session.execute(select(SearchLog.id, SearchLog.centre_id)).all()
    database.dispose()
    assert centres == [("utrecht", 0, ["0310", "0312"]), ("amsterdam", 1, ["0362", "0363"])]
    assert owners == {"dam": "amsterdam", "zeist": "utrecht", "maastricht": "utrecht", "onbekend": "utrecht"}
    assert sign_ups == [(1, None)] and searches == [(1, None)]


def test_migration_0008_goes_down_and_up_again_keeping_the_opportunities(blank_url):
    from alembic import command

    database = _database_at_0007_with_data(blank_url)
    database.migrate()
    command.downgrade(alembic_config(database.engine), "0007")
    columns = {c["name"] for c in inspect(database.engine).get_columns("opportunity")}
    assert "centre_id" not in columns and not inspect(database.engine).has_table("centre")
    database.migrate()
    with database.session() as session:
        assert len(session.scalars(select(Opportunity.centre_id)).all()) == len(ROWS)
        assert session.scalar(select(SignUp.opportunity_id)) == 1
    database.dispose()


def test_migration_0008_on_an_empty_database_still_seeds_the_centres(blank_url):
    database = Database(blank_url)
    database.migrate()
    with database.session() as session:
        assert session.scalars(select(Centre.slug).order_by(Centre.position)).all() == ["utrecht", "amsterdam"]
    database.dispose()


def test_migration_0008_without_a_centres_file_leaves_an_empty_database_without_centres(blank_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DOEMEE_CENTRES_FILE", str(tmp_path / "bestaat-niet.yml"))
    database = Database(blank_url)
    database.migrate()
    with database.session() as session:
        assert session.scalars(select(Centre.slug)).all() == []
    database.dispose()
