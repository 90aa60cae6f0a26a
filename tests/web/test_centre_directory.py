"""While the gateway runs, the centres come from the database: synced changes show without a restart."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from bot.web.centres import CentreDirectory, load_centres
from bot.web.config import DEFAULT_CENTRES_FILE
from doemee import messages
from doemee.storage.database import Database
from doemee.storage.models import Centre
from tests.web.conftest import SENDER

UTRECHT_SITE = "https://www.vrijwilligerswerk-utrecht.example"


def _change_utrecht(database, **values) -> None:
    with database.session() as session:
        centre = session.scalar(select(Centre).where(Centre.slug == "utrecht"))
        for name, value in values.items():
            setattr(centre, name, value)


def test_a_centre_changed_in_the_database_is_served_without_a_restart(make_gateway, database):
    url = make_gateway(database_url=database.url, centres_refresh_seconds=0)
    before = httpx.get(f"{url}/api/centres/utrecht").json()
    _change_utrecht(database, name="Vrijwilligerspunt Utrecht", greeting="Welkom bij het punt!")
    after = httpx.get(f"{url}/api/centres/utrecht").json()
    assert before["name"] != "Vrijwilligerspunt Utrecht"
    assert (after["name"], after["greeting"]) == ("Vrijwilligerspunt Utrecht", "Welkom bij het punt!")


def test_a_centres_own_website_may_chat_for_that_centre_only(make_gateway, database):
    _change_utrecht(database, origins=[UTRECHT_SITE])
    url = make_gateway(database_url=database.url, centres_refresh_seconds=0)
    headers = {"Origin": UTRECHT_SITE}
    own = httpx.post(f"{url}/api/chat", json={"sender": SENDER, "message": "hoi", "centre": "utrecht"}, headers=headers)
    other = httpx.post(f"{url}/api/chat", json={"sender": SENDER, "message": "hoi", "centre": "amsterdam"},
                       headers=headers)
    stranger = httpx.post(f"{url}/api/chat", json={"sender": SENDER, "message": "hoi", "centre": "utrecht"},
                          headers={"Origin": "https://elders.example"})
    # No Rasa runs here: the centre's own site gets as far as the apology, the others not past the door.
    assert own.status_code == 503 and own.headers["access-control-allow-origin"] == UTRECHT_SITE
    assert (other.status_code, other.json()["error"]) == (403, messages.WEB_ORIGIN_REFUSED)
    assert stranger.status_code == 403
    preflight = httpx.options(f"{url}/api/chat", headers={**headers, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204


def test_without_a_database_the_file_serves_and_no_sqlite_file_is_made(tmp_path):
    missing = tmp_path / "nog-niet.db"
    directory = CentreDirectory(load_centres(DEFAULT_CENTRES_FILE), lambda: Database(f"sqlite:///{missing}"),
                                f"sqlite:///{missing}", refresh_seconds=0)
    centres = asyncio.run(directory.all())
    assert "utrecht" in centres and not missing.exists()


def test_when_the_database_fails_the_last_centres_read_keep_serving(database):
    calls = []

    def flaky() -> Database:
        calls.append(1)
        return database if len(calls) == 1 else Database("postgresql+psycopg://nobody@127.0.0.1:1/none")

    _change_utrecht(database, name="Uit de database")
    directory = CentreDirectory({}, flaky, database.url, refresh_seconds=0)
    first = asyncio.run(directory.all())
    second = asyncio.run(directory.all())
    assert first["utrecht"].name == second["utrecht"].name == "Uit de database" and len(calls) == 2
