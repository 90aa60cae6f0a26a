"""The initiative's manage page in a real Chromium: it works without script, axe-core finds nothing, a phone fits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from doemee.attribution import centre_for_slug
from doemee.initiative_links import manage_token
from doemee.residents import Contact
from doemee.settings import Settings
from doemee.signups import sign_up
from tests.browser.portal import PHONE_WIDTH, fits_a_phone, no_violations, portal_gateway
from tests.domain.factories import make_opportunity

pytestmark = pytest.mark.browser

MAIL = Settings(secret_key="geheim" * 8)


@pytest.fixture
def manage_path(database, tmp_path) -> Iterator[tuple[str, str]]:
    """A gateway and the manage link of an initiative with a long-titled listing and one sign-up."""

    def initiative_with_a_sign_up(session) -> str:
        listing = make_opportunity(session, initiative="Stichting Voorleesexpress Utrecht", contact_email="vlx@example.org",
                                   title="Voorlezen-op-de-basisschool-in-Overvecht-elke-woensdagmiddag")
        listing.centre_id = centre_for_slug(session, "utrecht").id
        session.flush()
        sign_up(session, "telegram", "7", listing.id, "Fatima", Contact("email", "fatima@mail.nl"), "ok", settings=MAIL)
        return f"/initiatief/beheer/{manage_token(listing.initiative, MAIL)}"

    with portal_gateway(database, tmp_path, initiative_with_a_sign_up) as (url, path):
        yield url, path


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_an_initiative_marks_a_sign_up_and_edits_its_listing_on_accessible_pages(
    manage_path, browser: Browser, database,
):
    url, path = manage_path
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(url + path)
    assert page.locator("script").count() == 0  # plain forms: nothing here needs JavaScript
    assert page.get_by_text("fatima@mail.nl").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Contact opgenomen").click()
    page.wait_for_url(lambda address: "gedaan=contact#aanmelding-" in address)
    assert page.get_by_role("status").inner_text().startswith("Opgeslagen: je hebt contact opgenomen.")
    assert page.get_by_text("Status: Contact opgenomen.").is_visible()
    no_violations(page)

    page.get_by_role("link", name="Tekst en gegevens bewerken").click()
    page.get_by_label("Titel", exact=True).fill("")
    page.get_by_label("Postcode", exact=True).fill("12")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    assert page.get_by_label("Postcode", exact=True).get_attribute("aria-invalid") == "true"
    no_violations(page)
    page.get_by_label("Titel", exact=True).fill("Voorlezen op woensdag")
    page.get_by_label("Postcode", exact=True).fill("3511")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    page.wait_for_url(lambda address: "gedaan=opgeslagen-concept#vacature-" in address)
    assert page.get_by_role("heading", name="Voorlezen op woensdag").is_visible()
    assert "controleert ze eerst" in page.get_by_role("status").inner_text()  # not approved yet: a concept again
    no_violations(page)

    page.get_by_role("link", name="Nieuwe vacature maken").click()
    no_violations(page)
    page.goto(f"{url}/initiatief")
    no_violations(page)
    page.get_by_label("E-mailadres van je initiatief").fill("vlx@example.org")
    page.get_by_role("button", name="Stuur me een link").click()
    assert "Als dit adres bij ons bekend is" in page.get_by_role("status").inner_text()
    no_violations(page)
    page.goto(f"{url}/initiatief/beheer/kapot")
    no_violations(page)
    context.close()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_initiative_pages_fit_a_phone(manage_path, browser: Browser, database):
    url, path = manage_path
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    for address in (path, f"{path}/nieuw", "/initiatief", "/initiatief/beheer/kapot"):
        page.goto(url + address)
        fits_a_phone(page)
    context.close()
