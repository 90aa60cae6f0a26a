"""`doemee export-csv`: open opportunities only, spreadsheet-safe, and a faithful round trip."""

from __future__ import annotations

from sqlalchemy import update

from doemee.exchange.csv_format import escape_cell, unescape_cell
from doemee.storage.models import Opportunity
from tests.cli.runner import COLUMNS, doemee, read_csv, row, write_csv

TRICKY = [
    row("r1", title='Zeg "hoi", en help mee', description="Regel één\nRegel twee, met komma\r\nen CRLF", day_parts="avond;ochtend"),
    row("r2", title="'=SUM(1;2) is gewoon tekst", description="'-- geen formule --", initiative_website=""),
    row("r3", place="'s-Hertogenbosch", postcode="5211", category="cultuur", remote="ja", valid_until=""),
    row("r4", title="Koken 🍲 met buren", initiative_name="Stichting Ünïcode & Co", time_commitment="eenmalig", day_parts=""),
    row("r5", place="", postcode="9711", category="sport", initiative_name="Sportclub Noord"),
]


def test_export_then_import_then_export_gives_the_same_file(database, tmp_path):
    source = write_csv(tmp_path / "bron.csv", TRICKY)
    assert doemee(database.url, "import-csv", str(source)).code == 0
    first = tmp_path / "export1.csv"
    result = doemee(database.url, "export-csv", str(first))
    assert result.code == 0, result.stderr
    assert "5 open plekken" in result.stdout

    fresh = f"sqlite:///{tmp_path / 'tweede.db'}"
    imported = doemee(fresh, "import-csv", str(first))
    assert imported.code == 0, imported.stderr
    assert "5 nieuw" in imported.stdout
    second = tmp_path / "export2.csv"
    assert doemee(fresh, "export-csv", str(second)).code == 0
    assert first.read_bytes() == second.read_bytes()


def test_the_export_holds_the_same_values_as_the_imported_file(database, tmp_path):
    source = write_csv(tmp_path / "bron.csv", TRICKY)
    assert doemee(database.url, "import-csv", str(source)).code == 0
    exported = tmp_path / "export.csv"
    assert doemee(database.url, "export-csv", str(exported)).code == 0
    rows = {r["external_id"]: r for r in read_csv(exported)}
    assert list(read_csv(exported)[0]) == list(COLUMNS)
    assert rows["r1"]["description"] == "Regel één\nRegel twee, met komma\r\nen CRLF"
    assert rows["r1"]["day_parts"] == "ochtend;avond"
    assert rows["r2"]["title"] == "'=SUM(1;2) is gewoon tekst"
    assert rows["r3"]["place"] == "'s-Hertogenbosch" and rows["r3"]["remote"] == "ja"
    assert rows["r4"]["title"] == "Koken 🍲 met buren"
    assert rows["r5"]["place"] != "" and rows["r5"]["postcode"] == "9711"
    original = {r["external_id"]: r for r in TRICKY}
    for key in ("r2", "r3", "r4"):
        for column in ("initiative_name", "title", "category", "time_commitment", "contact_email", "valid_until"):
            assert rows[key][column] == original[key][column]


def test_no_exported_cell_can_start_a_spreadsheet_formula(database, tmp_path):
    source = write_csv(tmp_path / "bron.csv", TRICKY)
    assert doemee(database.url, "import-csv", str(source)).code == 0
    with database.session() as session:
        session.execute(update(Opportunity).where(Opportunity.external_id == "r4").values(title="=HYPERLINK(\"x\")", description="@cmd"))
    exported = tmp_path / "export.csv"
    assert doemee(database.url, "export-csv", str(exported)).code == 0
    for exported_row in read_csv(exported):
        for value in exported_row.values():
            assert not value or value[0] not in "=+-@\t\r"
    r4 = next(r for r in read_csv(exported) if r["external_id"] == "r4")
    assert (r4["title"], r4["description"]) == ("'=HYPERLINK(\"x\")", "'@cmd")


def test_only_open_opportunities_are_exported(database, tmp_path):
    source = write_csv(tmp_path / "bron.csv", [row("open"), row("verlopen", valid_until="2020-01-01"), row("vol")])
    assert doemee(database.url, "import-csv", str(source)).code == 0
    with database.session() as session:
        session.execute(update(Opportunity).where(Opportunity.external_id == "vol").values(status="filled"))
    exported = tmp_path / "export.csv"
    assert doemee(database.url, "export-csv", str(exported)).code == 0
    assert [r["external_id"] for r in read_csv(exported)] == ["open"]


def test_exporting_an_empty_database_writes_just_the_header(tmp_path):
    exported = tmp_path / "leeg.csv"
    result = doemee(f"sqlite:///{tmp_path / 'nieuw.db'}", "export-csv", str(exported))
    assert result.code == 0, result.stderr
    assert exported.read_text(encoding="utf-8-sig").strip() == ",".join(COLUMNS)


def test_exporting_into_a_missing_folder_is_one_dutch_line(tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'nieuw.db'}", "export-csv", str(tmp_path / "geen" / "map" / "x.csv"))
    assert result.code == 2
    assert len(result.error_lines) == 1 and "Ik kan niet schrijven" in result.stderr


def test_cell_escaping_round_trips_every_tricky_value():
    values = ["", "=1+1", "+31", "-", "@x", "'=x", "''+y", "'s-Hertogenbosch", "'", "gewoon", "\tx", "''"]
    for value in values:
        escaped = escape_cell(value)
        assert unescape_cell(escaped) == value
        assert not escaped or escaped[0] not in "=+-@\t\r"
    assert escape_cell("'s-Hertogenbosch") == "'s-Hertogenbosch"
