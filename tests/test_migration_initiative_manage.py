"""Migration 0013 on a database with initiatives, listings and sign-ups from before it."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import MetaData, Table, insert, select

from doemee.storage.database import Database
from doemee.storage.migrate import upgrade
from doemee.storage.models import Initiative, SignUp, SignUpStatus

CREATED = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)


def test_0013_approves_initiatives_residents_could_see_and_gives_each_its_own_nonce(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(database.engine, "0012")
    listing = dict(source="csv", title="Tuinier gezocht", description="Help mee.", category="groen",
                   postcode="3511 AB", pc4="3511", place="Utrecht", lat=52.09, lon=5.11, lat_band=1041,
                   time_commitment="wekelijks", day_parts="", remote=False, contact_email="tuin@example.org",
                   is_demo=False, created_at=CREATED, updated_at=CREATED)
    with database.engine.begin() as connection:
        tables = {name: Table(name, MetaData(), autoload_with=connection)
                  for name in ("initiative", "opportunity", "resident", "sign_up", "centre")}
        centre = connection.scalar(select(tables["centre"].c.id).limit(1))
        connection.execute(insert(tables["initiative"]), [
            {"id": n, "name": name, "is_demo": False, "created_at": CREATED}
            for n, name in ((1, "Open tuin"), (2, "Alleen een concept"), (3, "Gepauzeerd"))])
        connection.execute(insert(tables["opportunity"]), [
            {**listing, "id": 1, "external_id": "a", "initiative_id": 1, "status": "open", "published_at": CREATED,
             "centre_id": centre},
            {**listing, "id": 2, "external_id": "b", "initiative_id": 2, "status": "concept", "published_at": None,
             "centre_id": centre},
            {**listing, "id": 3, "external_id": "c", "initiative_id": 3, "status": "paused", "published_at": None,
             "centre_id": centre},
        ])
        connection.execute(insert(tables["resident"]).values(id=1, channel="telegram", sender_id="7",
                                                            created_at=CREATED))
        connection.execute(insert(tables["sign_up"]).values(id=1, resident_id=1, opportunity_id=1, consent_text="ok",
                                                           consented_at=CREATED, created_at=CREATED))
    database.migrate()
    with database.session() as session:
        initiatives = {i.name: i for i in session.scalars(select(Initiative))}
        approved = {name for name, i in initiatives.items() if i.approved_at is not None}
        nonces = {i.manage_nonce for i in initiatives.values()}
        status = session.scalar(select(SignUp.status))
    database.dispose()
    assert approved == {"Open tuin", "Gepauzeerd"}
    assert len(nonces) == 3 and all(len(nonce) == 32 for nonce in nonces)
    assert status is SignUpStatus.NEW
