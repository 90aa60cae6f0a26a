"""Migration 0018 on SQLite and PostgreSQL: logouts and locked logins of before it get their member's centre."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy import MetaData, Table, insert, select

from doemee.storage.database import Database
from doemee.storage.migrate import upgrade
from tests.support.schema import schema_differences

AT = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


@contextmanager
def empty_database(kind: str, tmp_path, postgres_url: str) -> Iterator[Database]:
    if kind == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.db'}")
        yield database
        database.dispose()
        return
    name = f"audit_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    database = Database(sa.engine.make_url(postgres_url).set(database=name).render_as_string(hide_password=False))
    try:
        yield database
    finally:
        database.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_0018_gives_old_logouts_and_locked_logins_their_members_centre_and_nothing_else(kind, tmp_path, request):
    postgres_url = request.getfixturevalue("postgres_url") if kind == "postgresql" else ""
    with empty_database(kind, tmp_path, postgres_url) as database:
        upgrade(database.engine, "0017")
        with database.engine.begin() as connection:
            tables = {name: Table(name, MetaData(), autoload_with=connection)
                      for name in ("centre", "staff_member", "audit_event")}
            first, second = connection.scalars(select(tables["centre"].c.id).order_by(tables["centre"].c.id).limit(2))
            connection.execute(insert(tables["staff_member"]), [
                {"id": 1, "email": "sanne@example.org", "centre_id": first, "role": "staff", "active": True,
                 "created_at": AT},
                {"id": 2, "email": "beheer@example.org", "centre_id": second, "role": "admin", "active": True,
                 "created_at": AT},
            ])
            connection.execute(insert(tables["audit_event"]), [
                {"id": 1, "action": "staff.logout", "staff_id": 1, "centre_id": None, "at": AT},
                {"id": 2, "action": "staff.login_locked", "staff_id": 1, "centre_id": None, "at": AT},
                {"id": 3, "action": "staff.login_locked", "staff_id": None, "centre_id": None, "at": AT},
                # An admin's request on behalf of no one centre stays an admin's row.
                {"id": 4, "action": "privacy.forgotten_by_email", "staff_id": 2, "centre_id": None, "at": AT},
                {"id": 5, "action": "staff.logout", "staff_id": 2, "centre_id": first, "at": AT},
            ])
        database.migrate()
        with database.engine.connect() as connection:
            centres = dict(connection.execute(sa.text("SELECT id, centre_id FROM audit_event ORDER BY id")).all())
            assert schema_differences(connection) == []
        assert centres == {1: first, 2: first, 3: None, 4: None, 5: first}
