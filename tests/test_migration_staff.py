"""Migration 0009 on a PostgreSQL database made before the naming convention."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from doemee.storage.database import Database
from doemee.storage.migrate import upgrade
from tests.support.schema import schema_differences

# The names PostgreSQL chose itself for the constraints revision 0001-0008 left unnamed.
LEGACY = {
    "initiative": {"uq_initiative_name": "initiative_name_key", "pk_initiative": "initiative_pkey"},
    "opportunity": {
        "fk_opportunity_category_category": "opportunity_category_fkey",
        "fk_opportunity_initiative_id_initiative": "opportunity_initiative_id_fkey",
        "pk_opportunity": "opportunity_pkey",
    },
    "sign_up": {"fk_sign_up_resident_id_resident": "sign_up_resident_id_fkey", "pk_sign_up": "sign_up_pkey"},
    "centre": {"pk_centre": "centre_pkey"},
}


def test_0009_gives_a_database_from_before_the_convention_the_convention_names(postgres_url):
    name = f"legacy_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    database = Database(url)
    try:
        upgrade(database.engine, "0008")
        with database.engine.begin() as connection:
            for table, renames in LEGACY.items():
                for new, old in renames.items():
                    connection.exec_driver_sql(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{new}" TO "{old}"')
        database.migrate()
        with database.engine.connect() as connection:
            assert schema_differences(connection) == []
            names = set(connection.scalars(sa.text(
                "SELECT conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
                "WHERE t.relname IN ('initiative', 'opportunity', 'sign_up', 'centre')")))
        assert {new for renames in LEGACY.values() for new in renames} <= names
        assert not names & {old for renames in LEGACY.values() for old in renames.values()}
    finally:
        database.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()


def test_0009_names_the_constraints_an_old_sqlite_database_kept_unnamed(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(database.engine, "0008")
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for statement in (
            "CREATE TABLE initiative_old (id INTEGER NOT NULL, name VARCHAR(200) NOT NULL, website VARCHAR(300), "
            "contact_email VARCHAR(254), is_demo BOOLEAN NOT NULL, created_at DATETIME NOT NULL, "
            "PRIMARY KEY (id), UNIQUE (name))",
            "INSERT INTO initiative_old (id, name, is_demo, created_at) VALUES (7, 'Buurttuin', 0, '2026-01-01')",
            "DROP TABLE initiative",
            "ALTER TABLE initiative_old RENAME TO initiative",
        ):
            connection.exec_driver_sql(statement)
        connection.commit()
        assert [u["name"] for u in sa.inspect(connection).get_unique_constraints("initiative")] == [None]
    database.migrate()
    with database.engine.connect() as connection:
        assert [u["name"] for u in sa.inspect(connection).get_unique_constraints("initiative")] == ["uq_initiative_name"]
        assert connection.exec_driver_sql("SELECT name FROM initiative WHERE id = 7").scalar() == "Buurttuin"
        assert schema_differences(connection) == []
    database.dispose()
