"""Hulpvragen in a real Chromium: axe-core finds nothing, a long address fits a phone, the button works."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from doemee import handoff
from doemee.attribution import centre_for_slug
from doemee.storage.models import HandoffRequest, HandoffStatus
from tests.browser.portal import PHONE_WIDTH, fits_a_phone, log_in, no_violations
from tests.browser.test_portal import portal  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_member_handles_a_question_on_an_accessible_page_thatfits_a_phone(portal, browser: Browser, database):  # noqa: F811
    url, _ = portal
    with database.session() as session:
        asked = handoff.leave_question(
            session, centre_for_slug(session, "utrecht"),
            "Mag-ik-met-mijn-hond-komen-helpen-in-de-buurttuin-of-is-dat-lastig?", "heel.lang.adres.zonder.spaties"
            "@een-heel-lang-domein-van-een-provider.example.org", "Anna",
        ).request_id
    for width in (PHONE_WIDTH, 1280):
        context = browser.new_context(viewport={"width": width, "height": 844}, locale="nl-NL", device_scale_factor=1)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, url)
        page.get_by_role("link", name="Bekijk de hulpvragen").click()
        page.wait_for_url(f"{url}/portaal/hulpvragen")
        if width == PHONE_WIDTH:
            fits_a_phone(page)
        else:
            no_violations(page)
            page.get_by_role("button", name="Afgehandeld").click()
            page.wait_for_url(f"{url}/portaal/hulpvragen?gedaan=afgehandeld")
            no_violations(page)
        context.close()
    with database.session() as session:
        assert session.get(HandoffRequest, asked).status is HandoffStatus.HANDLED
