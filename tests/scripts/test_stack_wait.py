"""`make run` under a service manager: SIGTERM stops every service, as Ctrl-C does."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
# A stack whose services are plain sleepers, each in its own session like the real ones.
# "slow": the second one never answers its health check, so start() keeps waiting.
# "chatty": the announcement after the start takes seconds, like a slow terminal.
# "manager": one service that runs MANAGER.
# "torn": the SIGTERM lands inside Popen, after the first service's fork; it prints that pid.
RUNNER = """
import os, signal, subprocess, sys, time
from scripts.stack import Service, Stack
from tests.support.postgres import free_port

mode = sys.argv[1] if len(sys.argv) > 1 else ""

if mode == "torn":
    class Torn(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            print(self.pid, flush=True)
            os.kill(os.getpid(), signal.SIGTERM)
    subprocess.Popen = Torn

class Sleepers(Stack):
    def _plan(self):
        if mode == "manager":
            return [Service("actions", [sys.executable, "-c", sys.argv[3], sys.argv[2]], None)]
        sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
        silent = f"http://127.0.0.1:{free_port()}/" if mode == "slow" else None
        return [Service("rasa", sleeper, None), Service("actions", sleeper, silent)]

def announce(stack):
    print(" ".join(str(s.process.pid) for s in stack.services), flush=True)
    if mode == "chatty":
        time.sleep(20)

sys.exit(Sleepers(database_url="sqlite://").run(announce))
"""


# Like Sanic's worker manager: it needs its helper process while it shuts down, and
# leaves behind a child that ignores SIGTERM. It reports whether the helper lived.
MANAGER = """
import signal, subprocess, sys, time
helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"])

def stop(*_):
    time.sleep(0.3)
    open(sys.argv[1], "w").write("helper alive" if helper.poll() is None else "helper gone")
    helper.terminate()
    helper.wait()
    sys.exit(0)

signal.signal(signal.SIGTERM, stop)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def _runner(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", RUNNER, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _children(pid: int, count: int) -> list[psutil.Process]:
    """The process's children once there are `count` of them, or what there is after 30 s."""
    deadline = time.monotonic() + 30
    children: list[psutil.Process] = []
    while len(children) < count and time.monotonic() < deadline:
        time.sleep(0.1)
        children = psutil.Process(pid).children()
    return children


def _all_gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(p) for p in pids)


def test_sigterm_stops_every_service_and_exits_cleanly():
    runner = _runner()
    pids = [int(p) for p in runner.stdout.readline().split()]
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=30) == 0
    assert _all_gone(pids)


def test_sigterm_between_start_and_wait_still_stops_every_service():
    runner = _runner("chatty")
    pids = [int(p) for p in runner.stdout.readline().split()]
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=15) == 0
    assert _all_gone(pids)


def test_sigterm_while_starting_stops_what_was_already_launched():
    """Rasa takes a minute to answer; a stop in that minute must not leave it running."""
    runner = _runner("slow")
    pids = [child.pid for child in _children(runner.pid, 2)]
    assert len(pids) == 2
    runner.send_signal(signal.SIGTERM)
    runner.wait(timeout=30)
    assert _all_gone(pids)


def test_sigterm_inside_a_launch_still_stops_the_service_being_launched():
    """Under load, a SIGTERM once landed between a service's fork and its record, and it ran on."""
    runner = _runner("torn")
    pid = int(runner.stdout.readline())
    assert runner.wait(timeout=30) == 0
    assert _all_gone([pid])


def test_a_service_stops_its_own_helpers_and_the_rest_of_its_session_goes_after(tmp_path):
    """Signalling a service's whole session at once made the action server print a traceback."""
    report = tmp_path / "report"
    runner = _runner("manager", str(report), MANAGER)
    leader = int(runner.stdout.readline().split()[0])
    children = _children(leader, 2)
    assert len(children) == 2
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=30) == 0
    assert report.read_text() == "helper alive"
    assert _all_gone([leader, *(child.pid for child in children)])
