"""Team and Privacy in a real Chromium: the work done by hand, axe-core finds nothing, a phone fits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select

from doemee import handoff
from doemee.attribution import centre_for_slug
from doemee.residents import Contact, get_or_create
from doemee.signups import sign_up
from doemee.storage.models import Resident, StaffMember, StaffRole
from tests.browser.portal import EMAIL, desktop_page, fits_a_phone, log_in, no_violations, phone_page, portal_gateway
from tests.domain.factories import make_opportunity

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(database, tmp_path) -> Iterator[str]:
    """A gateway whose member of Utrecht is an admin, with a resident who signed up and asked a question."""

    def admin_and_resident(session) -> None:
        session.scalar(select(StaffMember).where(StaffMember.email == EMAIL)).role = StaffRole.ADMIN
        utrecht = centre_for_slug(session, "utrecht")
        opportunity = make_opportunity(session)
        anna = Contact("email", "anna@example.org")
        sign_up(session, "web", "web-anna", opportunity.id, "Anna", anna, "ok", centre=utrecht)
        handoff.leave_question(session, utrecht, "Wie belt mij?", anna, resident=get_or_create(session, "web", "web-anna"))

    with portal_gateway(database, tmp_path, admin_and_resident) as (url, _):
        yield url


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_an_admin_invites_switches_off_and_forgets_a_resident_on_accessible_pages(portal, browser: Browser, database):
    url = portal
    with desktop_page(browser) as (page, errors):
        log_in(page, url)

        page.get_by_role("link", name="Team").click()
        page.wait_for_url(f"{url}/portaal/team")
        no_violations(page)
        page.get_by_label("E-mailadres", exact=True).fill("nieuw@example.org")
        page.get_by_role("button", name="Uitnodiging sturen").click()
        page.wait_for_url(f"{url}/portaal/team/uitnodigen")
        assert page.get_by_role("alert").is_visible()  # no centre chosen yet
        no_violations(page)
        page.get_by_label("Centrum", exact=True).select_option(index=1)
        page.get_by_role("button", name="Uitnodiging sturen").click()
        assert page.get_by_text("De uitnodiging gaat per e-mail.").is_visible()
        assert page.get_by_role("row", name="nieuw@example.org").get_by_text("Uitgenodigd").is_visible()
        no_violations(page)
        page.get_by_role("button", name="nieuw@example.org uitzetten").click()
        page.wait_for_url(f"{url}/portaal/team?gedaan=uitgezet")
        assert page.get_by_role("row", name="nieuw@example.org").get_by_text("Uitgezet").is_visible()
        no_violations(page)
        with database.session() as session:
            assert not session.scalar(select(StaffMember).where(StaffMember.email == "nieuw@example.org")).active

        page.get_by_role("link", name="Privacy").click()
        page.wait_for_url(f"{url}/portaal/privacy")
        no_violations(page)
        page.get_by_label("E-mailadres of telefoonnummer").fill("geen adres")
        page.get_by_role("button", name="Zoeken").click()
        assert page.get_by_role("alert").is_visible()
        assert page.get_by_label("E-mailadres of telefoonnummer").get_attribute("aria-invalid") == "true"
        no_violations(page)
        page.get_by_label("E-mailadres of telefoonnummer").fill("Anna@Example.org")
        page.get_by_role("button", name="Zoeken").click()
        assert page.get_by_text("1 hulpvraag").is_visible()
        no_violations(page)
        page.get_by_role("button", name="Alles wissen").click()
        page.wait_for_url(f"{url}/portaal/privacy/vergeten")
        assert page.get_by_text("Alles over deze inwoner is gewist.").is_visible()
        no_violations(page)
        with database.session() as session:
            assert session.scalar(select(Resident)) is None
        assert errors == []


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_team_and_privacy_fit_a_390_pixel_wide_phone(portal, browser: Browser, database):
    url = portal
    with phone_page(browser) as page:
        log_in(page, url)
        for path in ("/portaal/team", "/portaal/privacy"):
            page.goto(f"{url}{path}")
            fits_a_phone(page)
        page.get_by_label("E-mailadres of telefoonnummer").fill("anna@example.org")
        page.get_by_role("button", name="Zoeken").click()
        fits_a_phone(page)
