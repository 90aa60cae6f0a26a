"""Writing a checked CSV file to the database, all of it or nothing.

`--replace` does not delete and recreate rows that come back in the new
file: those are updated in place, so their ids and the sign-ups residents
made for them survive. Only opportunities absent from the new file are
removed (their sign-ups go with them, as the models cascade), and so are
initiatives left with no opportunity at all. An import is one centre's, so
`--replace` looks only at that centre's earlier imports: another centre's
listings (and their residents' sign-ups) are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from doemee.opportunities import Geography, OpportunityInput, Writer
from doemee.storage.models import Centre, Initiative, Opportunity

CSV_SOURCE = "csv"
_CHUNK = 500


class ImportRejected(Exception):
    """The file cannot be imported; `lines` says why, in Dutch, one problem a line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0] if lines else "")
        self.lines = lines


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    removed: int = 0
    warnings: list[str] = field(default_factory=list)


def import_items(
    session: Session,
    geo: Geography,
    items: list[OpportunityInput],
    source: str = CSV_SOURCE,
    is_demo: bool = False,
    replace: bool = False,
    today: date | None = None,
    centre: Centre | None = None,
) -> ImportReport:
    """Upserts every item for `centre`; with `replace`, removes that centre's other opportunities of this source.

    Without `centre` each item goes to the centre whose region holds it
    (else the first centre), and `replace` then covers the whole source:
    that is the demo data, which belongs to no one centre.
    """
    report = ImportReport()
    writer = Writer(session, geo, source, is_demo=is_demo, today=today, bulk=True, centre=centre)
    written = []
    for item in items:
        opportunity, created = writer.upsert(item)
        written.append(opportunity)
        if created:
            report.new += 1
        else:
            report.updated += 1
    session.flush()
    if replace:
        report.removed = remove_absent(session, source, {o.id for o in written}, centre)
    return report


def remove_absent(session: Session, source: str, keep: set[int], centre: Centre | None = None) -> int:
    """Deletes the opportunities of `source` (of `centre`, when given) whose id is not in `keep`."""
    scope = select(Opportunity.id, Opportunity.initiative_id).where(Opportunity.source == source)
    if centre is not None:
        scope = scope.where(Opportunity.centre_id == centre.id)
    stale = [
        (opportunity_id, initiative_id)
        for opportunity_id, initiative_id in session.execute(scope)
        if opportunity_id not in keep
    ]
    ids = [opportunity_id for opportunity_id, _ in stale]
    for start in range(0, len(ids), _CHUNK):
        session.execute(delete(Opportunity).where(Opportunity.id.in_(ids[start:start + _CHUNK])))
    remove_orphan_initiatives(session, {initiative_id for _, initiative_id in stale})
    return len(ids)


def remove_orphan_initiatives(session: Session, candidates: set[int]) -> int:
    """Deletes those of `candidates` that no longer have any opportunity."""
    still_used = {
        initiative_id
        for (initiative_id,) in session.execute(
            select(Opportunity.initiative_id).where(Opportunity.initiative_id.in_(candidates)).group_by(Opportunity.initiative_id)
        )
    } if candidates else set()
    orphans = sorted(candidates - still_used)
    for start in range(0, len(orphans), _CHUNK):
        session.execute(delete(Initiative).where(Initiative.id.in_(orphans[start:start + _CHUNK])))
    return len(orphans)


def count_opportunities(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Opportunity)) or 0
