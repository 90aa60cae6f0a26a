"""The README's pictures of the staff portal, made from the demo data in a real Chromium.

`.venv/bin/python -m scripts.screenshots` builds a throw-away SQLite database
with the demo listings, a chat concept, a question from a resident, twelve
weeks of searches and a colleague's day in the audit trail, invites one member of the first centre, logs in and saves
one PNG per page in docs/. Nothing here touches var/ or the real database.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import replace
from datetime import timedelta

from playwright.sync_api import sync_playwright

from bot.web.app import create_app
from bot.web.config import GatewayConfig
from doemee import audit, staff
from doemee.exchange.demo import load_demo
from doemee.geo.index import get_geo_index
from doemee.local_time import local
from doemee.settings import PROJECT_ROOT, Settings
from doemee.storage.database import Database
from doemee.storage.models import Centre, Opportunity, SearchLog, SignUp, Status, utcnow
from tests.web.conftest import serve

DOCS = PROJECT_ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "een lange zin als wachtwoord"
EMAIL = "medewerker@vrijwilligerscentrum.example.org"
PAGES = {
    "portal-today.png": "/portaal/vandaag",
    "portal-concepts.png": "/portaal/concepten",
    "portal-vacancies.png": "/portaal/vacatures",
    "portal-figures.png": "/portaal/cijfers",
    # Yesterday's rows: the colleague's working day, not this script's own logins.
    "portal-logbook.png": "/portaal/logboek?van={yesterday}&tot={yesterday}",
}
COLLEAGUE = "coordinator@vrijwilligerscentrum.example.org"
# Utrecht and its neighbours, with interests residents asked for.
SEARCHES = [("0344", "ouderen"), ("0344", "groen"), ("0344", "taal"), ("0344", "sport"),
            ("0307", "ouderen"), ("0310", "jeugd"), ("0353", "groen"), ("0356", "dieren")]


def _fill(database: Database, settings: Settings) -> None:
    rng = random.Random(2026)
    with database.session() as session:
        load_demo(session, get_geo_index())
        centre = session.query(Centre).order_by(Centre.position).first()
        concept = session.query(Opportunity).filter(Opportunity.centre_id == centre.id).first()
        concept.status = Status.CONCEPT.value
        open_ids = [o.id for o in session.query(Opportunity).filter(Opportunity.status == Status.OPEN.value)]
        now = utcnow()
        for day in range(84):
            for _ in range(rng.randint(2, 9)):
                code, interest = rng.choice(SEARCHES)
                found = rng.random() > (0.7 if interest in ("dieren", "jeugd") else 0.25)
                session.add(SearchLog(interests=interest, municipality_code=code, centre_id=centre.id,
                                      result_count=3 if found else 0, within_radius_count=2 if found else 0,
                                      created_at=now - timedelta(days=day, hours=rng.randint(0, 12))))
                if found and rng.random() < 0.3:
                    session.add(SignUp(opportunity_id=rng.choice(open_ids), centre_id=centre.id, first_name="Demo",
                                       consent_text="demo", created_at=now - timedelta(days=day)))
        invitation = staff.invite(session, EMAIL, centre.slug, False, settings)
        staff.accept_invitation(session, invitation.link.rsplit("/", 1)[1], PASSWORD)
        _yesterday(session, centre, open_ids, settings)


def _yesterday(session, centre: Centre, open_ids: list[int], settings: Settings) -> None:
    """A colleague's day in the audit trail, so Logboek shows what a working centre sees."""
    invitation = staff.invite(session, COLLEAGUE, centre.slug, False, settings)
    colleague = staff.accept_invitation(session, invitation.link.rsplit("/", 1)[1], PASSWORD)
    listing = session.get(Opportunity, open_ids[0])
    start = utcnow().replace(hour=8, minute=2, second=0, microsecond=0) - timedelta(days=1)
    steps = [(audit.LOGIN, None, 0), (audit.CONCEPT_APPROVED, listing.id, 14), ("vacancy.edited", listing.id, 21),
             ("vacancy.paused", open_ids[1], 47), (audit.QUESTION_HANDLED, None, 63), (audit.LOGOUT, None, 95)]
    for action, listing_id, minutes in steps:
        audit.record(session, action, staff_id=colleague, centre_id=centre.id,
                     object_type="opportunity" if listing_id else None, object_id=listing_id,
                     at=start + timedelta(minutes=minutes))
    audit.record(session, "signup.contacted", actor=f"initiative:{listing.initiative_id}", centre_id=centre.id,
                 at=start + timedelta(hours=3))


def main() -> None:
    yesterday = (local(utcnow()) - timedelta(days=1)).date().isoformat()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(secret_key="schermafdrukken" * 4)
        database = Database(f"sqlite:///{folder}/doemee.db")
        database.migrate()
        _fill(database, settings)
        config = replace(GatewayConfig(rasa_url="http://127.0.0.1:9"), database_url=database.url, mail=settings,
                         email_alert_interval_seconds=0)
        with serve(create_app(config)) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1100, "height": 760}, locale="nl-NL")
            page.goto(f"{url}/portaal")
            page.get_by_label("E-mailadres").fill(EMAIL)
            page.get_by_label("Wachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.wait_for_url(f"{url}/portaal/vandaag")
            for name, path in PAGES.items():
                page.goto(f"{url}{path.format(yesterday=yesterday)}")
                page.screenshot(path=str(DOCS / name), full_page=False)
                print(f"docs/{name}")
            browser.close()


if __name__ == "__main__":
    main()
