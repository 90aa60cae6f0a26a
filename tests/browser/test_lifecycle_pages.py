"""The one-click pages and Vandaag's follow-up list in a real Chromium: the button works, axe-core finds nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from doemee import followup, lifecycle
from doemee.attribution import centre_for_slug
from doemee.residents import Contact
from doemee.settings import Settings
from doemee.signups import sign_up
from doemee.storage.models import FollowUpAnswer, Opportunity, utcnow
from tests.domain.factories import make_opportunity
from tests.browser.portal import PHONE_WIDTH, fits_a_phone, log_in, no_violations, portal_gateway
from tests.support.outbox import bodies

pytestmark = pytest.mark.browser

# The gateway's pages read the real clock: the listing was published 84 days ago.
NOW = utcnow()
PUBLISHED = NOW - timedelta(days=84)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_renewing_from_the_mail_and_the_unanswered_sign_up_on_vandaag_are_accessible(
    browser: Browser, database, tmp_path,
):
    def fill(session) -> tuple[int, int]:
        listing = make_opportunity(session, title="Taalmaatje", initiative="Taalhuis Oost", category="taal",
                                   created_at=PUBLISHED, published_at=PUBLISHED, contact_email="taal@example.org")
        listing.centre_id = centre_for_slug(session, "utrecht").id
        session.flush()
        made = sign_up(session, "telegram", "telegram:5", listing.id, "Sanne", Contact("email", "s@mail.nl"), "ok",
                       now=NOW - timedelta(days=11))
        return listing.id, made.sign_up_id

    with portal_gateway(database, tmp_path, fill) as (url, (listing_id, sign_up_id)):
        mail = Settings(outbox_dir=tmp_path / "outbox", secret_key="geheim" * 8)
        lifecycle.run_once(database, mail, NOW)
        followup.run_once(database, mail, NOW)
        with database.session() as session:
            followup.answer(session, sign_up_id, FollowUpAnswer.NO, NOW, mail)
        [body] = bodies(database, lifecycle.MAIL_KIND)
        link = urlsplit(re.search(rf"\S+{lifecycle.RENEW_PATH}\?\S+", body).group(0))

        context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800}, locale="nl-NL")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{url}{link.path}?{link.query}")
        no_violations(page)
        fits_a_phone(page)
        page.get_by_role("button", name="Ja, verleng mijn vacature").click()
        page.get_by_text("Gelukt!").wait_for()
        no_violations(page)
        with database.session() as session:
            assert session.get(Opportunity, listing_id).valid_until == NOW.date() + timedelta(days=90)

        page.goto(f"{url}{lifecycle.CLOSE_PATH}?token=vervalst")
        page.get_by_text("Deze link werkt niet").wait_for()
        no_violations(page)

        log_in(page, url)
        section = page.get_by_role("region", name="Aanmeldingen zonder antwoord")
        assert "Taalmaatje bij Taalhuis Oost" in section.inner_text()
        no_violations(page)
        fits_a_phone(page)
        section.get_by_role("button", name="Afgehandeld: Taalmaatje bij Taalhuis Oost").click()
        page.get_by_role("status").wait_for()
        assert "Taalmaatje bij Taalhuis Oost" not in page.get_by_role("region", name="Aanmeldingen zonder antwoord").inner_text()
        no_violations(page)
        context.close()
