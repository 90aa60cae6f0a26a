"""One real stack (Rasa, actions, gateway) shared by the web and browser end-to-end tests.

Rasa takes long to start and holds about a gigabyte, so every e2e test in a
session uses the same one. It runs on a throwaway database seeded with the
demo data, exactly as `make run` seeds var/doemee.db.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from scripts.stack import ROOT, Stack

# The per-IP limit guards a public widget; tests and the benchmark send many
# conversations from one loopback address on purpose.
STACK_ENV = {"DOEMEE_RATE_PER_IP": "100000"}

_shared: dict[str, Stack] = {}


def _has_model() -> bool:
    return any((ROOT / "models").glob("*.tar.gz"))


def shared_stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Stack:
    """The session's stack, started on first use and stopped when the session ends."""
    if "stack" in _shared:
        return _shared["stack"]
    if not _has_model():
        pytest.skip("no trained Rasa model in models/ (run `make model`)")
    folder: Path = tmp_path_factory.mktemp("e2e")
    database_url = f"sqlite:///{folder / 'doemee.db'}"
    env = {**os.environ, "DOEMEE_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    seeded = subprocess.run([str(ROOT / "bin" / "doemee"), "setup"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert seeded.returncode == 0, seeded.stderr
    stack = Stack(
        database_url=database_url,
        tracker_db=folder / "tracker.db",
        with_telegram=False,
        log_dir=folder / "log",
        extra_env={**STACK_ENV, "DOEMEE_OUTBOX_DIR": str(folder / "outbox")},
    )
    try:
        stack.start(timeout=600)
    except BaseException:
        stack.stop()
        raise
    _shared["stack"] = stack
    request.session.config.add_cleanup(_stop)
    return stack


def _stop() -> None:
    stack = _shared.pop("stack", None)
    if stack is not None:
        stack.stop()
