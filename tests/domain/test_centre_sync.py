"""centres.yml into the database: insert, update by slug, and never delete a centre that owns listings."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from doemee.centre_sync import sync_centres
from doemee.centres import CentreConfigError, load_centres
from doemee.storage.models import Centre
from tests.cli.runner import doemee, row, write_csv
from tests.conftest import SEEDED_CENTRES
from tests.domain.factories import make_opportunity

PROEF = """\
centres:
  proef:
    name: Vrijwilligerspunt Proef
    colours: {primary: "#0b5394", text_on_primary: "#ffffff"}
    municipalities: ["0344", "310"]
    origins: ["https://Proef.example.org/", "http://localhost:8080"]
    handoff_contact: "Bel 030 000 00 00"
    greeting: "Hoi!"
"""


def _centres(session) -> dict[str, Centre]:
    return {c.slug: c for c in session.scalars(select(Centre).order_by(Centre.position))}


def test_a_new_centre_is_inserted_with_its_region_and_origins(db, tmp_path):
    (tmp_path / "c.yml").write_text(PROEF, encoding="utf-8")
    report = sync_centres(db, {**SEEDED_CENTRES, **load_centres(tmp_path / "c.yml")})
    assert (report.new, report.updated, report.removed) == (["proef"], [], [])
    proef = _centres(db)["proef"]
    assert proef.municipality_codes == ["0310", "0344"]
    assert proef.origins == ["https://proef.example.org", "http://localhost:8080"]
    assert (proef.primary_colour, proef.position) == ("#0b5394", 2)


def test_a_second_sync_of_the_same_file_changes_nothing(db):
    report = sync_centres(db, SEEDED_CENTRES)
    assert (report.new, report.updated, report.removed, report.kept) == ([], [], [], {})


def test_a_centre_is_updated_by_its_slug_keeping_its_id(db):
    before = _centres(db)["amsterdam"].id
    changed = dataclasses.replace(
        SEEDED_CENTRES["amsterdam"], name="Vrijwilligerscentrale Amstelland", municipalities=("0363", "0358"),
        handoff_contact="Bel 020 999 99 99",
    )
    report = sync_centres(db, {**SEEDED_CENTRES, "amsterdam": changed})
    assert report.updated == ["amsterdam"]
    amsterdam = _centres(db)["amsterdam"]
    assert (amsterdam.id, amsterdam.name, amsterdam.handoff_contact) == (before, changed.name, "Bel 020 999 99 99")
    assert amsterdam.municipality_codes == ["0358", "0363"]


def test_reordering_the_file_changes_which_centre_is_first(db):
    report = sync_centres(db, {"amsterdam": SEEDED_CENTRES["amsterdam"], "utrecht": SEEDED_CENTRES["utrecht"]})
    assert sorted(report.updated) == ["amsterdam", "utrecht"]
    assert list(_centres(db)) == ["amsterdam", "utrecht"]


def test_a_centre_without_listings_that_left_the_file_is_removed(db):
    report = sync_centres(db, {"utrecht": SEEDED_CENTRES["utrecht"]})
    assert report.removed == ["amsterdam"] and list(_centres(db)) == ["utrecht"]


def test_a_centre_that_still_owns_listings_is_never_removed(db):
    amsterdam = _centres(db)["amsterdam"]
    opportunity = make_opportunity(db)
    opportunity.centre_id = amsterdam.id
    db.flush()
    report = sync_centres(db, {"utrecht": SEEDED_CENTRES["utrecht"]})
    assert (report.removed, report.kept) == ([], {"amsterdam": 1})
    assert list(_centres(db)) == ["utrecht", "amsterdam"]


def test_overlapping_regions_are_reported(db):
    amsterdam = dataclasses.replace(SEEDED_CENTRES["amsterdam"], municipalities=("0363", "0344"))
    report = sync_centres(db, {"utrecht": SEEDED_CENTRES["utrecht"], "amsterdam": amsterdam})
    assert report.overlaps == {"0344": ["utrecht", "amsterdam"]}


@pytest.mark.parametrize("origin", ["ftp://proef.example.org", "https://proef.example.org/pad", "proef.example.org"])
def test_an_origin_that_is_no_bare_website_is_refused(tmp_path, origin):
    (tmp_path / "c.yml").write_text(PROEF.replace("http://localhost:8080", origin), encoding="utf-8")
    with pytest.raises(CentreConfigError, match="origins") as raised:
        load_centres(tmp_path / "c.yml")
    assert "origins moeten websites zijn" in raised.value.dutch


# --- bin/doemee centres-sync --------------------------------------------------------------------

def test_centres_sync_applies_a_given_file_and_says_what_it_did(database, tmp_path):
    path = tmp_path / "centres.yml"
    path.write_text(PROEF, encoding="utf-8")
    result = doemee(database.url, "centres-sync", str(path))
    assert result.code == 0, result.stderr
    assert result.stdout.strip() == "Centra bijgewerkt: 1 nieuw, 0 bijgewerkt, 2 weggehaald."
    with database.session() as session:
        assert list(_centres(session)) == ["proef"]


def test_centres_sync_keeps_a_centre_with_listings_and_says_so_in_dutch(database, tmp_path):
    listing = write_csv(tmp_path / "a.csv", [row("a1", postcode="1011")])
    assert doemee(database.url, "import-csv", str(listing), "--centre", "amsterdam").code == 0
    path = tmp_path / "centres.yml"
    path.write_text(PROEF, encoding="utf-8")
    result = doemee(database.url, "centres-sync", str(path))
    assert result.code == 0, result.stderr
    assert "Centrum 'amsterdam' staat niet meer in het bestand, maar heeft nog 1 vrijwilligersplek." in result.stderr
    assert "1 nieuw, 0 bijgewerkt, 1 weggehaald" in result.stdout
    with database.session() as session:
        assert list(_centres(session)) == ["proef", "amsterdam"]


def test_centres_sync_without_a_file_reads_the_configured_one(database, tmp_path):
    path = tmp_path / "elders.yml"
    path.write_text(PROEF, encoding="utf-8")
    result = doemee(database.url, "centres-sync", DOEMEE_CENTRES_FILE=str(path))
    assert result.code == 0 and "1 nieuw" in result.stdout


@pytest.mark.parametrize("broken, words", [
    (PROEF.replace('"#ffffff"', '"#1155aa"'), "contrast"),
    (PROEF.replace('"0344"', '"Utrecht"'), "CBS-codes"),
    (PROEF.replace('    greeting: "Hoi!"\n', ""), "'greeting' ontbreekt"),
    ("centres: [", "niet lezen"),
])
def test_a_bad_centres_file_is_exit_2_one_dutch_line_and_changes_nothing(database, tmp_path, broken, words):
    path = tmp_path / "centres.yml"
    path.write_text(broken, encoding="utf-8")
    result = doemee(database.url, "centres-sync", str(path))
    assert result.code == 2 and len(result.error_lines) == 1
    assert words in result.stderr and "Traceback" not in result.stderr
    with database.session() as session:
        assert list(_centres(session)) == ["utrecht", "amsterdam"]


def test_a_missing_centres_file_is_exit_2_with_one_line(database, tmp_path):
    result = doemee(database.url, "centres-sync", str(tmp_path / "bestaat-niet.yml"))
    assert result.code == 2 and len(result.error_lines) == 1 and "niet lezen" in result.stderr


def test_an_import_on_a_database_without_centres_says_how_to_add_them(database, tmp_path):
    with database.session() as session:
        for centre in session.scalars(select(Centre)):
            session.delete(centre)
    result = doemee(database.url, "import-csv", str(write_csv(tmp_path / "p.csv", [row("a1")])))
    assert result.code == 2 and result.error_lines == ["Er staat nog geen centrum in de database. Zet ze erin met: bin/doemee centres-sync"]
