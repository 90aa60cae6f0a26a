"""`make run-cluster`'s stack as a real supervised process, on stores the test owns.

    python -m tests.support.cluster FOLDER DATABASE_URL TRACKER_URL REDIS_URL TELEGRAM_API_URL

The test starts PostgreSQL and Redis itself (so it can restart and stop
them), then this runs two Rasa instances, two action servers, the
gateway and the Telegram bridge (against the fake Bot API) exactly as `make run-cluster` does, with quiet logs in FOLDER/log.
Once all answer it prints one JSON line with the URLs and each service's
pid, then supervises (`Stack.run`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scripts.run_cluster import cluster_stack
from scripts.stack import Stack


TELEGRAM_TOKEN = "123:abc"


def main(folder: Path, database_url: str, tracker_url: str, redis_url: str, telegram_api_url: str) -> int:
    stack = cluster_stack(database_url, tracker_url, redis_url, log_dir=folder / "log", with_telegram=True,
                          # A busy CI machine may take longer than the gateway's 20 s for a turn;
                          # the suites test what survives, not how fast.
                          extra_env={"DOEMEE_RATE_PER_IP": "100000", "DOEMEE_RATE_PER_SENDER": "100000",
                                     "DOEMEE_RASA_TIMEOUT": "90",
                                     "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "DOEMEE_TELEGRAM_API_URL": telegram_api_url})
    return stack.run(announce=_announce, timeout=900)


def _announce(stack: Stack) -> None:
    print(json.dumps({
        "gateway_url": stack.gateway_url,
        "rasa_urls": stack.rasa_urls,
        "action_ports": stack.action_ports,
        "pids": {service.name: service.process.pid for service in stack.services},
    }), flush=True)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), *sys.argv[2:6]))
