"""Logboek in a real Chromium: from a change to the row that tells who made it, axe-core finds nothing, a phone fits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from playwright.sync_api import Browser

from doemee.attribution import centre_for_slug
from doemee.local_time import local
from tests.browser.portal import desktop_page, fits_a_phone, log_in, no_violations, phone_page, portal_gateway
from tests.domain.factories import make_opportunity

pytestmark = pytest.mark.browser
TITLE = "Boodschappen-doen-voor-buren-die-slecht-ter-been-zijn-in-Overvecht"


@pytest.fixture
def portal(database, tmp_path) -> Iterator[str]:
    def listing(session) -> None:
        opportunity = make_opportunity(session, title=TITLE)
        opportunity.centre_id = centre_for_slug(session, "utrecht").id

    with portal_gateway(database, tmp_path, listing) as (url, _):
        yield url


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_member_pauses_a_listing_and_finds_it_in_the_logbook_and_its_history(portal, browser: Browser, database):
    url = portal
    with desktop_page(browser) as (page, errors):
        log_in(page, url)
        page.get_by_role("link", name="Vacatures").click()
        page.get_by_role("link", name=TITLE).click()
        page.wait_for_url(f"{url}/portaal/vacatures/*")
        page.get_by_role("button", name="Pauzeren").click()
        page.wait_for_url(f"{url}/portaal/vacatures/*?gedaan=gepauzeerd")
        history = page.get_by_role("region", name="Geschiedenis")
        assert history.get_by_text("Vacature gepauzeerd (sanne@example.org)").is_visible()
        no_violations(page)

        page.get_by_role("link", name="Logboek", exact=True).click()
        page.wait_for_url(f"{url}/portaal/logboek")
        no_violations(page)
        page.get_by_label("Wat").select_option(label="Vacatures")
        page.get_by_label("Vanaf").fill(local(datetime.now(timezone.utc)).date().isoformat())
        page.get_by_role("button", name="Filteren").click()
        page.wait_for_url(f"{url}/portaal/logboek?*")
        table = page.get_by_role("table", name="Logboek")
        rows = table.get_by_role("row").all()[1:]
        assert len(rows) == 1
        assert rows[0].get_by_role("cell").all_inner_texts()[1:3] == ["sanne@example.org", "Vacature gepauzeerd"]
        no_violations(page)
        rows[0].get_by_role("link", name=TITLE).click()
        page.wait_for_url(f"{url}/portaal/vacatures/*")
        assert page.get_by_role("heading", name=TITLE).is_visible()
        assert errors == []


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_logbook_fits_a_390_pixel_wide_phone(portal, browser: Browser, database):
    url = portal
    with phone_page(browser) as page:
        log_in(page, url)
        page.goto(f"{url}/portaal/logboek")
        assert page.get_by_role("table", name="Logboek").is_visible()
        fits_a_phone(page)
        page.goto(f"{url}/portaal/logboek?van=gisteren")
        assert page.get_by_role("alert").is_visible()
        fits_a_phone(page)
