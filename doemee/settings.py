"""Settings from the environment, read once, so every process agrees on them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_geo_dir() -> Path:
    shared = PROJECT_ROOT.parent / "shared" / "data" / "geonames"
    if shared.is_dir():
        return shared
    return PROJECT_ROOT / "var" / "geonames"


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'doemee.db'}"
    geo_dir: Path = field(default_factory=_default_geo_dir)
    geonames_base_url: str = "https://download.geonames.org/export"
    telegram_bot_token: str | None = None
    # Unused: mail lives in the outbox table (doemee.outbox). Kept only while callers still pass it.
    outbox_dir: Path = PROJECT_ROOT / "var" / "outbox"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    mail_from: str = "DoeMee <noreply@doemee.example.org>"
    # Sent mails stay readable in the portal this long; then the outbox worker deletes them.
    outbox_keep_days: int = 30
    # Seeds and updates the centres (`doemee centres-sync`); the gateway reads it at start-up.
    centres_file: Path = PROJECT_ROOT / "centres.yml"
    handoff_contact: str = "het Vrijwilligerscentrum, via info@vrijwilligerscentrum.example.org of 030 123 45 67"
    # Where residents reach the gateway: the links in alert mails start here.
    public_url: str = "http://localhost:8000"
    # Signs the links in alert mails. Unset: a random key kept in `secret_file`,
    # shared by the processes of one machine (see doemee.email_alerts.signing_key).
    secret_key: str | None = None
    secret_file: Path = PROJECT_ROOT / "var" / "secret_key"
    # Idle conversations and single searches are kept this long (doemee.retention).
    retention_days: int = 90
    # Rasa's SQL tracker store, where doemee.retention deletes idle conversations.
    tracker_store_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'rasa-tracker.db'}"
    # State several instances share (rate limits, Telegram buttons, job leases). Unset: one process, in memory.
    redis_url: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        defaults = cls()
        url = env.get("DOEMEE_DATABASE_URL") or defaults.database_url
        return cls(
            database_url=_absolute_sqlite(url),
            geo_dir=Path(env["DOEMEE_GEO_DIR"]) if env.get("DOEMEE_GEO_DIR") else defaults.geo_dir,
            geonames_base_url=env.get("DOEMEE_GEONAMES_URL", defaults.geonames_base_url).rstrip("/"),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            smtp_host=env.get("DOEMEE_SMTP_HOST") or None,
            smtp_port=int(env.get("DOEMEE_SMTP_PORT") or defaults.smtp_port),
            smtp_user=env.get("DOEMEE_SMTP_USER") or None,
            smtp_password=env.get("DOEMEE_SMTP_PASSWORD") or None,
            mail_from=env.get("DOEMEE_MAIL_FROM") or defaults.mail_from,
            outbox_keep_days=max(1, int(env.get("DOEMEE_OUTBOX_KEEP_DAYS") or defaults.outbox_keep_days)),
            centres_file=Path(env.get("DOEMEE_CENTRES_FILE") or defaults.centres_file),
            handoff_contact=env.get("DOEMEE_HANDOFF_CONTACT") or defaults.handoff_contact,
            public_url=(env.get("DOEMEE_PUBLIC_URL") or defaults.public_url).rstrip("/"),
            secret_key=env.get("DOEMEE_SECRET_KEY") or None,
            retention_days=max(1, int(env.get("DOEMEE_RETENTION_DAYS") or defaults.retention_days)),
            tracker_store_url=_absolute_sqlite(_tracker_store_url(env) or defaults.tracker_store_url),
            redis_url=(env.get("DOEMEE_REDIS_URL") or "").strip() or None,
        )


def _tracker_store_url(env: dict[str, str]) -> str | None:
    """DOEMEE_TRACKER_STORE_URL; else the SQLite file endpoints.yml gives Rasa (DOEMEE_TRACKER_DB)."""
    if env.get("DOEMEE_TRACKER_STORE_URL"):
        return env["DOEMEE_TRACKER_STORE_URL"]
    return f"sqlite:///{env['DOEMEE_TRACKER_DB']}" if env.get("DOEMEE_TRACKER_DB") else None


def _absolute_sqlite(url: str) -> str:
    """Relative SQLite paths are taken from the project root, not the caller's cwd."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite:///:memory:":
        return prefix + str(PROJECT_ROOT / url[len(prefix):])
    return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
