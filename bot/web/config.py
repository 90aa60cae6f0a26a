"""The gateway's settings, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from doemee.settings import PROJECT_ROOT, Settings

DEFAULT_RASA_URL = "http://localhost:5005"
DEFAULT_CENTRES_FILE = PROJECT_ROOT / "centres.yml"
DEFAULT_EMAIL_ALERT_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True)
class GatewayConfig:
    """What one gateway process needs.

    Limits are per minute. The per-IP limit is looser than the per-sender one
    because several residents can share one address (a library, an office).
    """

    rasa_url: str = DEFAULT_RASA_URL
    database_url: str = field(default_factory=lambda: Settings().database_url)
    centres_file: Path = DEFAULT_CENTRES_FILE
    allowed_origins: frozenset[str] = frozenset()
    rate_per_sender: int = 20
    rate_per_ip: int = 120
    rasa_timeout: float = 20.0
    max_message_chars: int = 1000
    # Alert mails: how often the gateway's sender runs (0: not in this process), and
    # the mail settings (SMTP or outbox, public URL, signing key) it and the mail links use.
    email_alert_interval_seconds: float = DEFAULT_EMAIL_ALERT_INTERVAL_SECONDS
    mail: Settings = field(default_factory=Settings)
    # The portal's cookies get the Secure flag: on whenever the gateway is reached over TLS.
    portal_secure_cookies: bool = False
    # How often the centres are read again from the database (colours, region, websites).
    centres_refresh_seconds: float = 30.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "GatewayConfig":
        env = dict(os.environ if env is None else env)
        defaults = cls()
        return cls(
            rasa_url=(env.get("DOEMEE_RASA_URL") or DEFAULT_RASA_URL).rstrip("/"),
            database_url=Settings.from_env(env).database_url,
            centres_file=Path(env.get("DOEMEE_CENTRES_FILE") or DEFAULT_CENTRES_FILE),
            allowed_origins=parse_origins(env.get("DOEMEE_ALLOWED_ORIGINS", "")),
            rate_per_sender=int(env.get("DOEMEE_RATE_PER_SENDER") or defaults.rate_per_sender),
            rate_per_ip=int(env.get("DOEMEE_RATE_PER_IP") or defaults.rate_per_ip),
            rasa_timeout=float(env.get("DOEMEE_RASA_TIMEOUT") or defaults.rasa_timeout),
            email_alert_interval_seconds=_interval(env.get("DOEMEE_EMAIL_ALERT_INTERVAL_SECONDS")),
            mail=Settings.from_env(env),
            centres_refresh_seconds=float(env.get("DOEMEE_CENTRES_REFRESH_SECONDS") or defaults.centres_refresh_seconds),
            portal_secure_cookies=(env.get("DOEMEE_PORTAL_SECURE_COOKIES") or "").strip().lower() in ("1", "true", "ja", "yes"),
        )


def parse_origins(text: str) -> frozenset[str]:
    """`https://a.nl, https://b.nl/` -> exact origins, without trailing slashes."""
    return frozenset(part.strip().rstrip("/").lower() for part in text.split(",") if part.strip())


def _interval(text: str | None) -> float:
    """Seconds between rounds of the alert mail sender; "0" turns it off, anything else waits at least 1 s."""
    if text is None or not text.strip():
        return DEFAULT_EMAIL_ALERT_INTERVAL_SECONDS
    seconds = float(text)
    return 0.0 if seconds <= 0 else max(seconds, 1.0)
