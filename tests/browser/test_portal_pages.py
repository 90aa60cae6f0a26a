"""Vacatures, CSV and Cijfers in a real Chromium: the work done by hand, axe-core finds nothing, a phone fits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest
from playwright.sync_api import Browser, Page

from doemee.attribution import centre_for_slug
from doemee.storage.models import Opportunity, SearchLog
from tests.domain.factories import make_opportunity
from tests.browser.portal import desktop_page, fits_a_phone, log_in, no_violations, phone_page, portal_gateway

pytestmark = pytest.mark.browser

HEADER = ("external_id,initiative_name,initiative_website,title,description,category,postcode,place,"
          "time_commitment,day_parts,remote,contact_email,valid_until")
GOOD_ROW = ("u1,Buurttuin Lombok,https://buurttuin.example.org,Tuinier gezocht,Help mee met wieden en oogsten in de tuin."
            ",groen,3531 HE,Utrecht,wekelijks,ochtend,nee,tuin@example.org,2099-12-31")
BAD_ROW = "u2,Buurttuin Lombok,,=HYPERLINK(\"x\"),Help mee met wieden en oogsten.,groen,12,,wekelijks,,nee,tuin@example.org,"


@pytest.fixture
def portal(database, tmp_path) -> Iterator[str]:
    """A gateway with one member of Utrecht, a listing with a long unbroken title and a few searches."""

    def listing_and_searches(session) -> None:
        utrecht = centre_for_slug(session, "utrecht").id
        listing = make_opportunity(session, initiative="Stichting Voorleesexpress Utrecht",
                                   title="Voorlezen-op-de-basisschool-in-Overvecht-elke-woensdagmiddag")
        listing.centre_id = utrecht
        now = datetime.now(timezone.utc)
        for days, code, within in ((0, "0344", 0), (1, "0344", 3), (8, "0355", 0), (15, "0321", 2)):
            session.add(SearchLog(interests="groen", municipality_code=code, result_count=3, within_radius_count=within,
                                  centre_id=utrecht, created_at=now - timedelta(days=days)))

    with portal_gateway(database, tmp_path, listing_and_searches) as (url, _):
        yield url


def _upload_with_an_error(page: Page, url: str) -> None:
    page.goto(f"{url}/portaal/csv")
    page.get_by_label("CSV-bestand").set_input_files(
        {"name": "vacatures.csv", "mimeType": "text/csv", "buffer": f"{HEADER}\n{GOOD_ROW}\n{BAD_ROW}\n".encode()})
    page.get_by_role("button", name="Bestand inlezen").click()
    page.wait_for_url(f"{url}/portaal/csv/inlezen")


def _new_with_errors(page: Page, url: str) -> None:
    page.goto(f"{url}/portaal/vacatures/nieuw")
    page.get_by_label("Titel", exact=True).fill("Kort")
    page.get_by_label("Postcode", exact=True).fill("12")
    page.get_by_role("button", name="Vacature opslaan").click()
    page.wait_for_url(f"{url}/portaal/vacatures/nieuw")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_member_creates_a_vacancy_uploads_a_csv_and_reads_the_figures_on_accessible_pages(
    portal, browser: Browser, database,
):
    url = portal
    with desktop_page(browser) as (page, errors):
        log_in(page, url)

        page.get_by_role("link", name="Vacatures").click()
        page.wait_for_url(f"{url}/portaal/vacatures")
        no_violations(page)
        page.get_by_role("link", name="Nieuwe vacature").click()
        page.wait_for_url(f"{url}/portaal/vacatures/nieuw")
        page.get_by_label("Titel", exact=True).fill("Voorlezen op zaterdag")
        page.get_by_label("Postcode", exact=True).fill("12")
        page.get_by_role("button", name="Vacature opslaan").click()
        page.wait_for_url(f"{url}/portaal/vacatures/nieuw")
        assert page.get_by_label("Postcode", exact=True).get_attribute("aria-invalid") == "true"
        assert page.get_by_label("Titel", exact=True).input_value() == "Voorlezen op zaterdag"
        no_violations(page)

        page.get_by_label("Initiatief", exact=True).fill("Bibliotheek Oost")
        page.get_by_label("Beschrijving", exact=True).fill("Lees een uur voor aan kinderen in de bibliotheek.")
        page.get_by_label("Onderwerp", exact=True).select_option("jeugd")
        page.get_by_label("Postcode", exact=True).fill("3511 AB")
        page.get_by_label("Hoe vaak", exact=True).select_option("wekelijks")
        page.get_by_label("Weekend", exact=True).check()
        page.get_by_label("E-mailadres voor aanmeldingen", exact=True).fill("oost@example.org")
        page.get_by_label("Laatste dag (mag leeg)", exact=True).fill((date.today() + timedelta(days=30)).isoformat())
        page.get_by_role("button", name="Vacature opslaan").click()
        page.wait_for_url(f"{url}/portaal/vacatures/*?gedaan=aangemaakt")
        assert page.get_by_role("heading", name="Voorlezen op zaterdag").is_visible()
        no_violations(page)
        page.get_by_role("button", name="Pauzeren").click()
        page.wait_for_url(f"{url}/portaal/vacatures/*?gedaan=gepauzeerd")
        with database.session() as session:
            assert [o.status for o in session.query(Opportunity).filter_by(title="Voorlezen op zaterdag")] == ["paused"]

        page.get_by_role("link", name="CSV").click()
        page.wait_for_url(f"{url}/portaal/csv")
        no_violations(page)
        _upload_with_an_error(page, url)
        table = page.get_by_role("table", name="Wat er niet klopt in het bestand")
        assert table.is_visible()
        cells = [row.get_by_role("cell").all_inner_texts() for row in table.get_by_role("row").all()[1:]]
        assert cells and all(line == "3" for line, _, _ in cells)
        assert {column for _, column, _ in cells} == {"title", "postcode"}
        no_violations(page)

        page.get_by_role("link", name="Cijfers").click()
        page.wait_for_url(f"{url}/portaal/cijfers")
        assert page.get_by_role("img", name="Zoekvragen, zonder plek in de buurt en aanmeldingen per week").is_visible()
        assert page.get_by_role("img", name="Kaart van de regio: zoekvragen per gemeente").is_visible()
        no_violations(page)
        assert errors == []


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_vacatures_csv_and_cijfers_fit_a_390_pixel_wide_phone(portal, browser: Browser, database):
    url = portal
    with phone_page(browser) as page:
        log_in(page, url)
        for path in ("/portaal/vacatures", "/portaal/vacatures/nieuw", "/portaal/csv", "/portaal/cijfers"):
            page.goto(f"{url}{path}")
            fits_a_phone(page)
        page.goto(f"{url}/portaal/vacatures")
        page.get_by_role("link", name="Voorlezen-op-de-basisschool-in-Overvecht-elke-woensdagmiddag").click()
        page.wait_for_url(f"{url}/portaal/vacatures/*")
        fits_a_phone(page)
        page.get_by_role("link", name="Vacature bewerken").click()
        fits_a_phone(page)
        _new_with_errors(page, url)
        fits_a_phone(page)
        _upload_with_an_error(page, url)
        fits_a_phone(page)
