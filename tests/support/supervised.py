"""`make run`'s supervisor as a real process on free ports, for the end-to-end restart test.

    python -m tests.support.supervised FOLDER TELEGRAM_API_URL

Runs every service (Telegram against the fake Bot API at TELEGRAM_API_URL)
on the database the test seeded in FOLDER, with quiet logs in FOLDER/log.
Once all of them answer it prints one JSON line with the ports and each
service's pid, then supervises exactly as `make run` does (`Stack.run`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scripts.stack import Backoff, Stack

# The first pause is long enough for a test to talk to the other services
# while one is down; everything after it is `make run`'s own policy.
TEST_RESTART = Backoff(first=6.0)
TELEGRAM_TOKEN = "123:abc"


def main(folder: Path, telegram_api_url: str) -> int:
    stack = Stack(
        database_url=f"sqlite:///{folder / 'doemee.db'}",
        tracker_db=folder / "tracker.db",
        log_dir=folder / "log",
        with_telegram=True,
        restart=TEST_RESTART,
        extra_env={
            "DOEMEE_RATE_PER_IP": "100000",
            "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
            "DOEMEE_TELEGRAM_API_URL": telegram_api_url,
        },
    )
    return stack.run(announce=_announce, timeout=600)


def _announce(stack: Stack) -> None:
    print(json.dumps({
        "rasa_url": stack.rasa_url,
        "action_health_url": f"http://127.0.0.1:{stack.action_port}/health",
        "gateway_url": stack.gateway_url,
        "pids": {service.name: service.process.pid for service in stack.services},
    }), flush=True)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
