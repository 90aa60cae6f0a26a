"""centres.yml: the shipped file is valid, and mistakes stop the gateway with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.web.centres import CentreConfigError, load_centres
from bot.web.config import DEFAULT_CENTRES_FILE
from bot.web.contrast import contrast_ratio, parse_hex

GOOD = """
centres:
  proef:
    name: Proefcentrum
    colours: {primary: "#0b5394", text_on_primary: "#ffffff"}
    municipalities: ["0344"]
    handoff_contact: "Proefcentrum, 030 000 00 00"
    greeting: "Hoi!"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "centres.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_centres_file_loads_with_readable_colours():
    centres = load_centres(DEFAULT_CENTRES_FILE)
    assert "utrecht" in centres
    for centre in centres.values():
        assert contrast_ratio(parse_hex(centre.primary), parse_hex(centre.text_on_primary)) >= 4.5
        assert centre.municipalities


def test_a_valid_centre_loads(tmp_path):
    centre = load_centres(write(tmp_path, GOOD))["proef"]
    assert centre.municipalities == ("0344",)
    assert centre.public()["colours"]["primary"] == "#0b5394"


def test_unreadable_colour_pair_is_refused(tmp_path):
    low = GOOD.replace('text_on_primary: "#ffffff"', 'text_on_primary: "#3a6ea5"')
    with pytest.raises(CentreConfigError, match="contrast"):
        load_centres(write(tmp_path, low))


def test_primary_too_pale_for_focus_rings_on_white_is_refused(tmp_path):
    pale = GOOD.replace('primary: "#0b5394", text_on_primary: "#ffffff"', 'primary: "#fff3b0", text_on_primary: "#1b1b1b"')
    with pytest.raises(CentreConfigError, match="too light"):
        load_centres(write(tmp_path, pale))


def test_colour_that_is_not_hex_is_refused(tmp_path):
    with pytest.raises(CentreConfigError, match="colour"):
        load_centres(write(tmp_path, GOOD.replace('"#0b5394"', '"blauw"')))


def test_municipality_name_instead_of_cbs_code_is_refused(tmp_path):
    with pytest.raises(CentreConfigError, match="CBS"):
        load_centres(write(tmp_path, GOOD.replace('["0344"]', '["Utrecht"]')))


def test_missing_greeting_is_refused(tmp_path):
    with pytest.raises(CentreConfigError, match="greeting"):
        load_centres(write(tmp_path, GOOD.replace('    greeting: "Hoi!"\n', "")))


def test_slug_that_cannot_be_a_script_attribute_is_refused(tmp_path):
    with pytest.raises(CentreConfigError, match="slug"):
        load_centres(write(tmp_path, GOOD.replace("  proef:", '  "Proef <x>":')))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CentreConfigError, match="cannot read"):
        load_centres(tmp_path / "bestaat-niet.yml")


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio(parse_hex("#767676"), parse_hex("#ffffff")) == pytest.approx(4.54, abs=0.01)
