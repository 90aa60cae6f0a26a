"""Starting the real stack for end-to-end tests, as `make run` does, on a throwaway database."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scripts.stack import ROOT, Stack


def has_model() -> bool:
    return any((ROOT / "models").glob("*.tar.gz"))


def seeded_stack(folder: Path, extra_env: dict[str, str] | None = None, **options: Any) -> Stack:
    """A started stack whose database in `folder` holds the demo data (`doemee setup`).

    Skips the test without a trained model: Rasa cannot start without one.
    E-mails stay in the database's outbox (no SMTP); `options` pick the services.
    """
    if not has_model():
        pytest.skip("no trained Rasa model in models/ (run `make model`)")
    database_url = seeded_database(folder)
    stack = Stack(
        database_url=database_url,
        tracker_db=folder / "tracker.db",
        log_dir=folder / "log",
        extra_env=dict(extra_env or {}),
        **options,
    )
    try:
        stack.start(timeout=600)
    except BaseException:
        stack.stop()
        raise
    return stack


def seeded_database(folder: Path) -> str:
    """The URL of a SQLite database in `folder` holding the demo data, as `make run` seeds var/doemee.db."""
    database_url = f"sqlite:///{folder / 'doemee.db'}"
    env = {**os.environ, "DOEMEE_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    seeded = subprocess.run([str(ROOT / "bin" / "doemee"), "setup"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert seeded.returncode == 0, seeded.stderr
    return database_url
