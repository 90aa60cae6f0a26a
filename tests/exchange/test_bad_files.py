"""Bad rows and garbage files: a clear Dutch answer, nothing imported, never a traceback."""

from __future__ import annotations

import pytest

from tests.cli.runner import COLUMNS, doemee, opportunities, row, write_csv


def _rejected(result) -> None:
    assert result.code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.error_lines


def test_every_bad_row_is_listed_with_its_line_and_column_and_nothing_is_imported(database, tmp_path):
    rows = [
        row("ok1", description="Eerste regel\nen een tweede regel in hetzelfde veld"),  # file lines 2-3
        row("c1", category="dansles"),                                                # line 4
        row("p1", postcode="12345"),                                                  # line 5
        row("p2", postcode="1000"),                                                   # line 6: not issued
        row("e1", contact_email="geen-email"),                                        # line 7
        row("w1", initiative_website="ftp://buurt.example.org"),                      # line 8
        row("t1", title="x" * 121),                                                   # line 9
        row("tc", time_commitment="dagelijks"),                                       # line 10
        row("dp", day_parts="ochtend;nacht"),                                         # line 11
        row("r1", remote="misschien"),                                                # line 12
        row("v1", valid_until="31-12-2026"),                                          # line 13
        row("d1", description=""),                                                    # line 14
        row("ok1"),                                                                   # line 15: duplicate id
    ]
    path = write_csv(tmp_path / "fout.csv", rows)
    result = doemee(database.url, "import-csv", str(path))
    _rejected(result)
    expected = [
        (4, "category"), (5, "postcode"), (6, "postcode"), (7, "contact_email"), (8, "initiative_website"),
        (9, "title"), (10, "time_commitment"), (11, "day_parts"), (12, "remote"), (13, "valid_until"),
        (14, "description"), (15, "external_id"),
    ]
    for line, column in expected:
        assert f"Regel {line}, kolom {column}:" in result.stderr, (line, column, result.stderr)
    assert result.error_lines[0].startswith("Er is niets geïmporteerd: 12 fouten in 12 regels")
    assert "Regel 2" not in result.stderr and "Regel 3" not in result.stderr
    assert opportunities(database) == {}


def test_one_row_with_several_problems_lists_each_of_them(database, tmp_path):
    path = write_csv(tmp_path / "fout.csv", [row("x", category="", postcode="abc", contact_email="@")])
    result = doemee(database.url, "import-csv", str(path))
    _rejected(result)
    for column in ("category", "postcode", "contact_email"):
        assert f"Regel 2, kolom {column}:" in result.stderr


def test_a_row_with_too_many_fields_is_reported(database, tmp_path):
    path = write_csv(tmp_path / "fout.csv", [row("a1")])
    path.write_text(path.read_text(encoding="utf-8") + "a2,Ini,,Titel,Tekst, met komma,groen,3511,,wekelijks,,,x@example.org,,extra\n", encoding="utf-8")
    result = doemee(database.url, "import-csv", str(path))
    _rejected(result)
    assert "Regel 3:" in result.stderr and "komma" in result.stderr
    assert opportunities(database) == {}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "leeg"),
        (b"   \r\n\r\n", "leeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binair"),
        (";".join(COLUMNS).encode() + b"\nt1;Ini;;Titel;Tekst;groen;3511;;wekelijks;;nee;a@example.org;\n", "puntkomma"),
        ("\t".join(COLUMNS).encode() + b"\n", "tabs"),
        (b"t1,Ini,,Titel,Tekst,groen,3511,,wekelijks,,nee,a@example.org,\n", "kolomnamen"),
        ("external_id,initiative_name,title,description,category,postcode,contact_email\n".encode(), "time_commitment"),
        (",".join(COLUMNS).encode() + "\nt1,Café,,Titel,Tekst,groen,3511,,wekelijks,,nee,a@example.org,\n".encode("latin-1"), "UTF-8"),
        (b"external_id,external_id," + ",".join(COLUMNS[1:]).encode() + b"\n", "twee keer"),
    ],
    ids=["empty", "blank-lines", "binary", "semicolons", "tabs", "no-header", "missing-column", "latin-1", "duplicate-column"],
)
def test_a_garbage_file_gets_one_clear_dutch_line(database, tmp_path, content, words):
    path = tmp_path / "rommel.csv"
    path.write_bytes(content)
    result = doemee(database.url, "import-csv", str(path))
    _rejected(result)
    assert len(result.error_lines) == 1, result.stderr
    assert words in result.error_lines[0]
    assert opportunities(database) == {}


def test_a_five_megabyte_field_is_refused_clearly(database, tmp_path):
    path = write_csv(tmp_path / "groot.csv", [row("a1"), row("a2", description="x" * (5 * 1024 * 1024))])
    result = doemee(database.url, "import-csv", str(path))
    _rejected(result)
    assert "Regel 3" in result.stderr and "te groot" in result.stderr
    assert opportunities(database) == {}


def test_a_formula_in_a_cell_is_refused_with_a_way_out(database, tmp_path):
    path = write_csv(tmp_path / "formule.csv", [
        row("f1", title='=HYPERLINK("http://kwaad.example","klik")'),
        row("f2", description="+31 6 12345678"),
        row("f3", initiative_name="@SUM(1+1)"),
        row("f4", place="-2+3+cmd|' /C calc'!A0"),
    ])
    result = doemee(database.url, "import-csv", str(path))
    _rejected(result)
    for line, column in ((2, "title"), (3, "description"), (4, "initiative_name"), (5, "place")):
        assert f"Regel {line}, kolom {column}: begint met" in result.stderr
    assert "formule" in result.stderr
    assert opportunities(database) == {}


def test_an_apostrophe_before_a_formula_character_imports_the_text_itself(database, tmp_path):
    path = write_csv(tmp_path / "tekst.csv", [row("f1", title="'=een titel die zo begint", place="'s-Hertogenbosch")])
    assert doemee(database.url, "import-csv", str(path)).code == 0
    stored = opportunities(database)["f1"]
    assert (stored.title, stored.place) == ("=een titel die zo begint", "'s-Hertogenbosch")


def test_emoji_where_a_postcode_belongs_is_a_bad_row_not_a_crash(database, tmp_path):
    path = write_csv(tmp_path / "emoji.csv", [row("e1", postcode="🏠🏠"), row("e2", category="🌳")])
    result = doemee(database.url, "import-csv", str(path))
    _rejected(result)
    assert "Regel 2, kolom postcode:" in result.stderr and "Regel 3, kolom category:" in result.stderr


def test_a_missing_file_is_one_dutch_line(database, tmp_path):
    result = doemee(database.url, "import-csv", str(tmp_path / "bestaat-niet.csv"))
    _rejected(result)
    assert result.error_lines == [f"Ik kan het bestand {tmp_path / 'bestaat-niet.csv'} niet vinden."]
