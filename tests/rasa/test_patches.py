"""The patches go in only explicitly, only on the Rasa they were written for, and Rasa cannot start without them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import rasa

from rasa_addons import patches

ROOT = Path(__file__).resolve().parents[2]


def run(code: str, *args: str) -> subprocess.CompletedProcess:
    """A fresh interpreter: the one running the tests has the patches installed already."""
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)


def test_every_patch_names_the_rasa_it_was_written_for_and_it_is_this_one():
    assert patches.PATCHES and patches.mismatched(rasa.__version__) == []


def test_another_rasa_release_refuses_to_start_and_installs_nothing():
    done = run(
        "import sys\n"
        "from rasa.core.actions.action import RemoteAction\n"
        "from rasa.core.processor import MessageProcessor\n"
        "before = (RemoteAction._validate_action_result, MessageProcessor.handle_message)\n"
        "from rasa_addons.patches import UnsupportedRasaVersion, install_all, installed\n"
        "try:\n"
        "    install_all('3.7.0')\n"
        "except UnsupportedRasaVersion as error:\n"
        "    print(error)\n"
        "    assert (RemoteAction._validate_action_result, MessageProcessor.handle_message) == before\n"
        "    assert not installed()\n"
        "    sys.exit(3)\n"
    )
    assert done.returncode == 3, done.stderr[-2000:]
    assert "Rasa 3.7.0" in done.stdout
    for module in patches.PATCHES:
        assert module.__name__ in done.stdout


def test_importing_the_addons_changes_nothing_and_the_tracker_store_refuses_to_start_without_them():
    done = run(
        "import sys\n"
        "from rasa.core.actions.action import RemoteAction\n"
        "before = RemoteAction._validate_action_result\n"
        "import rasa_addons, rasa_addons.lock_store\n"
        "from rasa_addons.forgetting_tracker_store import ForgettingSQLTrackerStore\n"
        "from rasa_addons.patches import PatchesNotInstalled\n"
        "assert RemoteAction._validate_action_result is before\n"
        "try:\n"
        "    ForgettingSQLTrackerStore(host='sqlite:///' + sys.argv[1])\n"
        "except PatchesNotInstalled as error:\n"
        "    print(error)\n"
        "    sys.exit(3)\n",
        "/nonexistent/never-created.db",
    )
    assert done.returncode == 3, done.stderr[-2000:]
    assert "rasa_addons.serve" in done.stdout


def test_install_all_puts_every_patch_in_once():
    done = run(
        "from rasa.core.actions.action import RemoteAction\n"
        "from rasa.core.processor import MessageProcessor\n"
        "from rasa_addons.patches import install_all, installed\n"
        "from rasa_addons.action_replies import validate_reply\n"
        "install_all()\n"
        "first = MessageProcessor.handle_message\n"
        "install_all()\n"
        "assert installed() and RemoteAction._validate_action_result is validate_reply\n"
        "assert MessageProcessor.handle_message is first\n"
        "for marker in ('__wrapped_by_gate__', '__freezes_startup__', '__wrapped_by_incoming_text__'):\n"
        "    assert getattr(first, marker, False), marker\n"
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_serve_command_is_rasa_own_command_line():
    done = subprocess.run([sys.executable, "-m", "rasa_addons.serve", "--version"], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"Rasa Version      :         {rasa.__version__}" in done.stdout


@pytest.mark.parametrize("url, expected", [
    ("sqlite:////var/lib/doemee/rasa.db", {"dialect": "sqlite", "db": "/var/lib/doemee/rasa.db"}),
    ("postgresql://rasa:geheim%40x@db.internal:5433/rasa?sslmode=require",
     {"dialect": "postgresql", "db": "rasa", "host": "db.internal", "port": 5433, "username": "rasa",
      "password": "geheim@x", "query": {"sslmode": "require"}}),
])
def test_the_tracker_store_url_becomes_rasa_own_settings(url, expected):
    from rasa_addons.forgetting_tracker_store import url_settings

    assert url_settings(url) == expected


def test_the_log_redaction_outlives_rasa_configuring_its_logging_at_start_up():
    """rasa_addons.serve installs the patches before Rasa's command line configures structlog."""
    done = run(
        "import logging\n"
        "from rasa_addons.patches import install_all\n"
        "install_all()\n"
        "from rasa.utils.log_utils import configure_structlog\n"
        "configure_structlog(logging.INFO)\n"
        "import structlog\n"
        "structlog.get_logger().error('rest.message.received.timeout', text='mijn adres is Dorpsstraat 1')\n"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "rest.message.received.timeout" in done.stdout + done.stderr
    assert "Dorpsstraat" not in done.stdout + done.stderr
