"""Applying centres.yml to the database (`doemee centres-sync`).

The file is the operators' way to add and change centres, so a sync makes
the database say what the file says, by slug, with one exception: a centre
that still owns opportunities is never deleted, because its listings and
their sign-ups would have to go with it. It stays, after the file's
centres, and the report names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from doemee.centres import CentreConfig, load_centres, overlapping_municipalities
from doemee.storage.models import Centre, CentreMunicipality, Opportunity


@dataclass
class SyncReport:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Slugs no longer in the file that keep their row, with how many opportunities they own.
    kept: dict[str, int] = field(default_factory=dict)
    # CBS codes in more than one region, with the centres claiming them (the first wins).
    overlaps: dict[str, list[str]] = field(default_factory=dict)


def sync_file(session: Session, path: Path) -> SyncReport:
    """Checks the whole file first (CentreConfigError), then applies it."""
    return sync_centres(session, load_centres(path))


def sync_centres(session: Session, centres: dict[str, CentreConfig]) -> SyncReport:
    report = SyncReport(overlaps=overlapping_municipalities(centres))
    stored = {c.slug: c for c in session.scalars(select(Centre).options(selectinload(Centre.region)))}
    for position, config in enumerate(centres.values()):
        centre = stored.get(config.slug)
        if centre is None:
            centre = Centre(slug=config.slug)
            session.add(centre)
            _apply(centre, config, position)
            report.new.append(config.slug)
        elif _apply(centre, config, position):
            report.updated.append(config.slug)

    leftovers = [c for c in stored.values() if c.slug not in centres]
    owned = _opportunity_counts(session, [c.id for c in leftovers])
    for position, centre in enumerate(sorted(leftovers, key=lambda c: (c.position, c.id)), start=len(centres)):
        if owned.get(centre.id):
            report.kept[centre.slug] = owned[centre.id]
            centre.position = position
        else:
            session.delete(centre)
            report.removed.append(centre.slug)
    session.flush()
    return report


def _apply(centre: Centre, config: CentreConfig, position: int) -> bool:
    """Makes `centre` say what `config` says; True when anything changed."""
    wanted = {
        "name": config.name,
        "primary_colour": config.primary,
        "text_on_primary": config.text_on_primary,
        "handoff_contact": config.handoff_contact,
        "greeting": config.greeting,
        "origins": list(config.origins),
        "position": position,
    }
    changed = False
    for attribute, value in wanted.items():
        if getattr(centre, attribute, None) != value:
            setattr(centre, attribute, value)
            changed = True
    codes = set(config.municipalities)
    current = {m.municipality_code: m for m in (centre.region or [])}
    for code, row in current.items():
        if code not in codes:
            centre.region.remove(row)
            changed = True
    for code in sorted(codes - current.keys()):
        centre.region.append(CentreMunicipality(municipality_code=code))
        changed = True
    return changed


def _opportunity_counts(session: Session, centre_ids: list[int]) -> dict[int, int]:
    if not centre_ids:
        return {}
    rows = session.execute(
        select(Opportunity.centre_id, func.count()).where(Opportunity.centre_id.in_(centre_ids)).group_by(Opportunity.centre_id)
    )
    return {centre_id: int(count) for centre_id, count in rows}
