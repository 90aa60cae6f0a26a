from alembic import context
from sqlalchemy import create_engine

from doemee.storage.models import Base

config = context.config
engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch migration copies a table and drops the old one. With foreign
        # keys on, SQLite's DROP TABLE first deletes every row, and ON DELETE
        # CASCADE took the sign-ups of every opportunity with it. The pragma
        # only works outside a transaction, so it comes first; the check below
        # still refuses a migration that leaves a dangling reference.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if dangling:
                raise RuntimeError(f"a migration left references to missing rows: {dangling[:5]}")
        connection.commit()
    finally:
        if sqlite:
            connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
