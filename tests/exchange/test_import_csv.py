"""`doemee import-csv`: valid files, updates, --replace, and every kind of bad row."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from doemee.geo.index import get_geo_index
from doemee.opportunities import OpportunityInput, save
from doemee.storage.models import Initiative, Opportunity, Resident, SignUp
from tests.cli.runner import COLUMNS, doemee, opportunities, row, write_csv


def test_a_valid_file_imports_every_row_and_prints_the_counts(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [row("a1"), row("a2", category="ouderen"), row("a3", postcode="1011")])
    result = doemee(database.url, "import-csv", str(path))
    assert result.code == 0, result.stderr
    assert "3 nieuw, 0 bijgewerkt, 0 verwijderd" in result.stdout
    assert set(opportunities(database)) == {"a1", "a2", "a3"}


def test_importing_fills_place_pc4_coordinates_and_municipality_from_the_postcode(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [row("a1", postcode="3531he", place="")])
    assert doemee(database.url, "import-csv", str(path)).code == 0
    stored = opportunities(database)["a1"]
    expected = get_geo_index().postcode("3531 HE")
    assert (stored.postcode, stored.pc4, stored.place) == ("3531 HE", "3531", expected.place)
    assert (stored.lat, stored.lon, stored.municipality_code) == (expected.lat, expected.lon, "0344")


def test_reimporting_the_same_external_ids_updates_instead_of_duplicating(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [row("a1"), row("a2")])
    assert doemee(database.url, "import-csv", str(path)).code == 0
    ids = {key: o.id for key, o in opportunities(database).items()}
    write_csv(path, [row("a1", title="Nieuwe titel"), row("a2")])
    result = doemee(database.url, "import-csv", str(path))
    assert "0 nieuw, 2 bijgewerkt, 0 verwijderd" in result.stdout
    after = opportunities(database)
    assert {key: o.id for key, o in after.items()} == ids
    assert after["a1"].title == "Nieuwe titel"


def test_one_initiative_is_shared_by_its_rows_and_its_website_updated(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [row("a1"), row("a2", initiative_website="https://nieuw.example.org")])
    assert doemee(database.url, "import-csv", str(path)).code == 0
    with database.session() as session:
        initiatives = session.scalars(select(Initiative)).all()
        assert [(i.name, i.website) for i in initiatives] == [("Buurttuin Lombok", "https://nieuw.example.org")]


def _demo_opportunity(database) -> None:
    item = OpportunityInput(
        external_id="demo-1", initiative_name="Demo Buurthuis", title="Gastvrouw", description="Koffie schenken.",
        category="ontmoeting", postcode="3511", time_commitment="flexibel", contact_email="demo@example.org",
    )
    with database.session() as session:
        save(session, get_geo_index(), item, source="demo", is_demo=True)


def test_replace_removes_earlier_imports_absent_from_the_new_file_and_keeps_demo_data(database, tmp_path):
    _demo_opportunity(database)
    first = write_csv(tmp_path / "eerst.csv", [row("a1"), row("a2"), row("a3", initiative_name="Weg Initiatief")])
    assert doemee(database.url, "import-csv", str(first)).code == 0
    second = write_csv(tmp_path / "daarna.csv", [row("a2"), row("b1")])
    result = doemee(database.url, "import-csv", str(second), "--replace")
    assert result.code == 0, result.stderr
    assert "1 nieuw, 1 bijgewerkt, 2 verwijderd" in result.stdout
    assert set(opportunities(database)) == {"a2", "b1", "demo-1"}
    with database.session() as session:
        assert session.scalar(select(Initiative).where(Initiative.name == "Weg Initiatief")) is None


def test_replace_keeps_sign_ups_for_rows_that_stay_and_drops_those_of_removed_rows(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [row("a1"), row("a2")])
    assert doemee(database.url, "import-csv", str(path)).code == 0
    stored = opportunities(database)
    with database.session() as session:
        resident = Resident(channel="web", sender_id="s1")
        session.add(resident)
        session.flush()
        for key in ("a1", "a2"):
            session.add(SignUp(resident_id=resident.id, opportunity_id=stored[key].id, consent_text="ja"))
    write_csv(path, [row("a1")])
    assert doemee(database.url, "import-csv", str(path), "--replace").code == 0
    with database.session() as session:
        kept = session.scalars(select(SignUp.opportunity_id)).all()
    assert kept == [stored["a1"].id]


def test_a_date_already_past_imports_as_closed(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [row("oud", valid_until="2020-01-31"), row("nieuw", valid_until="")])
    assert doemee(database.url, "import-csv", str(path)).code == 0
    stored = opportunities(database)
    assert (stored["oud"].status, stored["oud"].valid_until) == ("closed", date(2020, 1, 31))
    assert (stored["nieuw"].status, stored["nieuw"].valid_until) == ("open", None)


def test_an_expired_opportunity_is_never_matched(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [row("oud", valid_until="2020-01-31"), row("nieuw")])
    assert doemee(database.url, "import-csv", str(path)).code == 0
    result = doemee(database.url, "match", "--postcode", "3531", "--radius-km", "300", "--limit", "100", "--json")
    assert result.code == 0, result.stderr
    assert [item["external_id"] for item in json.loads(result.stdout)] == ["nieuw"]


def test_columns_may_come_in_any_order_and_a_byte_order_mark_is_fine(database, tmp_path):
    columns = tuple(reversed(COLUMNS))
    path = write_csv(tmp_path / "plekken.csv", [row("a1")], columns=columns)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = doemee(database.url, "import-csv", str(path))
    assert result.code == 0, result.stderr
    assert set(opportunities(database)) == {"a1"}


def test_an_unknown_extra_column_is_ignored_with_a_warning(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [dict(row("a1"), notitie="intern")], columns=(*COLUMNS, "notitie"))
    result = doemee(database.url, "import-csv", str(path))
    assert result.code == 0
    assert "notitie" in result.stderr and "sla ik over" in result.stderr
    assert set(opportunities(database)) == {"a1"}


def test_optional_columns_may_be_left_out_entirely(database, tmp_path):
    required = ("external_id", "initiative_name", "title", "description", "category", "postcode",
                "time_commitment", "contact_email")
    path = write_csv(tmp_path / "plekken.csv", [row("a1")], columns=required)
    assert doemee(database.url, "import-csv", str(path)).code == 0
    stored = opportunities(database)["a1"]
    assert (stored.remote, stored.day_parts, stored.valid_until, stored.place) == (False, "", None, "Utrecht")


def test_emoji_and_accents_in_text_are_kept(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [row("a1", title="Koken met ouderen 🍲", description="Gezellig én lekker.")])
    assert doemee(database.url, "import-csv", str(path)).code == 0
    assert opportunities(database)["a1"].title == "Koken met ouderen 🍲"


def test_a_header_only_file_imports_nothing_without_error(database, tmp_path):
    path = write_csv(tmp_path / "leeg.csv", [])
    result = doemee(database.url, "import-csv", str(path))
    assert result.code == 0
    assert "0 nieuw, 0 bijgewerkt, 0 verwijderd" in result.stdout


def test_remote_opportunity_is_stored_as_remote(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [row("a1", remote="JA", time_commitment="Flexibel")])
    assert doemee(database.url, "import-csv", str(path)).code == 0
    stored = opportunities(database)["a1"]
    assert (stored.remote, stored.time_commitment) == (True, "flexibel")


def test_nothing_is_written_when_the_database_has_demo_data_and_the_file_is_bad(database, tmp_path):
    _demo_opportunity(database)
    path = write_csv(tmp_path / "plekken.csv", [row("a1"), row("a2", category="onzin")])
    assert doemee(database.url, "import-csv", str(path), "--replace").code == 2
    with database.session() as session:
        assert session.scalars(select(Opportunity.external_id)).all() == ["demo-1"]
