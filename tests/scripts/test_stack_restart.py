"""`make run` keeps the chatbot up: a service that stops is started again, the others keep running."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from scripts.stack import Backoff
from tests.support.processes import Console, alive, all_gone, kill_group

ROOT = Path(__file__).resolve().parents[2]
# A supervised stack of stand-ins, each in its own session like the real services, with short pauses.
# "sleepers": two services that just run.
# "crashing": "actions" exits with code 3 at once, every time; "rasa" just runs.
# "unhealthy": "actions" answers its health check the first time only; after a restart it runs but never answers.
RUNNER = """
import sys
import scripts.stack
from scripts.stack import Backoff, Service, Stack
from tests.support.postgres import free_port

mode, log_dir = sys.argv[1], sys.argv[2]
scripts.stack.SETTLE_SECONDS = 0.5
sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
port = free_port()
serve_once = [sys.executable, "-c", sys.argv[3], log_dir, str(port)] if mode == "unhealthy" else None

class StandIns(Stack):
    def _plan(self):
        if mode == "crashing":
            return [Service("rasa", sleeper, None), Service("actions", [sys.executable, "-c", "exit(3)"], None)]
        if mode == "unhealthy":
            return [Service("rasa", sleeper, None), Service("actions", serve_once, f"http://127.0.0.1:{port}/")]
        return [Service("rasa", sleeper, None), Service("actions", sleeper, None)]

def announce(stack):
    print(" ".join(str(s.process.pid) for s in stack.services), flush=True)

stack = StandIns(database_url="sqlite://", log_dir=scripts.stack.Path(log_dir),
                 restart=Backoff(first=0.2, cap=0.8), restart_timeout=3)
sys.exit(stack.run(announce))
"""

# Serves HTTP the first time it runs; every later run only sleeps (a service stuck while loading).
SERVE_ONCE = """
import http.server, sys, time
from pathlib import Path
marker = Path(sys.argv[1]) / "served"
if marker.exists():
    time.sleep(120)
marker.touch()
http.server.HTTPServer(("127.0.0.1", int(sys.argv[2])), http.server.SimpleHTTPRequestHandler).serve_forever()
"""


@pytest.fixture
def supervise(tmp_path):
    """Starts the runner in a mode; returns it with its console and first pids; stops it at the end."""
    started = []

    def start(mode: str) -> tuple[subprocess.Popen, Console, list[int]]:
        runner = subprocess.Popen([sys.executable, "-c", RUNNER, mode, str(tmp_path), SERVE_ONCE], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        started.append(runner)
        console = Console(runner)
        pids = [int(p) for p in console.wait_for(lambda line: line[:1].isdigit(), timeout=30)[0].split()]
        return runner, console, pids

    yield start
    for runner in started:
        if runner.poll() is None:  # a test failed before stopping it; SIGKILL would orphan its services
            runner.send_signal(signal.SIGTERM)
            runner.wait(timeout=30)


def _stopped_lines(console: Console, service: str, count: int) -> list[str]:
    return console.wait_for(lambda line: f"{service} is gestopt" in line, count=count, timeout=30)


def _stop(runner: subprocess.Popen) -> list[int]:
    """SIGTERMs the runner; returns the pids of what it was running, so a test can check they are gone."""
    children = [c.pid for c in psutil.Process(runner.pid).children(recursive=True)]
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=30) == 0
    return children


def test_a_killed_service_is_started_again_while_the_others_keep_running(supervise):
    runner, console, (rasa, actions) = supervise("sleepers")
    kill_group(rasa)
    assert "Rasa is gestopt (signaal SIGKILL)" in _stopped_lines(console, "Rasa", 1)[0]
    console.wait_for(lambda line: "Rasa draait weer." in line)
    children = {c.pid for c in psutil.Process(runner.pid).children()}
    assert actions in children and rasa not in children and len(children) == 2
    assert alive(actions) and runner.poll() is None
    assert all_gone(_stop(runner))


def test_a_service_that_keeps_crashing_is_retried_with_doubling_capped_pauses(supervise):
    runner, console, (rasa, _) = supervise("crashing")
    lines = _stopped_lines(console, "De actieserver", 5)
    assert all("(exitcode 3)" in line for line in lines)
    pauses = [float(re.search(r"over ([\d.]+) s", line).group(1)) for line in lines]
    assert pauses == [0.2, 0.4, 0.8, 0.8, 0.8]
    assert runner.poll() is None and alive(rasa)
    assert all_gone(_stop(runner))


def test_a_restarted_service_that_never_answers_its_health_check_is_restarted_again(supervise):
    runner, console, (_, actions) = supervise("unhealthy")
    kill_group(actions)
    console.wait_for(lambda line: "De actieserver kwam niet op tijd op gang" in line, timeout=30)
    console.wait_for(lambda line: "De actieserver wordt opnieuw gestart." in line, count=2, timeout=30)
    assert not any("draait weer" in line for line in console.lines)
    assert runner.poll() is None
    assert all_gone(_stop(runner))


def test_sigterm_during_a_pause_still_stops_everything(supervise):
    runner, console, (rasa, actions) = supervise("crashing")
    _stopped_lines(console, "De actieserver", 3)
    assert all_gone(_stop(runner) + [rasa])


def test_pauses_double_up_to_the_cap():
    backoff = Backoff(first=1, cap=30, steady=60)
    assert [backoff.next_delay(stayed_up=0) for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_service_that_stayed_up_a_while_gets_the_short_pause_again():
    backoff = Backoff(first=1, cap=30, steady=60)
    for _ in range(4):
        backoff.next_delay(stayed_up=5)
    assert backoff.next_delay(stayed_up=60) == 1
    assert backoff.next_delay(stayed_up=0) == 2
