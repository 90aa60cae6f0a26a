"""Watching a supervisor from a test: its console lines and the processes it runs."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable

import psutil


def alive(pid: int) -> bool:
    """Running, not a zombie: a killed service stays a zombie until its parent reaps it."""
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what}")
        time.sleep(0.1)


def all_gone(pids: list[int], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(alive(p) for p in pids)


def kill_group(pid: int) -> None:
    """SIGKILL to a service's whole process group, as the kernel's OOM killer or a crash would leave it."""
    os.killpg(pid, signal.SIGKILL)
    wait_until(lambda: not alive(pid), 10, f"process {pid} gone")


class Console:
    """Collects a process's stdout lines in a thread, so a test can wait for a line without blocking forever."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, where: Callable[[str], bool], count: int = 1, timeout: float = 30.0,
                 after: int = 0) -> list[str]:
        """The first `count` lines past index `after` that satisfy `where`; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [line for line in self.lines[after:] if where(line)]
                if len(found) >= count:
                    return found[:count]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {count} matching lines within {timeout:g} s; got: {self.lines[after:]}")
                self._changed.wait(remaining)

    def mark(self) -> int:
        with self._changed:
            return len(self.lines)


class SupervisedServices:
    """The services a supervisor process runs, by name: kill one, then see it back while the others ran on.

    Mixed into a test's dataclass that has `process` (the supervisor),
    `console` and `pids` (service name -> pid, updated on a restart).
    """

    process: subprocess.Popen
    console: Console
    pids: dict[str, int]

    def kill(self, name: str) -> int:
        """Kills the service's process group; returns where the console was, to wait for what follows."""
        mark = self.console.mark()
        kill_group(self.pids[name])
        return mark

    def back(self, name: str, mark: int, timeout: float = 120, label: str | None = None) -> None:
        """Waits until the console says the service stopped and runs again; the others ran all along."""
        from doemee.messages import supervisor_service

        label = label or supervisor_service(name)
        self.console.wait_for(lambda line: f"{label} is gestopt (signaal SIGKILL)" in line, after=mark)
        self.console.wait_for(lambda line: f"{label} draait weer." in line, after=mark, timeout=timeout)
        children = {c.pid for c in psutil.Process(self.process.pid).children()}
        others = {pid for service, pid in self.pids.items() if service != name}
        assert others <= children, "another service was restarted too"
        (self.pids[name],) = children - others
