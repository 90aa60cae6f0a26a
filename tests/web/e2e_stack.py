"""One real stack (Rasa, actions, gateway) shared by the web and browser end-to-end tests.

Rasa takes long to start and holds about a gigabyte, so every e2e test in a
session uses the same one. It runs on a throwaway database seeded with the
demo data, exactly as `make run` seeds var/doemee.db.
"""

from __future__ import annotations

import pytest

from scripts.stack import Stack
from tests.support.stack import seeded_stack

# The per-IP limit guards a public widget; tests and the benchmark send many
# conversations from one loopback address on purpose.
STACK_ENV = {"DOEMEE_RATE_PER_IP": "100000"}

_shared: dict[str, Stack] = {}


def shared_stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Stack:
    """The session's stack, started on first use and stopped when the session ends."""
    if "stack" in _shared:
        return _shared["stack"]
    stack = seeded_stack(tmp_path_factory.mktemp("e2e"), extra_env=STACK_ENV, with_telegram=False)
    _shared["stack"] = stack
    request.session.config.add_cleanup(_stop)
    return stack


def _stop() -> None:
    stack = _shared.pop("stack", None)
    if stack is not None:
        stack.stop()
