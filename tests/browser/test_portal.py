"""The staff portal in a real Chromium: log in, approve a concept, axe-core finds nothing, a phone fits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from doemee.storage.models import Opportunity
from tests.domain.factories import make_opportunity
from tests.browser.portal import desktop_page, fits_a_phone, log_in, no_violations, phone_page, portal_gateway

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(database, tmp_path) -> Iterator[tuple[str, int]]:
    """A gateway with one member of Utrecht and one concept with a long, unbroken title."""

    def concept(session) -> int:
        return make_opportunity(session, status="concept", initiative="Stichting Voorleesexpress Utrecht",
                                title="Voorlezen-op-de-basisschool-in-Overvecht-elke-woensdagmiddag").id

    with portal_gateway(database, tmp_path, concept) as (url, concept_id):
        yield url, concept_id


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_member_logs_in_and_approves_a_concept_on_accessible_pages(portal, browser: Browser, database):
    url, concept = portal
    with desktop_page(browser) as (page, errors):

        page.goto(f"{url}/portaal")
        no_violations(page)
        log_in(page, url)
        assert page.get_by_role("heading", name="Vandaag").is_visible()
        no_violations(page)

        page.get_by_role("link", name="Bekijk de concepten").click()
        page.wait_for_url(f"{url}/portaal/concepten")
        no_violations(page)
        page.get_by_role("link", name="Voorlezen-op-de-basisschool-in-Overvecht-elke-woensdagmiddag").click()
        page.wait_for_url(f"{url}/portaal/concepten/{concept}")
        no_violations(page)

        for checkbox in page.get_by_role("checkbox").all():
            checkbox.check()
        page.get_by_role("button", name="Goedkeuren").click()
        page.wait_for_url(f"{url}/portaal/concepten?gedaan=goedgekeurd")
        assert page.get_by_text("De oproep is goedgekeurd.").is_visible()
        with database.session() as session:
            assert session.get(Opportunity, concept).status == "open"
        assert errors == []


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_no_portal_page_overflows_a_390_pixel_wide_phone(portal, browser: Browser, database):
    url, concept = portal
    with phone_page(browser) as page:
        page.goto(f"{url}/portaal")
        fits_a_phone(page)
        log_in(page, url)
        for path in ("/portaal/vandaag", "/portaal/concepten", f"/portaal/concepten/{concept}", "/portaal/wachtwoord-vergeten"):
            page.goto(f"{url}{path}")
            fits_a_phone(page)
