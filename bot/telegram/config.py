"""The Telegram bot's settings, from the environment (see the README)."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from doemee.settings import Settings

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_RASA_URL = "http://localhost:5005"
DEFAULT_WEBHOOK_PORT = 8443
DEFAULT_ALERT_INTERVAL_SECONDS = 20.0
CHANNEL = "telegram"
SENDER_PREFIX = "telegram:"
# What Telegram allows as a webhook secret token.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(ValueError):
    """A setting is missing or wrong; the message says which, for the operator."""


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    rasa_url: str = DEFAULT_RASA_URL
    database_url: str = ""
    api_url: str = DEFAULT_API_URL
    webhook_url: str | None = None
    secret_token: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = DEFAULT_WEBHOOK_PORT
    alert_interval_seconds: float = DEFAULT_ALERT_INTERVAL_SECONDS
    rasa_timeout_seconds: float = 30.0
    # Shared by every bridge (button state, pusher leases); None: this process alone, in memory.
    redis_url: str | None = None
    # Keys the hashes of chat ids in Redis; shared by every bridge (see DOEMEE_SECRET_KEY).
    secret_key: str | None = None

    @property
    def webhook_mode(self) -> bool:
        return bool(self.webhook_url)

    @property
    def webhook_path(self) -> str:
        """The path Telegram posts to: the webhook URL's own path."""
        return urlsplit(self.webhook_url or "").path or "/"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "TelegramConfig":
        env = dict(os.environ if env is None else env)
        token = (env.get("TELEGRAM_BOT_TOKEN") or "").strip()
        if not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set: ask @BotFather for a token (see the README).")
        webhook_url = (env.get("DOEMEE_TELEGRAM_WEBHOOK_URL") or "").strip() or None
        secret = (env.get("DOEMEE_TELEGRAM_SECRET_TOKEN") or "").strip() or None
        if webhook_url:
            if urlsplit(webhook_url).scheme != "https" and not env.get("DOEMEE_TELEGRAM_API_URL"):
                raise ConfigError("DOEMEE_TELEGRAM_WEBHOOK_URL must start with https:// (Telegram requires it).")
            # Without a configured secret, a fresh one per start still shuts out strangers.
            secret = secret or secrets.token_urlsafe(32)
        if secret is not None and not _SECRET.match(secret):
            raise ConfigError("DOEMEE_TELEGRAM_SECRET_TOKEN may only hold A-Z, a-z, 0-9, _ and - (1 to 256).")
        try:
            port = int(env.get("DOEMEE_TELEGRAM_WEBHOOK_PORT") or DEFAULT_WEBHOOK_PORT)
            interval = float(env.get("DOEMEE_ALERT_INTERVAL_SECONDS") or DEFAULT_ALERT_INTERVAL_SECONDS)
        except ValueError:
            raise ConfigError("DOEMEE_TELEGRAM_WEBHOOK_PORT and DOEMEE_ALERT_INTERVAL_SECONDS must be numbers.") from None
        return cls(
            token=token,
            rasa_url=(env.get("DOEMEE_RASA_URL") or DEFAULT_RASA_URL).strip(),
            database_url=Settings.from_env(env).database_url,
            api_url=(env.get("DOEMEE_TELEGRAM_API_URL") or DEFAULT_API_URL).strip(),
            webhook_url=webhook_url,
            secret_token=secret,
            webhook_listen=(env.get("DOEMEE_TELEGRAM_WEBHOOK_LISTEN") or "127.0.0.1").strip(),
            webhook_port=port,
            alert_interval_seconds=max(interval, 1.0),
            redis_url=Settings.from_env(env).redis_url,
            secret_key=Settings.from_env(env).secret_key,
        )


def sender_id(chat_id: int) -> str:
    """The Rasa sender id of a Telegram chat; the actions key residents by it."""
    return f"{SENDER_PREFIX}{chat_id}"


def chat_id_of(sender: str) -> int | None:
    """The chat a Rasa sender id belongs to; None for other channels' ids."""
    if not sender.startswith(SENDER_PREFIX):
        return None
    try:
        return int(sender[len(SENDER_PREFIX):])
    except ValueError:
        return None
