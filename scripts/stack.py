"""Starts, watches and stops DoeMee's processes: Rasa, the action server, the gateway, Telegram.

`make run` and the end-to-end tests share this, so the tests start the
stack exactly the way operators do. Each process gets its ports and URLs
through the environment. Under `make run` a service that stops is started
again (`Stack.wait`), so one crash does not take the whole chatbot down.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from doemee import messages
from scripts.local_services import free_port

ROOT = Path(__file__).resolve().parent.parent
APP_PY = ROOT / ".venv" / "bin" / "python"


def newest_model() -> Path:
    """The model to serve: DOEMEE_MODEL when set (a developer trying a model of their own), else the newest."""
    if os.environ.get("DOEMEE_MODEL"):
        return Path(os.environ["DOEMEE_MODEL"])
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
    env: dict[str, str] = field(default_factory=dict)  # on top of the stack's environment


@dataclass
class Backoff:
    """The pause before a stopped service is started again.

    Restarted at once, a service that fails on start-up would loop and take
    the CPU Rasa needs; one that ran well for a while and then stopped once
    should come back quickly, so the pause starts over after `steady` seconds up.
    """

    first: float = 1.0
    cap: float = 30.0
    steady: float = 60.0
    _next: float | None = field(default=None, init=False, repr=False)

    def next_delay(self, stayed_up: float) -> float:
        if self._next is None or stayed_up >= self.steady:
            self._next = self.first
        delay = self._next
        self._next = min(delay * 2, self.cap)
        return delay


@dataclass
class _Watch:
    """One service under supervision: up (`healthy_since`), paused (`restart_at`) or starting again."""

    service: Service
    backoff: Backoff
    healthy_since: float | None = None
    restart_at: float | None = None
    launched_at: float = 0.0


# A service without a health URL (Telegram) counts as up once it has run this long.
SETTLE_SECONDS = 5.0
TICK_SECONDS = 0.5


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
    # The production topology on one machine (make run-cluster): several Rasa instances and
    # action servers, the tracker store in PostgreSQL, shared state in Redis.
    rasa_instances: int = 1
    action_instances: int = 1
    tracker_store_url: str | None = None
    redis_url: str | None = None
    with_rasa: bool = True
    with_actions: bool = True
    with_gateway: bool = True
    with_telegram: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    quiet: bool = True
    log_dir: Path = ROOT / "var" / "log"
    restart: Backoff = field(default_factory=Backoff)
    restart_timeout: float = 180.0
    services: list[Service] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rasa_ports = [self.rasa_port] + [free_port() for _ in range(self.rasa_instances - 1)]
        self.action_ports = [self.action_port] + [free_port() for _ in range(self.action_instances - 1)]

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    def _sharing_cores(self) -> dict[str, str]:
        """Several Rasa instances on the same cores: the sentence encoder's OpenMP threads must not spin.

        Spinning, each instance's waiting threads held the cores the other
        needed: two instances answered 3.7 messages/s together, one alone 18;
        passive, the two answer 31 (make bench, part cluster).
        """
        if len(self.rasa_ports) < 2:
            return {}
        return {"OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}

    @staticmethod
    def _name(kind: str, index: int, count: int) -> str:
        return kind if count == 1 else f"{kind}-{index + 1}"

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
            "DOEMEE_RASA_URL": ",".join(self.rasa_urls),
            "DOEMEE_TRACKER_DB": str(tracker_db),
            "DOEMEE_TRACKER_STORE_URL": self.tracker_store_url or os.environ.get("DOEMEE_TRACKER_STORE_URL")
            or f"sqlite:///{tracker_db}",
            "DOEMEE_REDIS_URL": self.redis_url if self.redis_url is not None else os.environ.get("DOEMEE_REDIS_URL", ""),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PYTHONUNBUFFERED": "1",
            "SANIC_HOST": "127.0.0.1",  # the action server: loopback only
            # A killed Rasa's ticket on a conversation blocks the instance taking over until it expires
            # (Rasa's default: 60 s); the gateway gives up on a turn after 20 s anyway.
            "TICKET_LOCK_LIFETIME": os.environ.get("TICKET_LOCK_LIFETIME", "20"),
        }
        env.update(self.extra_env)
        return env

    def _plan(self) -> list[Service]:
        plan = []
        if self.with_actions:
            for n, port in enumerate(self.action_ports):
                plan.append(Service(
                    self._name("actions", n, len(self.action_ports)),
                    [str(APP_PY), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
                    f"http://127.0.0.1:{port}/health",
                ))
        if self.with_rasa:
            model = str(newest_model())
            for n, port in enumerate(self.rasa_ports):
                actions = self.action_ports[n % len(self.action_ports)]
                plan.append(Service(
                    self._name("rasa", n, len(self.rasa_ports)),
                    [str(ROOT / "bin" / "rasa"), "run", "--model", model,
                     "--port", str(port), "--interface", "127.0.0.1",
                     "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
                    f"http://127.0.0.1:{port}/",
                    env={"DOEMEE_ACTION_URL": f"http://127.0.0.1:{actions}/webhook", **self._sharing_cores()},
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
                self.services.append(service)
                self._launch(service, env)
            deadline = time.monotonic() + timeout
            for service in self.services:
                if service.health_url:
                    self._wait_healthy(service, deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, service: Service, env: dict[str, str]) -> None:
        """Starts one service in its own session, with a stop request held until its process is recorded."""
        out = open(self.log_dir / f"{service.name}.log", "ab") if self.quiet else None
        try:
            with _stop_requests.held():
                service.process = subprocess.Popen(
                    service.command, cwd=ROOT, env={**env, **service.env}, stdout=out, stderr=subprocess.STDOUT if out else None,
                    start_new_session=True,
                )
        finally:
            if out:
                out.close()

    def _wait_healthy(self, service: Service, deadline: float) -> None:
        while time.monotonic() < deadline:
            if service.process and service.process.poll() is not None:
                raise RuntimeError(f"{service.name} stopped while starting (see {self.log_dir}/{service.name}.log)")
            if _answers(service.health_url):
                return
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

    def run(self, announce: Callable[["Stack"], None] | None = None, timeout: float = 180.0) -> int:
        """start(), announce, wait(): a stop that lands between them still stops every service.

        Called one after the other, a SIGTERM just after start() returned would
        leave the services running, since they live in their own sessions.
        """
        try:
            self.start(timeout)
            if announce:
                announce(self)
            return self.wait()
        except KeyboardInterrupt:
            self.stop()
            return 0

    def wait(self) -> int:
        """Keeps every service running until Ctrl-C or SIGTERM, then stops them all.

        A service that stops is started again after a pause (`Backoff`) while
        the others keep serving, so residents get an apology from the gateway
        or the bot for a moment instead of a chatbot that stays down until
        someone notices. The services run in their own sessions, so a service
        manager's SIGTERM to this process alone would leave them running
        without the stop here.
        """
        _stop_requests.install()
        now = time.monotonic()
        watches = [_Watch(s, replace(self.restart), healthy_since=now) for s in self.services if s.process]
        try:
            while True:
                for watch in watches:
                    self._tend(watch)
                time.sleep(TICK_SECONDS)
        except KeyboardInterrupt:
            return 0
        finally:
            self.stop()

    def _tend(self, watch: _Watch) -> None:
        now = time.monotonic()
        if watch.restart_at is not None:
            if now >= watch.restart_at:
                self._relaunch(watch)
        elif watch.service.process.poll() is not None:
            self._stopped(watch)
        elif watch.healthy_since is None:
            self._check_restart(watch, now)

    def _stopped(self, watch: _Watch) -> None:
        """Clears out what is left of the stopped service's session (it would hold the port), then pauses."""
        code = watch.service.process.returncode
        _terminate(watch.service.process)
        delay = self._pause(watch)
        _tell(messages.SUPERVISOR_STOPPED.format(service=_label(watch), how=_how(code), delay=delay))

    def _relaunch(self, watch: _Watch) -> None:
        """Starts the service again; a launch that fails outright (say, a venv being rebuilt) pauses like a crash."""
        _tell(messages.SUPERVISOR_RESTARTING.format(service=_label(watch)))
        try:
            self._launch(watch.service, self.env())
        except OSError as error:
            delay = self._pause(watch)
            _tell(messages.SUPERVISOR_NOT_LAUNCHED.format(service=_label(watch), error=type(error).__name__,
                                                          delay=delay))
            return
        watch.restart_at = None
        watch.launched_at = time.monotonic()

    def _check_restart(self, watch: _Watch, now: float) -> None:
        """A restarted service counts as up only once it answers, as at the start."""
        if _is_up(watch, now):
            watch.healthy_since = now
            _tell(messages.SUPERVISOR_BACK.format(service=_label(watch)))
        elif now - watch.launched_at > self.restart_timeout:
            _terminate(watch.service.process)
            delay = self._pause(watch)
            _tell(messages.SUPERVISOR_NOT_HEALTHY.format(service=_label(watch), delay=delay))

    @staticmethod
    def _pause(watch: _Watch) -> float:
        now = time.monotonic()
        stayed_up = now - watch.healthy_since if watch.healthy_since is not None else 0.0
        delay = watch.backoff.next_delay(stayed_up)
        watch.healthy_since = None
        watch.restart_at = now + delay
        return delay

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


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except OSError:
        return False


def _is_up(watch: _Watch, now: float) -> bool:
    url = watch.service.health_url
    if url:
        return _answers(url)
    return now - watch.launched_at >= SETTLE_SECONDS


def _label(watch: _Watch) -> str:
    return messages.supervisor_service(watch.service.name)


def _how(returncode: int) -> str:
    """Exit code or signal: a SIGKILL (out of memory) reads differently from an error exit."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return messages.SUPERVISOR_SIGNAL.format(name=name)
    return messages.SUPERVISOR_EXIT_CODE.format(code=returncode)


def _tell(line: str) -> None:
    """One line for the operator's console, with the time, since services' own logs scroll past it."""
    print(f"[{time.strftime('%H:%M:%S')}] DoeMee: {line}", flush=True)


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
