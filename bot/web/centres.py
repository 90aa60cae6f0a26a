"""Volunteer centres that embed the widget, from centres.yml.

A centre's settings are checked when the gateway starts, so a typo or an
unreadable colour stops the start-up with a clear reason instead of showing
residents a broken widget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.web.contrast import contrast_ratio, parse_hex

MIN_CONTRAST = 4.5
# Focus rings and borders in the primary colour sit on white (WCAG 1.4.11).
MIN_NON_TEXT_CONTRAST = 3.0
WHITE = (255, 255, 255)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_CBS_CODE = re.compile(r"^\d{4}$")


class CentreConfigError(ValueError):
    """centres.yml cannot be used as written."""


@dataclass(frozen=True)
class Centre:
    slug: str
    name: str
    primary: str
    text_on_primary: str
    municipalities: tuple[str, ...]
    handoff_contact: str
    greeting: str

    def public(self) -> dict:
        """What the widget may know: nothing the resident should not see."""
        return {
            "slug": self.slug,
            "name": self.name,
            "colours": {"primary": self.primary, "text_on_primary": self.text_on_primary},
            "greeting": self.greeting,
            "handoff_contact": self.handoff_contact,
        }


def is_valid_slug(slug: str) -> bool:
    return bool(_SLUG.match(slug))


def load_centres(path: Path) -> dict[str, Centre]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CentreConfigError(f"{path}: cannot read: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("centres"), dict) or not raw["centres"]:
        raise CentreConfigError(f"{path}: expected a 'centres:' mapping with at least one centre")
    return {slug: _centre(path, str(slug), entry) for slug, entry in raw["centres"].items()}


def _centre(path: Path, slug: str, entry: object) -> Centre:
    where = f"{path}: centre {slug!r}"
    if not is_valid_slug(slug):
        raise CentreConfigError(f"{where}: a slug uses a-z, 0-9 and '-' only")
    if not isinstance(entry, dict):
        raise CentreConfigError(f"{where}: expected a mapping")
    colours = entry.get("colours") or {}
    try:
        primary = parse_hex(str(colours.get("primary", "")))
        text = parse_hex(str(colours.get("text_on_primary", "")))
    except ValueError as error:
        raise CentreConfigError(f"{where}: colours: {error}") from error
    ratio = contrast_ratio(primary, text)
    if ratio < MIN_CONTRAST:
        raise CentreConfigError(f"{where}: text_on_primary on primary has contrast {ratio:.2f}, needs {MIN_CONTRAST}")
    if contrast_ratio(primary, WHITE) < MIN_NON_TEXT_CONTRAST:
        raise CentreConfigError(f"{where}: primary is too light against white (needs {MIN_NON_TEXT_CONTRAST}:1)")
    municipalities = tuple(str(code).zfill(4) for code in entry.get("municipalities") or ())
    bad = [code for code in municipalities if not _CBS_CODE.match(code)]
    if bad:
        raise CentreConfigError(f"{where}: municipalities must be four-digit CBS codes, not {bad}")
    for key in ("name", "greeting", "handoff_contact"):
        if not str(entry.get(key) or "").strip():
            raise CentreConfigError(f"{where}: '{key}' is required")
    return Centre(
        slug=slug,
        name=str(entry["name"]).strip(),
        primary=str(colours["primary"]).lower(),
        text_on_primary=str(colours["text_on_primary"]).lower(),
        municipalities=municipalities,
        handoff_contact=str(entry["handoff_contact"]).strip(),
        greeting=str(entry["greeting"]).strip(),
    )
