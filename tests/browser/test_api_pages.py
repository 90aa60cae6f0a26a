"""The portal's API page and the API's docs page in a real Chromium: the work done by hand, axe finds nothing, a phone fits."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser

from tests.browser.portal import desktop_page, fits_a_phone, log_in, no_violations, phone_page, portal_gateway
from tests.domain.factories import make_opportunity

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(database, tmp_path) -> Iterator[str]:
    with portal_gateway(database, tmp_path, lambda session: make_opportunity(session, title="Taalmaatje")) as (url, _):
        yield url


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_member_makes_a_key_copies_it_once_and_revokes_it_on_accessible_pages(portal, browser: Browser, database):
    url = portal
    with desktop_page(browser) as (page, errors):
        log_in(page, url)

        page.get_by_role("link", name="API", exact=True).click()
        page.wait_for_url(f"{url}/portaal/api")
        no_violations(page)
        page.get_by_role("button", name="Sleutel maken").click()
        assert page.get_by_label("Naam van de sleutel").get_attribute("aria-invalid") == "true"
        no_violations(page)
        page.get_by_label("Naam van de sleutel").fill("Vrijwilligersplatform Utrecht")
        page.get_by_role("button", name="Sleutel maken").click()
        secret = page.get_by_label("De sleutel", exact=True).input_value()
        assert secret.startswith("dm_")
        no_violations(page)

        with httpx.Client(base_url=url, trust_env=False) as http:
            assert http.get("/api/v1/hsds", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
        page.goto(f"{url}/portaal/api")
        assert secret not in page.content() and secret[:11] in page.content()
        page.get_by_role("button", name="Sleutel Vrijwilligersplatform Utrecht intrekken").click()
        page.wait_for_url(f"{url}/portaal/api?gedaan=ingetrokken")
        assert page.get_by_text("(ingetrokken)").is_visible()
        no_violations(page)
        with httpx.Client(base_url=url, trust_env=False) as http:
            assert http.get("/api/v1/hsds", headers={"Authorization": f"Bearer {secret}"}).status_code == 401

        page.get_by_role("link", name="de uitleg van de API").click()
        page.wait_for_url(f"{url}/api/v1/docs")
        assert page.get_by_role("heading", name="DoeMee partner-API").is_visible()
        no_violations(page)
        assert errors == []


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_docs_page_works_offline_and_fits_a_phone(portal, browser: Browser, database):
    url = portal
    with phone_page(browser) as page:
        outside: list[str] = []
        page.route("**/*", lambda route: (outside.append(route.request.url), route.abort()) if not route.request.url.startswith(url)
                   else route.continue_())
        page.goto(f"{url}/api/v1/docs")
        assert page.get_by_role("heading", name="GET /api/v1/opportunities", exact=True).is_visible()
        assert page.get_by_role("table", name="Parameters van GET /api/v1/opportunities", exact=True).is_visible()
        assert outside == []
        no_violations(page)
        fits_a_phone(page)
        log_in(page, url)
        page.goto(f"{url}/portaal/api")
        fits_a_phone(page)
