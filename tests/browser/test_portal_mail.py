"""Post in a real Chromium: from Vandaag to a failed mail and back in the queue; axe-core finds nothing, a phone fits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from doemee import outbox
from doemee.attribution import centre_for_slug
from doemee.storage.models import MailStatus, OutboxMail
from tests.browser.portal import desktop_page, fits_a_phone, log_in, no_violations, phone_page, portal_gateway
from tests.support.outbox import plain_mail

pytestmark = pytest.mark.browser

SUBJECT = "Je-oproep-Voorlezen-op-de-basisschool-in-Overvecht-staat-in-DoeMee"
ADDRESS = "heel.lang.adres.zonder.spaties@een-heel-lang-domein-van-een-provider.example.org"


@pytest.fixture
def portal(database, tmp_path) -> Iterator[tuple[str, int]]:
    """A gateway with one member of Utrecht and one mail of Utrecht that failed for good."""

    def failed_mail(session) -> int:
        body = "Hallo,\n\n<b>Je oproep</b> staat in DoeMee: " + "https://doemee.example.org/" + "x" * 120
        row = outbox.queue(session, plain_mail(ADDRESS, SUBJECT, body), kind="moderation",
                           centre_id=centre_for_slug(session, "utrecht").id)
        row.status, row.attempts, row.last_error = MailStatus.FAILED, 6, "SMTPConnectError"
        session.flush()
        return row.id

    with portal_gateway(database, tmp_path, failed_mail) as (url, mail_id):
        yield url, mail_id


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_member_finds_a_failed_mail_reads_it_and_sends_it_again_on_accessible_pages(portal, browser: Browser, database):
    url, mail_id = portal
    with desktop_page(browser) as (page, errors):
        log_in(page, url)

        page.get_by_role("link", name="Bekijk de mislukte e-mails").click()
        page.wait_for_url(f"{url}/portaal/post?mislukt=ja")
        assert page.get_by_role("table", name="Mislukte e-mails").is_visible()
        no_violations(page)
        page.get_by_role("link", name=SUBJECT).click()
        page.wait_for_url(f"{url}/portaal/post/{mail_id}")
        assert "<b>Je oproep</b>" in page.locator("pre").inner_text()
        no_violations(page)
        page.get_by_role("button", name="Opnieuw versturen").click()
        page.wait_for_url(f"{url}/portaal/post?gedaan=opnieuw")
        assert page.get_by_role("status").is_visible()
        no_violations(page)
        page.get_by_role("link", name="Post", exact=True).click()
        no_violations(page)
        assert errors == []
    with database.session() as session:
        assert session.get(OutboxMail, mail_id).status in (MailStatus.QUEUED, MailStatus.SENDING, MailStatus.KEPT)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_post_fits_a_390_pixel_wide_phone(portal, browser: Browser, database):
    url, mail_id = portal
    with phone_page(browser) as page:
        log_in(page, url)
        for path in ("/portaal/post", "/portaal/post?mislukt=ja", f"/portaal/post/{mail_id}"):
            page.goto(f"{url}{path}")
            fits_a_phone(page)
