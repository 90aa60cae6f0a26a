"""The e2e tests' shared stack: one real Rasa, action server and gateway for the whole session."""

from __future__ import annotations

import subprocess

import pytest

from scripts.stack import ROOT, Stack
from tests.web.e2e_stack import shared_stack


@pytest.fixture(scope="session")
def stack(request, tmp_path_factory) -> Stack:
    """`make model` first, so a stale model is retrained (a no-op when it is current), once per session."""
    if (ROOT / ".venv-rasa" / ".installed").exists():
        trained = subprocess.run(["make", "-s", "model"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
        assert trained.returncode == 0, trained.stdout[-2000:] + trained.stderr[-2000:]
    return shared_stack(request, tmp_path_factory)
