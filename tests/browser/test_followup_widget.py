"""The widget asks "heeft <initiatief> contact met je opgenomen?" at the next visit, in a real Chromium.

No change to the widget was needed: the question comes with the news the
widget fetches when it opens, and its buttons go through /api/chat like
any button. Rasa is not running, so the answer can only come from the
gateway's own follow-up handling.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from playwright.sync_api import Browser

from bot.web.app import create_app
from bot.web.config import GatewayConfig
from doemee import followup, messages
from doemee.attribution import centre_for_slug
from doemee.residents import Contact
from doemee.settings import Settings
from doemee.signups import sign_up
from doemee.storage.models import FollowUpAnswer, SignUp, utcnow
from tests.browser.conftest import serve
from tests.browser.widget import choose, last_bot_text, launcher, log, open_demo
from tests.domain.factories import UTRECHT_EAST, make_opportunity
from tests.web.conftest import free_port

pytestmark = pytest.mark.browser

SENDER = "web-" + "c0ffee" * 5 + "00"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_widget_asks_at_the_next_visit_and_a_no_gets_the_contact_and_alternatives(
    browser: Browser, database, tmp_path,
):
    now = utcnow()
    with database.session() as session:
        utrecht = centre_for_slug(session, "utrecht")
        listing = make_opportunity(session, title="Taalmaatje", initiative="Taalhuis Oost", category="taal",
                                   contact_email="taal@example.org")
        for n in range(2):
            make_opportunity(session, title=f"Taalcafé {n}", category="taal", lat=UTRECHT_EAST[0], lon=UTRECHT_EAST[1])
        sign_up_id = sign_up(session, "web", SENDER, listing.id, "Sanne", Contact("phone", "0612345678"), "ok",
                             now=now - timedelta(days=11), centre=utrecht).sign_up_id
    mail = Settings(outbox_dir=tmp_path / "outbox", secret_key="geheim" * 8)
    assert followup.run_once(database, mail, now).asked == 1

    config = replace(GatewayConfig(rasa_url=f"http://127.0.0.1:{free_port()}"), database_url=database.url,
                     mail=mail, email_alert_interval_seconds=0)
    with serve(create_app(config)) as url:
        context = browser.new_context(viewport={"width": 1100, "height": 760}, locale="nl-NL")
        context.add_init_script(f"window.localStorage.setItem('doemee:sender', '{SENDER}');")
        page = context.new_page()
        page.set_default_timeout(20_000)
        open_demo(page, url)
        launcher(page).click()
        question = log(page).locator(".dm-bot .dm-bubble", has_text="Heeft Taalhuis Oost contact met je opgenomen?")
        question.wait_for()
        choose(page, messages.FOLLOWUP_NO)
        reply = last_bot_text(page)
        assert reply.startswith("Wat jammer") and "taal@example.org" in reply
        assert log(page).get_by_role("button", name="Aanmelden: Taalcafé 0").count() == 1
        context.close()
    with database.session() as session:
        assert session.get(SignUp, sign_up_id).resident_answer is FollowUpAnswer.NO
