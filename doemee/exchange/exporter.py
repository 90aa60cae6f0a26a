"""Writing the open opportunities in the import format.

Only what a resident could be matched with is written: status "open" and
not past its last day. An open row whose day has passed would import as
closed and drop out of the next export, breaking the round trip.
The file starts with a UTF-8 byte order mark so spreadsheet programs read
accents and emoji correctly; the importer accepts it.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from doemee.exchange.csv_format import write_rows
from doemee.storage.models import Centre, Opportunity, Status


def open_rows(session: Session, today: date | None = None, centre: Centre | None = None) -> list[dict[str, str]]:
    """Every open row, or only `centre`'s (what that centre can import again)."""
    today = today or date.today()
    statement = (
        select(Opportunity)
        .options(selectinload(Opportunity.initiative))
        .where(Opportunity.status == Status.OPEN.value)
        .where(or_(Opportunity.valid_until.is_(None), Opportunity.valid_until >= today))
    )
    if centre is not None:
        statement = statement.where(Opportunity.centre_id == centre.id)
    opportunities = session.scalars(statement).all()
    ordered = sorted(opportunities, key=lambda o: (o.external_id, o.source, o.id))
    return [_row(o) for o in ordered]


def _row(opportunity: Opportunity) -> dict[str, str]:
    return {
        "external_id": opportunity.external_id,
        "initiative_name": opportunity.initiative.name,
        "initiative_website": opportunity.initiative.website or "",
        "title": opportunity.title,
        "description": opportunity.description,
        "category": opportunity.category,
        "postcode": opportunity.postcode,
        "place": opportunity.place,
        "time_commitment": opportunity.time_commitment,
        "day_parts": ";".join(opportunity.day_part_list),
        "remote": "ja" if opportunity.remote else "nee",
        "contact_email": opportunity.contact_email,
        "valid_until": opportunity.valid_until.isoformat() if opportunity.valid_until else "",
    }


def export_file(session: Session, path: Path, today: date | None = None, centre: Centre | None = None) -> int:
    """Writes the file atomically (a half-written export never replaces a good one)."""
    rows = open_rows(session, today, centre)
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=".doemee-export-", suffix=".csv", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as stream:
            write_rows(stream, rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(rows)
