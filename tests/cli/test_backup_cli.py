"""`bin/doemee backup FILE` and `restore FILE` on both databases, through the real command line."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func, select

from doemee.matching.engine import find
from doemee.storage.database import Database
from doemee.storage.models import Opportunity
from tests.cli.runner import doemee
from tests.matching.factory import add, near
from tests.support.postgres import free_port, scratch_database


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request, tmp_path) -> Iterator[Database]:
    """A database of its own: a restore rebuilds the schema, which the shared test database must not see."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'live.db'}")
        database.migrate()
        yield database
        database.engine.dispose()
        return
    with scratch_database(request.getfixturevalue("postgres_url"), "backup") as url:
        database = Database(url)
        database.migrate()
        yield database
        database.engine.dispose()


def titles(database: Database) -> list[str]:
    with database.session() as session:
        return sorted(session.scalars(select(Opportunity.title)))


def fill(database: Database, *names: str) -> None:
    with database.session() as session:
        for name in names:
            add(session, title=name)


def test_a_restore_brings_back_exactly_what_the_backup_held(fresh, tmp_path):
    fill(fresh, "Tuinier", "Voorlezer")
    copy = tmp_path / "copy.bak"
    made = doemee(fresh.url, "backup", str(copy))
    assert made.code == 0 and "Kopie gemaakt" in made.stdout, made.stderr
    with fresh.session() as session:
        session.execute(delete(Opportunity).where(Opportunity.title == "Tuinier"))
    fill(fresh, "Kok")
    assert titles(fresh) == ["Kok", "Voorlezer"]
    fresh.engine.dispose()
    back = doemee(fresh.url, "restore", str(copy))
    assert back.code == 0 and "Teruggezet" in back.stdout, back.stderr
    assert titles(fresh) == ["Tuinier", "Voorlezer"]
    with fresh.session() as session:
        assert len(find(session, near()).matches) == 2
        fill(fresh, "Na het terugzetten")  # the sequences came back too: new rows still get free ids
    assert len(titles(fresh)) == 3


@pytest.mark.parametrize("content", [b"", b"geen kopie\n", b"SQLite format 3\x00" + b"\x00" * 90, b"PGDMP\x01\x0e"])
def test_a_file_that_is_no_whole_backup_is_refused_and_changes_nothing(fresh, tmp_path, content):
    fill(fresh, "Tuinier")
    bad = tmp_path / "bad.bak"
    bad.write_bytes(content)
    result = doemee(fresh.url, "restore", str(bad))
    assert result.code == 2 and len(result.error_lines) == 1, result.stderr
    assert "Er is niets veranderd" in result.stderr and "Traceback" not in result.stderr
    assert titles(fresh) == ["Tuinier"]


def test_a_truncated_backup_is_refused_and_changes_nothing(fresh, tmp_path):
    fill(fresh, "Tuinier", "Voorlezer")
    copy = tmp_path / "copy.bak"
    assert doemee(fresh.url, "backup", str(copy)).code == 0
    fill(fresh, "Kok")
    whole = copy.read_bytes()
    copy.write_bytes(whole[: len(whole) * 2 // 3])
    result = doemee(fresh.url, "restore", str(copy))
    assert result.code == 2 and "beschadigd" in result.stderr, result.stderr
    assert titles(fresh) == ["Kok", "Tuinier", "Voorlezer"]


def test_a_backup_of_the_other_kind_of_database_is_refused(fresh, tmp_path):
    other = tmp_path / "other.bak"
    if fresh.engine.dialect.name == "sqlite":
        other.write_bytes(b"PGDMP" + b"\x00" * 100)
        expected = "PostgreSQL-database"
    else:
        with sqlite3.connect(other) as connection:
            connection.execute("CREATE TABLE t (x)")
        connection.close()
        expected = "SQLite-database"
    fill(fresh, "Tuinier")
    result = doemee(fresh.url, "restore", str(other))
    assert result.code == 2 and expected in result.stderr, result.stderr
    assert titles(fresh) == ["Tuinier"]


def test_a_failed_backup_keeps_the_previous_file_and_leaves_no_partial_one(tmp_path):
    copy = tmp_path / "copy.bak"
    copy.write_bytes(b"the previous backup")
    unreachable = f"postgresql+psycopg://doemee@127.0.0.1:{free_port()}/doemee"
    result = doemee(unreachable, "backup", str(copy))
    assert result.code == 1 and "pg_dump" in result.stderr and "Traceback" not in result.stderr
    assert copy.read_bytes() == b"the previous backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.bak"]


@pytest.mark.parametrize("where", ["missing/copy.bak", "."])
def test_a_backup_to_a_place_that_cannot_hold_it_says_so(tmp_path, where):
    database = tmp_path / "live.db"
    Database(f"sqlite:///{database}").migrate()
    result = doemee(f"sqlite:///{database}", "backup", str(tmp_path / where))
    assert result.code == 2 and len(result.error_lines) == 1 and "Traceback" not in result.stderr
    assert any(word in result.stderr for word in ("map", "Map"))


def test_a_sqlite_backup_taken_during_writes_is_whole_and_consistent(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'live.db'}")
    database.migrate()
    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            with database.session() as session:
                add(session, title=f"Schrijver {n}")
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        copies = [tmp_path / f"copy{n}.db" for n in range(3)]
        for copy in copies:
            assert doemee(database.url, "backup", str(copy)).code == 0
    finally:
        stop.set()
        writer.join()
    counts = []
    for copy in copies:
        with sqlite3.connect(copy) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            counts.append(connection.execute("SELECT count(*) FROM opportunity").fetchone()[0])
            orphans = connection.execute(
                "SELECT count(*) FROM opportunity o LEFT JOIN initiative i ON i.id = o.initiative_id WHERE i.id IS NULL"
            ).fetchone()[0]
        connection.close()
        assert orphans == 0
    assert counts == sorted(counts) and counts[-1] > 0
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Opportunity)) >= counts[-1]
