"""A consistent copy of the database, and back (CONTRACT: `bin/doemee backup FILE` / `restore FILE`).

SQLite is copied with its online backup API, so the services may keep
writing meanwhile. PostgreSQL is dumped by pg_dump, which reads one
snapshot, in its custom format. A copy is written beside FILE and renamed
into place only when complete, so a failed backup never leaves half a file
where a good one was.

A restore replaces everything the backup holds in one step: the SQLite
file is overwritten through the backup API after an integrity check, and
the PostgreSQL schema is dropped and rebuilt in a single transaction from
a script that was read in full first, so a broken archive leaves the
database as it was. The file's kind is read from its first bytes, and
a copy of one kind of database is refused for the other.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from enum import Enum
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
TOOL_TIMEOUT_SECONDS = 3600
# pg_restore's script starts by emptying search_path; the schema swap must come first.
_RESET_SCHEMA = "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;"


class BackupKind(Enum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


class BackupError(Exception):
    """A backup or restore that cannot go on; `reason` picks the operator's Dutch line."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def kind_of_url(url: str) -> BackupKind:
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return BackupKind.SQLITE
    if backend == "postgresql":
        return BackupKind.POSTGRESQL
    raise BackupError("unsupported_database", backend)


def kind_of_file(path: Path) -> BackupKind:
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError("no_file") from None
    except IsADirectoryError:
        raise BackupError("not_a_backup") from None
    except OSError as error:
        raise BackupError("unreadable", error.strerror or "") from None
    if head.startswith(SQLITE_MAGIC):
        return BackupKind.SQLITE
    if head.startswith(PG_DUMP_MAGIC):
        return BackupKind.POSTGRESQL
    raise BackupError("not_a_backup")


def backup(url: str, target: Path) -> BackupKind:
    kind = kind_of_url(url)
    target = target.expanduser()
    if target.is_dir():
        raise BackupError("target_is_directory")
    if not target.parent.is_dir():
        raise BackupError("no_directory")
    handle, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        if kind is BackupKind.SQLITE:
            _sqlite_copy(_sqlite_path(url), partial)
        else:
            _pg_dump(make_url(url), partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return kind


def restore(url: str, source: Path) -> BackupKind:
    kind = kind_of_url(url)
    source = source.expanduser()
    found = kind_of_file(source)
    if found is not kind:
        raise BackupError("wrong_kind", found.value)
    if kind is BackupKind.SQLITE:
        _sqlite_restore(source, _sqlite_path(url))
    else:
        _pg_restore(make_url(url), source)
    return kind


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("memory_database")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError("no_database")
    # Read-only: a backup must never create or change the database it copies.
    with closing(_sqlite_read_only(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _sqlite_restore(source: Path, target: Path) -> None:
    with closing(_sqlite_read_only(source)) as src:
        try:
            check = src.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError:
            check = None
        if not check or check[0] != "ok":
            raise BackupError("damaged")
        target.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(target, timeout=30)) as dst:
            src.backup(dst)


def _sqlite_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def pg_tool(name: str) -> str:
    """The newest pg_dump/pg_restore/psql: one older than the server refuses to dump it."""
    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_major_version)
    if installed:
        return installed[-1]
    found = shutil.which(name)
    if found is None:
        raise BackupError("no_pg_tools", name)
    return found


def _major_version(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The URL as libpq takes it, with the password in the environment instead of the process list."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], *, reason: str) -> None:
    try:
        done = subprocess.run(
            command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            timeout=TOOL_TIMEOUT_SECONDS, check=False,
        )
    except subprocess.TimeoutExpired:
        raise BackupError("timeout") from None
    if done.returncode != 0:
        raise BackupError(reason, done.stderr.decode("utf-8", "replace").strip()[-2000:])


def _pg_dump(url: URL, target: Path) -> None:
    dsn, env = _libpq(url)
    _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={target}", f"--dbname={dsn}"], env, reason="pg_dump_failed")


def _pg_restore(url: URL, source: Path) -> None:
    """Writes the whole script first: psql would commit whatever part of a broken stream it got."""
    dsn, env = _libpq(url)
    with tempfile.TemporaryDirectory(prefix="doemee-restore-") as work:
        script = Path(work) / "restore.sql"
        _run([pg_tool("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}", str(source)],
             env, reason="damaged")
        _run([pg_tool("psql"), "--quiet", "--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1",
              f"--command={_RESET_SCHEMA}", f"--file={script}", f"--dbname={dsn}"],
             env, reason="pg_restore_failed")
