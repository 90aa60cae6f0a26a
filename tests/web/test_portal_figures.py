"""Cijfers in the portal over real HTTP, on SQLite and PostgreSQL: known data in, the same numbers out."""

from __future__ import annotations

import csv
import io
import logging
import re
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest

from bot.web import portal
from bot.web.portal import figures
from doemee import centre_stats, messages
from doemee.attribution import centre_for_slug
from doemee.storage.models import SearchLog, SignUp
from tests.domain.factories import make_opportunity
from tests.web.test_portal import Portal, browsers, gateway, mail_settings, member  # noqa: F401  (fixtures)
from tests.web.test_portal_scale import counted as statements_run

SVG = "{http://www.w3.org/2000/svg}"


def week_of(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def monday_noon(weeks_ago: int) -> datetime:
    now = datetime.now(timezone.utc)
    monday = (now - timedelta(days=now.weekday(), weeks=weeks_ago)).replace(hour=0, minute=5, second=0, microsecond=0)
    return monday


def known_data(database) -> None:
    """Utrecht: this week 4 searches (1 unmet) and 1 sign-up, last week 2 searches (both unmet) and 1 sign-up.
    Amsterdam: this week 5 searches (all unmet) and 3 sign-ups, none of them Utrecht's."""
    this_week, last_week = monday_noon(0), monday_noon(1)
    with database.session() as session:
        utrecht = centre_for_slug(session, "utrecht").id
        amsterdam = centre_for_slug(session, "amsterdam").id

        def search(centre, moment, within, code, interests="groen"):
            session.add(SearchLog(interests=interests, municipality_code=code, result_count=3,
                                  within_radius_count=within, centre_id=centre, created_at=moment))

        for within in (0, 2, 2, 2):
            search(utrecht, this_week, within, "0344")
        search(utrecht, last_week, 0, "0355", "taal")
        search(utrecht, last_week, 0, "0355", "taal")
        for _ in range(5):
            search(amsterdam, this_week, 0, "0363", "sport")
        listing = make_opportunity(session)
        listing.centre_id = utrecht
        for centre, moment in ((utrecht, this_week), (utrecht, last_week), (amsterdam, this_week),
                               (amsterdam, this_week), (amsterdam, this_week)):
            session.add(SignUp(opportunity_id=listing.id, centre_id=centre, consent_text="ok", created_at=moment))


@pytest.fixture
def me(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    one = browsers()
    assert one.login("sanne@example.org").status_code == 303
    return one


def svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(found) for found in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)]


def table_row(page: str, header: str) -> list[str]:
    found = re.search(rf'<tr><th scope="row">{re.escape(header)}</th>(.*?)</tr>', page)
    assert found, header
    return re.findall(r"<td>([^<]*)</td>", found.group(1))


def downloaded(me, path: str) -> list[list[str]]:
    answer = me.http.get(path)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv"), path
    assert answer.headers["content-disposition"].startswith('attachment; filename="doemee-cijfers-')
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_the_weekly_numbers_match_the_known_data_in_the_chart_the_table_and_the_csv(database, me):
    known_data(database)
    page = me.http.get("/portaal/cijfers")
    assert page.status_code == 200
    this_week, last_week = week_of(monday_noon(0)), week_of(monday_noon(1))
    assert table_row(page.text, this_week) == ["4", "1", "1", "25%"]
    assert table_row(page.text, last_week) == ["2", "2", "1", "50%"]
    assert table_row(page.text, "Samen") == ["6", "3", "2", "33%"]

    chart, region_map = svgs(page.text)
    assert chart.get("role") == "img" and region_map.get("role") == "img"
    assert chart.find(f"{SVG}title").text == messages_chart_title()
    tips = [g.find(f"{SVG}title").text for g in chart.iter(f"{SVG}g")]
    assert len(tips) == centre_stats.DEFAULT_WEEKS
    assert tips[-1] == f"{this_week}: 4 zoekvragen, 1 zonder plek in de buurt, 1 aanmelding, conversie 25%"
    assert len(chart.findall(f"{SVG}polyline")) == 1

    rows = downloaded(me, "/portaal/cijfers/weken.csv")
    assert rows[0] == list(messages.STATS_WEEKLY_COLUMNS) and len(rows) == centre_stats.DEFAULT_WEEKS + 1
    assert rows[-1][0] == this_week and rows[-1][2:] == ["4", "1", "1", "0.250"]
    assert rows[-2][2:] == ["2", "2", "1", "0.500"]


def test_unmet_demand_and_the_map_count_the_region_and_download_the_same(database, me):
    known_data(database)
    page = me.http.get("/portaal/cijfers").text
    demand = re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>(\d+)</td><td>(\d+)</td><td>([^<]*)</td>'
                        r'<td>(\d+)</td></tr>', page)
    assert demand[0] == ("Zeist", "Taal en nieuwkomers", "2", "2", "100%", "0")
    assert ("Utrecht", "Natuur, groen en tuinieren", "4", "1", "25%", "1") in demand
    assert not any(row[0] == "Amsterdam" for row in demand)

    rows = downloaded(me, "/portaal/cijfers/vraag.csv")
    assert rows[0] == list(messages.STATS_DEMAND_COLUMNS)
    assert ["Zeist", "0355", "Taal en nieuwkomers", "2", "2", "1.000", "0"] in rows
    municipalities = downloaded(me, "/portaal/cijfers/gemeenten.csv")
    assert ["Utrecht", "0344", "4", "1", "0.250", "1"] in municipalities
    assert all(row[0] != "Amsterdam" for row in municipalities)

    _, region_map = svgs(page)
    circles = [g.find(f"{SVG}title").text for g in region_map.iter(f"{SVG}g")]
    assert "Utrecht: 4 zoekvragen, waarvan 1 zonder plek in de buurt (25%)" in circles
    assert "Zeist: 2 zoekvragen, waarvan 2 zonder plek in de buurt (100%)" in circles


def test_another_centre_sees_only_its_own_weeks_and_region(database, mail_settings, browsers):  # noqa: F811
    known_data(database)
    member(database, mail_settings, "anna@example.org", "amsterdam")
    anna = browsers()
    anna.login("anna@example.org")
    page = anna.http.get("/portaal/cijfers").text
    assert table_row(page, week_of(monday_noon(0))) == ["5", "5", "3", "60%"]
    assert table_row(page, "Samen") == ["5", "5", "3", "60%"]
    assert "Zeist" not in page and "Taal en nieuwkomers" not in page
    for path in ("/portaal/cijfers/vraag.csv", "/portaal/cijfers/gemeenten.csv"):
        assert not any("Zeist" in row or "Utrecht" in row for row in downloaded(anna, path))


def test_without_data_the_page_and_both_pictures_still_work(database, me):
    page = me.http.get("/portaal/cijfers")
    assert page.status_code == 200 and table_row(page.text, "Samen") == ["0", "0", "0", "–"]
    chart, region_map = svgs(page.text)
    assert region_map.find(f"{SVG}desc").text == messages.MAP_EMPTY_DESC
    assert chart.findall(f"{SVG}polyline") == []


def test_the_page_has_no_script_no_style_attribute_and_only_its_own_resources(database, me):
    known_data(database)
    page = me.http.get("/portaal/cijfers")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "<script" not in page.text and " style=" not in page.text and "<style" not in page.text
    assert not re.search(r'(src|href)="(https?:)?//', page.text)


def test_every_figures_route_is_known_to_the_portal():
    paths = {route.path for route in portal.routes()}
    assert {figures.PAGE, f"{figures.PAGE}/weken.csv", f"{figures.PAGE}/vraag.csv", f"{figures.PAGE}/gemeenten.csv",
            "/portaal/csv", "/portaal/csv/export", "/portaal/csv/inlezen"} <= paths


@pytest.mark.parametrize("weeks", [1, 2, 12, 156])
def test_the_chart_is_well_formed_for_any_number_of_weeks(db, weeks):
    stats = centre_stats.weekly(db, [], weeks=weeks)
    chart = ET.fromstring(figures.weekly_chart_svg(stats))
    assert len(list(chart.iter(f"{SVG}g"))) == weeks


def messages_chart_title() -> str:
    from doemee import staff_messages

    return staff_messages.CHART_TITLE


FIGURES_URLS = ("/portaal/cijfers", "/portaal/cijfers/weken.csv", "/portaal/cijfers/vraag.csv",
                "/portaal/cijfers/gemeenten.csv")


@pytest.mark.parametrize("chosen", ["amsterdam", "-1", "abc", "99999999999", "0", "١"])
def test_a_member_asking_for_another_centres_figures_gets_404(database, me, chosen):
    known_data(database)
    with database.session() as session:
        value = str(centre_for_slug(session, "amsterdam").id) if chosen == "amsterdam" else chosen
    for path in FIGURES_URLS:
        answer = me.http.get(path, params={"centrum": value})
        assert answer.status_code == 404 and "Deze pagina bestaat niet" in answer.text, path


def test_an_admin_sees_all_centres_together_or_one_centre(database, mail_settings, browsers):  # noqa: F811
    known_data(database)
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    admin = browsers()
    admin.login("beheer@example.org")
    everything = admin.http.get("/portaal/cijfers").text
    assert table_row(everything, "Samen") == ["11", "8", "5", "45%"]
    with database.session() as session:
        amsterdam = centre_for_slug(session, "amsterdam").id
    assert f'href="/portaal/cijfers?centrum={amsterdam}"' in everything
    one = admin.http.get("/portaal/cijfers", params={"centrum": amsterdam}).text
    assert table_row(one, "Samen") == ["5", "5", "3", "60%"]
    assert f"/portaal/cijfers/weken.csv?centrum={amsterdam}" in one
    rows = downloaded(admin, f"/portaal/cijfers/weken.csv?centrum={amsterdam}")
    assert rows[-1][2:] == ["5", "5", "3", "0.600"]


def more_searches(database, count: int) -> None:
    with database.session() as session:
        utrecht = centre_for_slug(session, "utrecht").id
        for _ in range(count):
            session.add(SearchLog(interests="groen", municipality_code="0344", result_count=3, within_radius_count=2,
                                  centre_id=utrecht, created_at=monday_noon(0)))


def searches_shown(me) -> str:
    return table_row(me.http.get("/portaal/cijfers").text, "Samen")[0]


def test_the_cache_serves_fresh_counts_then_older_ones_while_counting_again_then_counts_anew():
    cache, today = figures.FiguresCache(max_age=300, stale_limit=3600), datetime(2026, 12, 5).date()
    kept = object()
    cache.put(frozenset({1}), today, 1000.0, kept)
    assert cache.get(frozenset({1}), today, 1299.0) == (kept, False)
    assert cache.get(frozenset({1}), today, 1300.0) == (kept, True)
    assert cache.get(frozenset({1}), today + timedelta(days=1), 1010.0) == (kept, True)
    assert cache.get(frozenset({1}), today, 4600.0) == (None, True)
    assert cache.get(frozenset({2}), today, 1000.0) == (None, True)


def test_older_counts_are_shown_at_once_and_counted_again_behind_the_page(database, me, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(figures, "_clock", lambda: clock[0])
    known_data(database)
    assert searches_shown(me) == "6"
    more_searches(database, 3)
    assert searches_shown(me) == "6"

    clock[0] += 301
    assert searches_shown(me) == "6"
    for _ in range(100):
        if searches_shown(me) == "9":
            break
        time.sleep(0.05)
    assert searches_shown(me) == "9"

    more_searches(database, 1)
    clock[0] += 3601
    assert searches_shown(me) == "10"


def test_the_gateway_counts_every_centres_figures_before_anyone_asks(
        make_gateway, database, mail_settings, caplog):  # noqa: F811
    known_data(database)
    caplog.set_level(logging.DEBUG, logger=figures.log.name)
    url = make_gateway(database_url=database.url, mail=mail_settings, email_alert_interval_seconds=0,
                       outbox_interval_seconds=0, figures_warm_seconds=60)
    deadline = time.monotonic() + 20
    while not any("counted ahead" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
        time.sleep(0.05)
    member(database, mail_settings, "sanne@example.org", "utrecht")
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    for email, expected in (("sanne@example.org", "6"), ("beheer@example.org", "11")):
        me = Portal(url)
        try:
            assert me.login(email).status_code == 303
            with statements_run() as statements:
                assert table_row(me.http.get("/portaal/cijfers").text, "Samen")[0] == expected
        finally:
            me.close()
        assert not any("search_log" in s for s in statements), email
