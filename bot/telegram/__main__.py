"""`python -m bot.telegram`: long polling, or a webhook when DOEMEE_TELEGRAM_WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import logging
import sys

from telegram import Update

from bot.telegram.app import build_application
from bot.telegram.config import ConfigError, TelegramConfig
from bot.telegram.webhook import serve_webhook


def quiet_logging() -> None:
    """INFO for DoeMee, WARNING for libraries: httpx would log every URL, token included."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "uvicorn"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main() -> int:
    quiet_logging()
    try:
        config = TelegramConfig.from_env()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    application = build_application(config)
    log = logging.getLogger("bot.telegram")
    if config.webhook_mode:
        log.info("telegram bot: webhook mode on port %d", config.webhook_port)
        try:
            asyncio.run(serve_webhook(application, config))
        except KeyboardInterrupt:
            pass
        return 0
    log.info("telegram bot: long polling")
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
