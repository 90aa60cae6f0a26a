"""`import-csv --centre`: every centre imports, updates and replaces only its own listings."""

from __future__ import annotations

from sqlalchemy import select

from doemee.storage.models import Centre, Opportunity, Resident, SignUp
from tests.cli.runner import doemee, row, write_csv


def _listings(database) -> dict[tuple[str, str], int]:
    """(centre slug, external_id) -> opportunity id, for every stored opportunity."""
    with database.session() as session:
        rows = session.execute(
            select(Centre.slug, Opportunity.external_id, Opportunity.id).join(Centre, Opportunity.centre_id == Centre.id)
        ).all()
    return {(slug, external_id): opportunity_id for slug, external_id, opportunity_id in rows}


def _sign_up(database, opportunity_id: int, sender: str) -> None:
    with database.session() as session:
        resident = Resident(channel="web", sender_id=sender)
        session.add(resident)
        session.flush()
        session.add(SignUp(resident_id=resident.id, opportunity_id=opportunity_id, consent_text="ja"))


def test_replace_by_one_centre_keeps_every_other_centres_listings_and_their_sign_ups(database, tmp_path):
    utrecht = write_csv(tmp_path / "utrecht.csv", [row("u1"), row("u2")])
    amsterdam = write_csv(tmp_path / "amsterdam.csv", [row("a1", postcode="1011"), row("a2", postcode="1012")])
    assert doemee(database.url, "import-csv", str(utrecht), "--centre", "utrecht").code == 0
    result = doemee(database.url, "import-csv", str(amsterdam), "--centre", "amsterdam")
    assert result.code == 0, result.stderr
    before = _listings(database)
    _sign_up(database, before[("amsterdam", "a1")], "bewoner-a")

    replaced = doemee(database.url, "import-csv", str(write_csv(tmp_path / "nieuw.csv", [row("u1")])),
                      "--centre", "utrecht", "--replace")

    assert replaced.code == 0, replaced.stderr
    assert "0 nieuw, 1 bijgewerkt, 1 verwijderd" in replaced.stdout
    after = _listings(database)
    assert set(after) == {("utrecht", "u1"), ("amsterdam", "a1"), ("amsterdam", "a2")}
    with database.session() as session:
        assert session.scalars(select(SignUp.opportunity_id)).all() == [before[("amsterdam", "a1")]]


def test_two_centres_may_use_the_same_external_id_without_touching_each_other(database, tmp_path):
    path = write_csv(tmp_path / "plekken.csv", [row("x1")])
    assert doemee(database.url, "import-csv", str(path), "--centre", "utrecht").code == 0
    assert doemee(database.url, "import-csv", str(path), "--centre", "amsterdam").code == 0
    write_csv(path, [row("x1", title="Alleen in Amsterdam anders")])
    result = doemee(database.url, "import-csv", str(path), "--centre", "amsterdam")
    assert "0 nieuw, 1 bijgewerkt" in result.stdout
    with database.session() as session:
        titles = dict(session.execute(
            select(Centre.slug, Opportunity.title).join(Centre, Opportunity.centre_id == Centre.id)
        ).all())
    assert titles == {"utrecht": "Tuinier gezocht voor de buurttuin", "amsterdam": "Alleen in Amsterdam anders"}


def test_without_centre_the_import_goes_to_the_first_centre_of_centres_yml(database, tmp_path):
    assert doemee(database.url, "import-csv", str(write_csv(tmp_path / "p.csv", [row("a1", postcode="1011")]))).code == 0
    assert set(_listings(database)) == {("utrecht", "a1")}


def test_an_unknown_centre_is_exit_2_with_one_dutch_line_and_imports_nothing(database, tmp_path):
    result = doemee(database.url, "import-csv", str(write_csv(tmp_path / "p.csv", [row("a1")])), "--centre", "nergens")
    assert result.code == 2
    assert len(result.error_lines) == 1 and "nergens" in result.stderr and "Traceback" not in result.stderr
    assert _listings(database) == {}


def test_export_with_a_centre_writes_only_that_centres_listings(database, tmp_path):
    assert doemee(database.url, "import-csv", str(write_csv(tmp_path / "u.csv", [row("u1")])), "--centre", "utrecht").code == 0
    assert doemee(database.url, "import-csv", str(write_csv(tmp_path / "a.csv", [row("a1", postcode="1011")])),
                  "--centre", "amsterdam").code == 0
    out = tmp_path / "uit.csv"
    result = doemee(database.url, "export-csv", str(out), "--centre", "amsterdam")
    assert result.code == 0, result.stderr
    assert [line.split(",")[0] for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]] == ["a1"]
    everything = doemee(database.url, "export-csv", str(out))
    assert everything.code == 0 and len(out.read_text(encoding="utf-8-sig").splitlines()) == 3


def test_the_demo_data_goes_to_the_centre_of_each_rows_region_else_the_first(db):
    from doemee.exchange.demo import load_demo
    from doemee.geo.index import get_geo_index

    load_demo(db, get_geo_index())
    owners = dict(db.execute(
        select(Opportunity.municipality_code, Centre.slug).join(Centre, Opportunity.centre_id == Centre.id)
        .where(Opportunity.municipality_code.in_(["0363", "0344", "0599"]))
    ).all())
    assert owners == {"0363": "amsterdam", "0344": "utrecht", "0599": "utrecht"}  # Rotterdam: no region


def test_reloading_the_demo_data_updates_it_in_place(db):
    from doemee.exchange.demo import load_demo
    from doemee.geo.index import get_geo_index

    first = load_demo(db, get_geo_index())
    ids = set(db.scalars(select(Opportunity.id)))
    again = load_demo(db, get_geo_index())
    assert (again.new, again.updated, again.removed) == (0, first.new, 0)
    assert set(db.scalars(select(Opportunity.id))) == ids
