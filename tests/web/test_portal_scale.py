"""The portal at a few thousand rows, on SQLite and PostgreSQL: lists page, queries stay bounded.

The small sibling of bench/portal_bench.py (issue 17): the same generated
data and pages, over real HTTP with a logged-in member and an admin. What
makes a page slow at 100,000 listings shows here as a count: a page that
loads every row, or asks once per row, reads more statements when the
data grows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event, select, update

from bench import portal_bench
from bot.web.portal import exchange, figures
from doemee.attribution import centre_for_slug
from doemee.exchange.exporter import open_ids
from doemee.moderation import CONCEPTS_PER_PAGE
from doemee.storage.models import AuditEvent, Opportunity, SearchLog, Status
from doemee.vacancies import DEFAULT_PER_PAGE, find
from tests.web.test_portal import browsers, mail_settings, member  # noqa: F401  (fixtures)

LISTINGS = 3_000
SEARCHES = 10_000
# Every statement one page may need: the session, the member's centres, the page's own reads.
MAX_STATEMENTS = 14
LIST_PAGES = (
    "/portaal/vandaag", "/portaal/concepten", "/portaal/concepten?pagina=2", "/portaal/hulpvragen",
    "/portaal/vacatures", "/portaal/vacatures?pagina=2", "/portaal/vacatures?zoek=tuin",
    "/portaal/vacatures?status=open&categorie=groen", "/portaal/csv", "/portaal/cijfers",
    "/portaal/logboek", "/portaal/logboek?wat=vacatures", "/portaal/logboek?pagina=999999",
)


@contextmanager
def counted() -> Iterator[list[str]]:
    """The SQL statements any engine of this process runs inside the block (the gateway's included)."""
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", seen)


def seed(database, listings: int = LISTINGS) -> dict[str, str]:
    fields = portal_bench.generate(database, listings, SEARCHES).fields
    with database.session() as session:
        utrecht = centre_for_slug(session, "utrecht").id
        many = select(Opportunity.id).where(Opportunity.centre_id == utrecht).order_by(Opportunity.id).limit(120)
        session.execute(update(Opportunity).where(Opportunity.id.in_(many)).values(status=Status.CONCEPT.value))
    return fields


@pytest.fixture
def gateway(make_gateway, database, mail_settings) -> str:  # noqa: F811
    """No background senders: every statement counted is a page's."""
    return make_gateway(database_url=database.url, mail=mail_settings, email_alert_interval_seconds=0,
                        outbox_interval_seconds=0)


@pytest.fixture
def members(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    staff, admin = browsers(), browsers()
    assert staff.login("sanne@example.org").status_code == 303
    assert admin.login("beheer@example.org").status_code == 303
    return {"staff": staff, "admin": admin}


def listed(page: str, kind: str) -> int:
    return len(re.findall(rf'<a href="/portaal/{kind}/\d+">', page))


def test_list_pages_show_one_page_of_many(database, members):
    seed(database)
    for who, me in members.items():
        vacancies = me.http.get("/portaal/vacatures")
        assert vacancies.status_code == 200
        assert listed(vacancies.text, "vacatures") == DEFAULT_PER_PAGE, who
        assert 'rel="next"' in vacancies.text
        concepts = me.http.get("/portaal/concepten")
        assert listed(concepts.text, "concepten") == CONCEPTS_PER_PAGE, who
        second = me.http.get("/portaal/concepten?pagina=2").text
        assert 'rel="prev"' in second and listed(second, "concepten") == CONCEPTS_PER_PAGE
        last = me.http.get("/portaal/concepten?pagina=999999999999").text
        assert 0 < listed(last, "concepten") <= CONCEPTS_PER_PAGE and 'rel="next"' not in last


def test_no_page_reads_more_statements_when_the_data_grows(database, members):
    seed(database)
    before = {}
    for who, me in members.items():
        for path in LIST_PAGES:
            figures.clear_caches()
            with counted() as statements:
                assert me.http.get(path).status_code == 200, (who, path)
            assert len(statements) <= MAX_STATEMENTS, (who, path, statements)
            before[(who, path)] = len(statements)
    double(database, Opportunity.__table__, "external_id")
    double(database, SearchLog.__table__, "interests")
    double(database, AuditEvent.__table__, "actor")
    for who, me in members.items():
        for path in LIST_PAGES:
            figures.clear_caches()
            with counted() as statements:
                assert me.http.get(path).status_code == 200
            # A session's last-seen time is written now and then: one statement either way is no growth.
            assert len(statements) <= before[(who, path)] + 1, (who, path, statements)


def double(database, table, distinct: str) -> None:
    """Every row once more, a copy of itself (`distinct` gets a suffix, so unique keys stay unique)."""
    columns = [c for c in table.columns if c.name != "id"]
    copied = [(c + "x").label(c.name) if c.name == distinct else c for c in columns]
    with database.session() as session:
        session.execute(table.insert().from_select([c.name for c in columns], select(*copied)))


def test_the_figures_are_counted_once_and_then_served_from_the_cache(database, members):
    seed(database)
    me = members["staff"]
    figures.clear_caches()
    with counted() as first:
        page = me.http.get("/portaal/cijfers").text
    with counted() as again:
        assert me.http.get("/portaal/cijfers").text == page
        me.http.get("/portaal/cijfers/vraag.csv")
    assert any("search_log" in s for s in first)
    assert not any("search_log" in s for s in again)


def test_the_export_streams_every_open_listing_in_the_files_order(database, members, monkeypatch):
    fields = seed(database)
    monkeypatch.setattr(exchange, "CHUNK", 100)
    answer = members["staff"].http.get(f"/portaal/csv/export?centrum={fields['centre']}")
    assert answer.status_code == 200 and "content-length" not in answer.headers
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    with database.session() as session:
        centre = centre_for_slug(session, "utrecht")
        expected = open_ids(session, centre=centre)
        by_id = {i: external for i, external in session.execute(select(Opportunity.id, Opportunity.external_id))}
    assert len(expected) > 300
    assert [r["external_id"] for r in rows] == [by_id[i] for i in expected]


def test_a_listing_edited_through_the_orm_is_found_by_its_new_words_only(database):
    seed(database, 200)
    with database.session() as session:
        listing = session.scalar(select(Opportunity).order_by(Opportunity.id).limit(1))
        old_title = listing.title
        listing.title = "Ééndjes voeren in het park"
        listing.description = "Samen met KINDEREN brood mee."
        centre = listing.centre_id

    with database.session() as session:
        assert [v.id for v in find(session, {centre}, text="ÉÉNDJES").items] == [listing.id]
        assert [v.id for v in find(session, {centre}, text="kinderen brood").items] == [listing.id]
        assert listing.id not in [v.id for v in find(session, {centre}, text=old_title, per_page=100).items]


def test_migration_0011_folds_the_listings_already_stored(tmp_path):
    from datetime import datetime, timezone

    from sqlalchemy import MetaData, Table, insert

    from doemee.storage.database import Database
    from doemee.storage.migrate import upgrade

    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(database.engine, "0010")
    moment = datetime(2026, 11, 1, tzinfo=timezone.utc)
    with database.engine.begin() as connection:
        initiative = Table("initiative", MetaData(), autoload_with=connection)  # as 0010 left them
        opportunity = Table("opportunity", MetaData(), autoload_with=connection)
        connection.execute(insert(initiative).values(id=1, name="Buurttuin", is_demo=False, created_at=moment))
        connection.execute(insert(opportunity).values(
            source="csv", external_id="een", initiative_id=1, title="ÉÉN keer per maand", description="Help  mee.",
            category="groen", postcode="3511 AB", pc4="3511", place="Utrecht", lat=52.09, lon=5.11, lat_band=1041,
            time_commitment="maandelijks", day_parts="", remote=False, contact_email="tuin@example.org",
            status="open", is_demo=False, created_at=moment, updated_at=moment, centre_id=1,
        ))
    database.migrate()
    with database.session() as session:
        stored = session.scalar(select(Opportunity.search_text))
        found = find(session, {1}, text="één keer")
    database.dispose()
    assert stored == "één keer per maand\x1fhelp  mee."
    assert [v.title for v in found.items] == ["ÉÉN keer per maand"]
