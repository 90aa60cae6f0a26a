"""What differs between a migrated database and the models, as Alembic sees it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from doemee.storage.models import Base


def schema_differences(connection: Connection) -> list:
    """Alembic's diff, leaving out objects declared for another database only (Index.ddl_if)."""
    dialect = connection.dialect.name

    def for_this_database(item, name, type_, reflected, compare_to) -> bool:
        only = getattr(item, "_ddl_if", None)
        return only is None or only.dialect in (None, dialect)

    return compare_metadata(MigrationContext.configure(connection, opts={"include_object": for_this_database}),
                            Base.metadata)
