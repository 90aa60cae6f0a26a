"""Starts and stops DoeMee's processes: Rasa, the action server, the gateway, Telegram.

`make run` and the end-to-end tests share this, so the tests start the
stack exactly the way operators do. Each process gets its ports and URLs
through the environment.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
APP_PY = ROOT / ".venv" / "bin" / "python"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def newest_model() -> Path:
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise RuntimeError("Er is nog geen getraind model. Draai eerst `make run` of `bin/rasa train`.")
    return models[-1]


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str | None
    process: subprocess.Popen | None = None


@dataclass
class Stack:
    """The whole chatbot on loopback ports.

    `quiet` sends the processes' output to log files under `log_dir`
    instead of the terminal (tests); `make run` shows it.
    """

    database_url: str
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    gateway_port: int = field(default_factory=free_port)
    tracker_db: Path | None = None
    with_rasa: bool = True
    with_actions: bool = True
    with_gateway: bool = True
    with_telegram: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    quiet: bool = True
    log_dir: Path = ROOT / "var" / "log"
    services: list[Service] = field(default_factory=list)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def env(self) -> dict[str, str]:
        tracker_db = self.tracker_db or ROOT / "var" / "rasa-tracker.db"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DOEMEE_DATABASE_URL": self.database_url,
            "DOEMEE_ACTION_URL": self.action_url,
            "DOEMEE_RASA_URL": self.rasa_url,
            "DOEMEE_TRACKER_DB": str(tracker_db),
            "DOEMEE_TRACKER_STORE_URL": f"sqlite:///{tracker_db}",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PYTHONUNBUFFERED": "1",
            "SANIC_HOST": "127.0.0.1",  # the action server: loopback only
        }
        env.update(self.extra_env)
        return env

    def _plan(self) -> list[Service]:
        plan = []
        if self.with_actions:
            plan.append(Service(
                "actions",
                [str(APP_PY), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.action_port)],
                f"http://127.0.0.1:{self.action_port}/health",
            ))
        if self.with_rasa:
            plan.append(Service(
                "rasa",
                [str(ROOT / "bin" / "rasa"), "run", "--model", str(newest_model()),
                 "--port", str(self.rasa_port), "--interface", "127.0.0.1",
                 "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
                f"{self.rasa_url}/",
            ))
        if self.with_gateway:
            plan.append(Service(
                "gateway",
                [str(APP_PY), "-m", "bot.web", "--port", str(self.gateway_port)],
                f"{self.gateway_url}/healthz",
            ))
        if self.with_telegram:
            plan.append(Service("telegram", [str(APP_PY), "-m", "bot.telegram"], None))
        return plan

    def start(self, timeout: float = 180.0) -> "Stack":
        """Launches every service and waits until each answers.

        Stopped halfway (Ctrl-C, SIGTERM, a service that fails), it stops
        what it launched: they run in their own sessions and would outlive it.
        """
        _stop_requests.install()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        env = self.env()
        try:
            for service in self._plan():
                out = open(self.log_dir / f"{service.name}.log", "ab") if self.quiet else None
                with _stop_requests.held():
                    service.process = subprocess.Popen(
                        service.command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None,
                        start_new_session=True,
                    )
                    self.services.append(service)
            deadline = time.monotonic() + timeout
            for service in self.services:
                if service.health_url:
                    self._wait_healthy(service, deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self, service: Service, deadline: float) -> None:
        while time.monotonic() < deadline:
            if service.process and service.process.poll() is not None:
                raise RuntimeError(f"{service.name} stopped while starting (see {self.log_dir}/{service.name}.log)")
            try:
                with urllib.request.urlopen(service.health_url, timeout=2) as response:
                    if response.status < 500:
                        return
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"{service.name} did not become healthy in time")

    def stop_service(self, name: str) -> None:
        for service in self.services:
            if service.name == name and service.process and service.process.poll() is None:
                _terminate(service.process)

    def stop(self) -> None:
        for service in reversed(self.services):
            if service.process and service.process.poll() is None:
                _terminate(service.process)
        self.services.clear()

    def run(self, announce: Callable[["Stack"], None] | None = None) -> int:
        """start(), announce, wait(): a stop that lands between them still stops every service.

        Called one after the other, a SIGTERM just after start() returned would
        leave the services running, since they live in their own sessions.
        """
        try:
            self.start()
            if announce:
                announce(self)
            return self.wait()
        except KeyboardInterrupt:
            self.stop()
            return 0

    def wait(self) -> int:
        """Blocks until a service exits, Ctrl-C or SIGTERM, then stops the rest.

        The services run in their own sessions, so a service manager's SIGTERM
        to this process alone would leave them running without this.
        """
        _stop_requests.install()
        try:
            while all(s.process.poll() is None for s in self.services if s.process):
                time.sleep(0.5)
            return 1
        except KeyboardInterrupt:
            return 0
        finally:
            self.stop()

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class _StopRequests:
    """SIGTERM and Ctrl-C as KeyboardInterrupt, held back while a service is being launched.

    Raised inside Popen after the fork, the interrupt would leave a child that
    no Service records; in its own session, it would outlive the stack.
    """

    def __init__(self) -> None:
        self.holding = False
        self.pending = False

    def install(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, *_signal_args) -> None:
        if self.holding:
            self.pending = True
            return
        raise KeyboardInterrupt

    @contextmanager
    def held(self):
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
            if self.pending:
                self.pending = False
                raise KeyboardInterrupt


_stop_requests = _StopRequests()


def _terminate(process: subprocess.Popen) -> None:
    """Stops one service: its main process first, then whatever is left of its session.

    Signalled together with its workers, the action server's Sanic manager
    still asks its state-sharing helper process about them after that helper
    died, and prints a BrokenPipeError traceback on the operator's console.
    """
    try:
        process.terminate()
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


if __name__ == "__main__":
    sys.exit("Use `make run`.")
