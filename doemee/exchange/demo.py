"""The demo dataset: loaded through the normal import, removable in one go.

Demo rows use source "demo" and carry `is_demo`, so removing them never
touches what a volunteer centre imported itself. The demo data spans the
country, so each row goes to the centre whose region holds it, and the
rest to the first centre: every centre's widget shows its own examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from doemee.exchange.csv_format import read_file
from doemee.exchange.importer import ImportRejected, ImportReport, import_items
from doemee.opportunities import Geography
from doemee.storage.database import rows_changed
from doemee.storage.models import Initiative, Opportunity

DEMO_SOURCE = "demo"
DEMO_CSV = Path(__file__).resolve().parent.parent / "demo" / "opportunities.csv"


@dataclass(frozen=True)
class Removed:
    opportunities: int
    initiatives: int


def load_demo(session: Session, geo: Geography, path: Path = DEMO_CSV) -> ImportReport:
    parsed = read_file(path, geo)
    if not parsed.ok:
        raise ImportRejected(parsed.error_lines())
    report = import_items(session, geo, parsed.items, source=DEMO_SOURCE, is_demo=True, replace=True)
    report.warnings.extend(parsed.warnings)
    return report


def remove_demo(session: Session) -> Removed:
    opportunities = session.scalar(select(func.count()).select_from(Opportunity).where(Opportunity.is_demo.is_(True))) or 0
    session.execute(delete(Opportunity).where(Opportunity.is_demo.is_(True)))
    initiatives = rows_changed(session.execute(delete(Initiative).where(Initiative.is_demo.is_(True))))
    return Removed(opportunities=opportunities, initiatives=initiatives)
