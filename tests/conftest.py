"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import delete

from doemee.centre_sync import sync_centres
from doemee.centres import load_centres
from doemee.settings import PROJECT_ROOT
from doemee.storage.database import Database
from doemee.storage.models import Base, Category
from tests.support.postgres import PostgresCluster
from tests.support.redis_server import RedisServer


# Every test starts with the repository's centres: utrecht first, then amsterdam.
SEEDED_CENTRES = load_centres(PROJECT_ROOT / "centres.yml")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The suite's PostgreSQL: given by `make test`, or started here."""
    given = os.environ.get("DOEMEE_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    cluster = PostgresCluster()
    try:
        yield cluster.start()
    finally:
        cluster.close()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'doemee.db'}"


@pytest.fixture(scope="session")
def _migrated(request) -> dict[str, Database]:
    return {}


def _empty(database: Database) -> None:
    """Every table emptied but the categories; the centres of centres.yml back, as a migration leaves them."""
    with database.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != Category.__tablename__:
                session.execute(delete(table))
        sync_centres(session, SEEDED_CENTRES)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, _migrated) -> Iterator[Database]:
    """A migrated, empty database of each kind (categories seeded)."""
    kind = request.param
    if kind not in _migrated:
        url = request.getfixturevalue(f"{kind}_url" if kind == "sqlite" else "postgres_url")
        db = Database(url)
        db.migrate()
        _migrated[kind] = db
    db = _migrated[kind]
    _empty(db)
    yield db
    _empty(db)


@pytest.fixture
def db(database) -> Iterator:
    """A session on `database`, committed at the end of the test."""
    with database.session() as session:
        yield session


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """The suite's Redis: a real redis-server on loopback, emptied before each test that asks for `redis_url`."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_url(redis_server) -> str:
    import redis

    if redis_server.process is None:
        redis_server.start()
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    return redis_server.url
