"""Runs the real `bin/doemee` in a subprocess, the way operators and scripts do."""

from __future__ import annotations

import csv
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from doemee.storage.database import Database
from doemee.storage.models import Opportunity

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "bin" / "doemee"
COLUMNS = (
    "external_id", "initiative_name", "initiative_website", "title", "description", "category",
    "postcode", "place", "time_commitment", "day_parts", "remote", "contact_email", "valid_until",
)


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def doemee(url: str | None, *args: str, lang: str = "nl_NL.UTF-8", **env: str) -> Result:
    environment = {k: v for k, v in os.environ.items() if k not in ("DOEMEE_DEBUG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    environment["LANG"] = lang
    if url is not None:
        environment["DOEMEE_DATABASE_URL"] = url
    environment.update(env)
    done = subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=environment, cwd=ROOT, timeout=300,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def row(external_id: str = "t1", **values: str) -> dict[str, str]:
    """A valid CSV row near Utrecht Lombok; keyword arguments override columns."""
    base = {
        "external_id": external_id,
        "initiative_name": "Buurttuin Lombok",
        "initiative_website": "https://buurttuin.example.org",
        "title": "Tuinier gezocht voor de buurttuin",
        "description": "Help mee met wieden, zaaien en oogsten in onze buurttuin.",
        "category": "groen",
        "postcode": "3531 HE",
        "place": "Utrecht",
        "time_commitment": "wekelijks",
        "day_parts": "ochtend;weekend",
        "remote": "nee",
        "contact_email": "tuin@example.org",
        "valid_until": "2099-12-31",
    }
    base.update(values)
    return base


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def opportunities(database: Database) -> dict[str, Opportunity]:
    """Every stored opportunity by external_id (detached snapshots)."""
    with database.session() as session:
        found = session.scalars(select(Opportunity)).all()
        for opportunity in found:
            session.expunge(opportunity)
    return {o.external_id: o for o in found}
