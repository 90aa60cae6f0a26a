"""Volunteer centres as centres.yml describes them, checked before anyone uses them.

The gateway reads the file at start-up and `doemee centres-sync` writes it
to the database; both go through `load_centres`, so a centre the gateway
would refuse (unreadable colours, a code that is no CBS code) never reaches
the database either. Each error carries an English line for the gateway's
log and a Dutch one for the command line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from doemee import messages
from doemee.colours import contrast_ratio, parse_hex
from doemee.storage.models import Centre

MIN_CONTRAST = 4.5
# Focus rings and borders in the primary colour sit on white (WCAG 1.4.11).
MIN_NON_TEXT_CONTRAST = 3.0
WHITE = (255, 255, 255)
SLUG_MAX = 40
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_CBS_CODE = re.compile(r"^\d{4}$")


class CentreConfigError(ValueError):
    """centres.yml cannot be used as written; `dutch` says why for the command line."""

    def __init__(self, english: str, dutch: str | None = None) -> None:
        super().__init__(english)
        self.dutch = dutch or english


@dataclass(frozen=True)
class CentreConfig:
    """One centre as configured; `origins` are the websites that may embed its widget."""

    slug: str
    name: str
    primary: str
    text_on_primary: str
    municipalities: tuple[str, ...]
    handoff_contact: str
    greeting: str
    origins: tuple[str, ...] = field(default_factory=tuple)

    def public(self) -> dict:
        """What the widget may know: nothing the resident should not see."""
        return {
            "slug": self.slug,
            "name": self.name,
            "colours": {"primary": self.primary, "text_on_primary": self.text_on_primary},
            "greeting": self.greeting,
            "handoff_contact": self.handoff_contact,
        }


def stored_centres(session: Session) -> dict[str, CentreConfig]:
    """Every centre in the database, the default one first: what the gateway serves while it runs."""
    rows = session.scalars(select(Centre).options(selectinload(Centre.region)).order_by(Centre.position, Centre.id))
    return {
        row.slug: CentreConfig(
            slug=row.slug, name=row.name, primary=row.primary_colour, text_on_primary=row.text_on_primary,
            municipalities=tuple(row.municipality_codes), handoff_contact=row.handoff_contact,
            greeting=row.greeting, origins=tuple(row.origins or ()),
        )
        for row in rows
    }


def is_valid_slug(slug: str) -> bool:
    return bool(_SLUG.match(slug))


def load_centres(path: Path) -> dict[str, CentreConfig]:
    """Every centre in the file, in the file's order (the first one is the default centre)."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CentreConfigError(f"{path}: cannot read: {error}", messages.centres_unreadable(str(path))) from error
    if not isinstance(raw, dict) or not isinstance(raw.get("centres"), dict) or not raw["centres"]:
        raise CentreConfigError(
            f"{path}: expected a 'centres:' mapping with at least one centre", messages.centres_empty(str(path)),
        )
    return {str(slug): _centre(path, str(slug), entry) for slug, entry in raw["centres"].items()}


def _centre(path: Path, slug: str, entry: object) -> CentreConfig:
    where = f"{path}: centre {slug!r}"

    def fail(english: str, dutch: str) -> CentreConfigError:
        return CentreConfigError(f"{where}: {english}", messages.centre_invalid(str(path), slug, dutch))

    if not is_valid_slug(slug):
        raise fail("a slug uses a-z, 0-9 and '-' only", messages.CENTRE_BAD_SLUG)
    if not isinstance(entry, dict):
        raise fail("expected a mapping", messages.CENTRE_NOT_A_MAPPING)
    colours = entry.get("colours") or {}
    if not isinstance(colours, dict):
        raise fail("colours: expected primary and text_on_primary", messages.CENTRE_BAD_COLOUR)
    try:
        primary = parse_hex(str(colours.get("primary", "")))
        text = parse_hex(str(colours.get("text_on_primary", "")))
    except ValueError as error:
        raise fail(f"colours: {error}", messages.CENTRE_BAD_COLOUR) from error
    ratio = contrast_ratio(primary, text)
    if ratio < MIN_CONTRAST:
        raise fail(
            f"text_on_primary on primary has contrast {ratio:.2f}, needs {MIN_CONTRAST}",
            messages.centre_low_contrast(ratio, MIN_CONTRAST),
        )
    if contrast_ratio(primary, WHITE) < MIN_NON_TEXT_CONTRAST:
        raise fail(
            f"primary is too light against white (needs {MIN_NON_TEXT_CONTRAST}:1)",
            messages.centre_too_light(MIN_NON_TEXT_CONTRAST),
        )
    municipalities = tuple(str(code).zfill(4) for code in _listed(entry.get("municipalities")))
    bad = [code for code in municipalities if not _CBS_CODE.match(code)]
    if bad:
        raise fail(f"municipalities must be four-digit CBS codes, not {bad}", messages.centre_bad_codes(bad))
    for key in ("name", "greeting", "handoff_contact"):
        if not str(entry.get(key) or "").strip():
            raise fail(f"'{key}' is required", messages.centre_missing(key))
    given = _listed(entry.get("origins"))
    origins = tuple(_origin(str(o)) for o in given)
    bad_origins = [o for o, cleaned in zip(given, origins) if not cleaned]
    if bad_origins:
        raise fail(f"origins must look like https://example.org, not {bad_origins}", messages.centre_bad_origins(bad_origins))
    return CentreConfig(
        slug=slug,
        name=str(entry["name"]).strip(),
        primary=str(colours["primary"]).lower(),
        text_on_primary=str(colours["text_on_primary"]).lower(),
        municipalities=tuple(dict.fromkeys(municipalities)),
        handoff_contact=str(entry["handoff_contact"]).strip(),
        greeting=str(entry["greeting"]).strip(),
        origins=tuple(dict.fromkeys(origins)),
    )


def _listed(value: object) -> list:
    """A YAML list, or one value written without the dashes."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _origin(text: str) -> str:
    """`https://Example.org/` -> `https://example.org`; "" when it is no bare web origin."""
    cleaned = text.strip().rstrip("/").lower()
    try:
        parts = urlsplit(cleaned)
        parts.port  # noqa: B018 - raises ValueError on a port that is no number
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment:
        return ""
    return cleaned


def overlapping_municipalities(centres: dict[str, CentreConfig]) -> dict[str, list[str]]:
    """CBS codes claimed by more than one centre, with those centres (the first one wins attribution)."""
    claims: dict[str, list[str]] = {}
    for centre in centres.values():
        for code in centre.municipalities:
            claims.setdefault(code, []).append(centre.slug)
    return {code: slugs for code, slugs in claims.items() if len(slugs) > 1}


def centre_names(session: Session, centre_ids: frozenset[int] | set[int]) -> dict[int, str]:
    """Id -> name of these centres, for pages that list rows of several centres side by side."""
    rows = session.execute(select(Centre.id, Centre.name).where(Centre.id.in_(sorted(centre_ids))))
    return {centre_id: name for centre_id, name in rows}
