"""`make run`: starts Rasa, the action server, the gateway and (with a token) Telegram.

A service that stops is started again after a short pause (`Stack.wait` in
scripts/stack.py); only Ctrl-C or SIGTERM stops all of them. The
environments, model, geography and database were prepared by the Makefile
targets this runs after.
"""

from __future__ import annotations

import sys

from doemee.settings import get_settings
from scripts.stack import Stack


def main() -> int:
    settings = get_settings()
    stack = Stack(
        database_url=settings.database_url,
        rasa_port=5005,
        action_port=5055,
        gateway_port=8000,
        with_telegram=bool(settings.telegram_bot_token),
        quiet=False,
    )
    print("DoeMee start... (Ctrl-C stopt alles)", flush=True)
    try:
        return stack.run(announce=_announce)
    except RuntimeError as error:
        print(f"DoeMee kon niet starten: {error}", file=sys.stderr, flush=True)
        return 1


def _announce(stack: Stack) -> None:
    print(
        "\nDoeMee draait:\n"
        f"  widget-demo en kansen: http://localhost:{stack.gateway_port}/\n"
        f"  Rasa REST-kanaal:      http://localhost:{stack.rasa_port}/webhooks/rest/webhook\n"
        f"  actieserver:           http://localhost:{stack.action_port}/webhook\n"
        f"  Telegram:              {'aan' if stack.with_telegram else 'uit (zet TELEGRAM_BOT_TOKEN)'}\n"
        "Stopt er een dienst, dan start DoeMee die vanzelf opnieuw. Ctrl-C stopt alles.\n",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
