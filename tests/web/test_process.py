"""`python -m bot.web` as the stack starts it: a real process on a real port."""

from __future__ import annotations

import subprocess

import httpx

from scripts.stack import APP_PY, ROOT, Stack


def test_gateway_process_starts_healthy_and_serves_the_widget(tmp_path):
    stack = Stack(database_url=f"sqlite:///{tmp_path / 'doemee.db'}", with_rasa=False, with_actions=False,
                  log_dir=tmp_path)
    with stack:
        with httpx.Client(timeout=10, trust_env=False) as client:
            assert client.get(f"{stack.gateway_url}/healthz").json() == {"status": "ok"}
            assert client.get(f"{stack.gateway_url}/widget.js").headers["content-type"].startswith("text/javascript")


def test_gateway_with_a_broken_centres_file_stops_with_a_reason(tmp_path):
    broken = tmp_path / "centres.yml"
    broken.write_text("centres: []\n", encoding="utf-8")
    result = subprocess.run(
        [str(APP_PY), "-m", "bot.web", "--port", "0"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "DOEMEE_CENTRES_FILE": str(broken), "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    assert "centres" in result.stderr
    assert "Traceback" not in result.stderr
