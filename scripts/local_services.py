"""PostgreSQL and Redis as plain processes on loopback, from Debian's packages.

`make run-cluster` and the tests start the production topology's stores
this way: no system service, no container, nothing listening beyond
127.0.0.1. PostgreSQL refuses to run as root, so as root it runs as the
`postgres` user that Debian's package creates.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from doemee.storage.backup import BackupError, pg_tool


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin(name: str) -> str:
    """The newest installed PostgreSQL program, as `doemee backup` finds it."""
    try:
        return pg_tool(name)
    except BackupError:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (apt-get install postgresql)") from None


def _wait_for_port(port: int, deadline: float, alive=lambda: True) -> None:
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError("the server stopped while starting")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port} in time")


class PostgresServer:
    """One PostgreSQL cluster; `keep` leaves its data for the next start (make run-cluster), else it is thrown away."""

    def __init__(self, folder: Path | None = None, port: int | None = None, *, fast: bool = True) -> None:
        self.keep = folder is not None
        self.dir = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="doemee-pg-"))
        self.data = self.dir / "data"
        self.port = port or free_port()
        self.fast = fast
        self._as_root = os.geteuid() == 0

    def _as_owner(self, *args: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if self._as_root else list(args)

    def _run(self, *args: str) -> None:
        subprocess.run(self._as_owner(*args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self, timeout: float = 30.0) -> str:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self._as_root:
            shutil.chown(self.dir, "postgres")
        if not (self.data / "PG_VERSION").exists():
            self._run(pg_bin("initdb"), "-D", str(self.data), "-U", "doemee", "--auth=trust", "-E", "UTF8",
                      "--locale=C")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "start", "-o", options)
        _wait_for_port(self.port, time.monotonic() + timeout)
        self.create_database("doemee")
        return self.url

    def create_database(self, name: str) -> str:
        """The database `name`, created when missing; its SQLAlchemy URL."""
        exists = subprocess.run(
            self._as_owner(*self._psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'", "-tA")),
            check=True, capture_output=True, text=True,
        ).stdout.strip()
        if not exists:
            self._run(*self._psql("postgres", f'CREATE DATABASE "{name}"'))
        return self.url_of(name)

    def _psql(self, database: str, sql: str, *flags: str) -> list[str]:
        return [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "doemee", "-d", database, *flags,
                "-c", sql]

    def url_of(self, database: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://doemee@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return self.url_of("doemee")

    def stop(self, mode: str = "fast") -> None:
        try:
            self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")
        except subprocess.CalledProcessError:
            pass  # already stopped

    def close(self) -> None:
        """Stops the server; a throwaway one's data goes too."""
        try:
            self.stop("immediate" if not self.keep else "fast")
        finally:
            if not self.keep:
                shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer:
    """One redis-server without persistence; `stop()` and `start()` again keep its port, as a restarted server would."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="doemee-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> str:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir), "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("redis-server stopped while starting")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return self.url
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
