"""`make run` under a service manager: SIGTERM stops every service, as Ctrl-C does."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A stack whose services are plain sleepers, each in its own session like the real ones.
RUNNER = """
import subprocess, sys
from scripts.stack import Service, Stack
stack = Stack(database_url="sqlite://")
for name in ("rasa", "actions"):
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)
    stack.services.append(Service(name, [], None, process))
print(" ".join(str(s.process.pid) for s in stack.services), flush=True)
sys.exit(stack.wait())
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def test_sigterm_stops_every_service_and_exits_cleanly():
    runner = subprocess.Popen([sys.executable, "-c", RUNNER], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    pids = [int(p) for p in runner.stdout.readline().split()]
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    runner.send_signal(signal.SIGTERM)
    assert runner.wait(timeout=30) == 0
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)
