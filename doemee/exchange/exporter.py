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
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from doemee.exchange.csv_format import write_rows
from doemee.storage.models import Centre, Initiative, Opportunity, Status


# Rows read per query: the portal streams a centre's file a chunk at a time.
CHUNK = 1_000


def open_rows(session: Session, today: date | None = None, centre: Centre | None = None) -> list[dict[str, str]]:
    """Every open row, or only `centre`'s (what that centre can import again)."""
    ids = open_ids(session, today, centre)
    return [row for start in range(0, len(ids), CHUNK) for row in rows_by_id(session, ids[start:start + CHUNK])]


def open_ids(session: Session, today: date | None = None, centre: Centre | None = None) -> list[int]:
    """The ids of `open_rows`, in the file's order (external id, source, id), without reading the rows."""
    today = today or date.today()
    statement = (
        select(Opportunity.external_id, Opportunity.source, Opportunity.id)
        .where(Opportunity.status == Status.OPEN.value)
        .where(or_(Opportunity.valid_until.is_(None), Opportunity.valid_until >= today))
    )
    if centre is not None:
        statement = statement.where(Opportunity.centre_id == centre.id)
    return [row_id for _, _, row_id in sorted(session.execute(statement).all())]


def rows_by_id(session: Session, ids: Sequence[int]) -> list[dict[str, str]]:
    """The rows of `ids` in that order, as they are now; an id that is gone is left out."""
    if not ids:
        return []
    found = session.execute(
        select(*_COLUMNS, Initiative.name.label("initiative_name"), Initiative.website.label("initiative_website"))
        .join(Initiative, Initiative.id == Opportunity.initiative_id)
        .where(Opportunity.id.in_(list(ids)))
    )
    by_id = {row.id: _row(row) for row in found}
    return [by_id[i] for i in ids if i in by_id]


_COLUMNS = (
    Opportunity.id, Opportunity.external_id, Opportunity.title, Opportunity.description, Opportunity.category,
    Opportunity.postcode, Opportunity.place, Opportunity.time_commitment, Opportunity.day_parts,
    Opportunity.remote, Opportunity.contact_email, Opportunity.valid_until,
)


def _row(found: Row) -> dict[str, str]:
    return {
        "external_id": found.external_id,
        "initiative_name": found.initiative_name,
        "initiative_website": found.initiative_website or "",
        "title": found.title,
        "description": found.description,
        "category": found.category,
        "postcode": found.postcode,
        "place": found.place,
        "time_commitment": found.time_commitment,
        "day_parts": ";".join(part for part in found.day_parts.split(";") if part),
        "remote": "ja" if found.remote else "nee",
        "contact_email": found.contact_email,
        "valid_until": found.valid_until.isoformat() if found.valid_until else "",
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
