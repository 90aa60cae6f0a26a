"""The gateway's settings, read from the environment once at start-up."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from doemee.settings import PROJECT_ROOT, Settings

DEFAULT_RASA_URL = "http://localhost:5005"
DEFAULT_CENTRES_FILE = PROJECT_ROOT / "centres.yml"
DEFAULT_EMAIL_ALERT_INTERVAL_SECONDS = 60.0
DEFAULT_OUTBOX_INTERVAL_SECONDS = 5.0
DEFAULT_FIGURES_WARM_SECONDS = 240.0


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
    # How often the gateway sends what the outbox holds (0: not in this process).
    outbox_interval_seconds: float = DEFAULT_OUTBOX_INTERVAL_SECONDS
    mail: Settings = field(default_factory=Settings)
    # The portal's cookies get the Secure flag: on whenever the gateway is reached over TLS.
    portal_secure_cookies: bool = False
    # How often Cijfers is counted ahead for every centre (0: only when a page asks). Off unless
    # the environment turns it on, as `from_env` does: tests count the statements a page runs.
    figures_warm_seconds: float = 0.0
    # How often the centres are read again from the database (colours, region, websites).
    centres_refresh_seconds: float = 30.0
    # Reverse proxies (IPs or CIDRs) whose X-Forwarded-For names the client; empty: the peer is the client.
    trusted_proxies: tuple[str, ...] = ()
    # The partner API (/api/v1), per minute: per key, and per address for reads without a key.
    api_rate_per_key: int = 120
    api_rate_anonymous: int = 30
    # Shared by every gateway (rate limits, mail-job leases); None: this process alone, in memory.
    redis_url: str | None = None

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
            outbox_interval_seconds=_interval(env.get("DOEMEE_OUTBOX_INTERVAL_SECONDS"), DEFAULT_OUTBOX_INTERVAL_SECONDS),
            mail=Settings.from_env(env),
            figures_warm_seconds=_interval(env.get("DOEMEE_FIGURES_WARM_SECONDS"), DEFAULT_FIGURES_WARM_SECONDS),
            centres_refresh_seconds=float(env.get("DOEMEE_CENTRES_REFRESH_SECONDS") or defaults.centres_refresh_seconds),
            portal_secure_cookies=(env.get("DOEMEE_PORTAL_SECURE_COOKIES") or "").strip().lower() in ("1", "true", "ja", "yes"),
            api_rate_per_key=int(env.get("DOEMEE_API_RATE_PER_KEY") or defaults.api_rate_per_key),
            api_rate_anonymous=int(env.get("DOEMEE_API_RATE_ANONYMOUS") or defaults.api_rate_anonymous),
            trusted_proxies=parse_proxies(env.get("DOEMEE_TRUSTED_PROXIES", "")),
            redis_url=Settings.from_env(env).redis_url,
        )


def parse_origins(text: str) -> frozenset[str]:
    """`https://a.nl, https://b.nl/` -> exact origins, without trailing slashes."""
    return frozenset(part.strip().rstrip("/").lower() for part in text.split(",") if part.strip())


class ProxySettingError(ValueError):
    """DOEMEE_TRUSTED_PROXIES names something that is no IP address or network."""


def parse_proxies(text: str) -> tuple[str, ...]:
    """`10.0.0.5, 192.168.0.0/24` -> normalised networks; a typo stops the start instead of trusting nobody.

    uvicorn's proxy middleware would take an unreadable entry as a literal
    host name and silently never match it, so it is refused here.
    """
    networks = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ProxySettingError(f"DOEMEE_TRUSTED_PROXIES: '{part[:60]}' is no IP address or network") from None
    return tuple(networks)


def _interval(text: str | None, default: float = DEFAULT_EMAIL_ALERT_INTERVAL_SECONDS) -> float:
    """Seconds between rounds of a background job; "0" turns it off, anything else waits at least 1 s."""
    if text is None or not text.strip():
        return default
    seconds = float(text)
    return 0.0 if seconds <= 0 else max(seconds, 1.0)
