"""The portal's API page over real HTTP, on SQLite and PostgreSQL: make a key, see it once, use it, revoke it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from doemee import api_keys, audit
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.storage.models import ApiKey, AuditEvent
from tests.web.test_api import LISTING
from tests.web.test_portal import browsers, gateway, mail_settings, member  # noqa: F401  (fixtures)

KEY = re.compile(r'value="(dm_[A-Za-z0-9_-]+)"')


def test_a_member_makes_a_key_sees_it_once_uses_it_and_revokes_it(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings)
    me = browsers()
    me.login("sanne@example.org")
    made = me.post("/portaal/api", {"name": "  Partner   platform "})
    assert made.status_code == 201 and text.API_KEY_CREATED in made.text
    secret = KEY.search(made.text).group(1)
    listed = me.http.get("/portaal/api").text
    assert secret not in listed and secret[:11] in listed and "Partner platform" in listed

    written = me.http.put("/api/v1/centre/opportunities/k1", json=LISTING, headers={"Authorization": f"Bearer {secret}"})
    assert written.status_code == 201
    with database.session() as session:
        key = session.scalars(select(ApiKey)).one()
        assert key.centre_id == centre_for_slug(session, "utrecht").id and key.created_by is not None

    revoked = me.post(f"/portaal/api/{key.id}/intrekken", {}, csrf_from="/portaal/api")
    assert revoked.status_code == 303 and revoked.headers["location"] == "/portaal/api?gedaan=ingetrokken"
    assert text.API_KEY_REVOKED in me.http.get(revoked.headers["location"]).text
    refused = me.http.put("/api/v1/centre/opportunities/k1", json=LISTING, headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401
    with database.session() as session:
        events = session.execute(select(AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id)).all()
        assert (audit.API_KEY_CREATED, "api_key", key.id) in events and (audit.API_KEY_REVOKED, "api_key", key.id) in events


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "naam\x00met nul"])
def test_a_key_needs_a_sensible_name(database, mail_settings, browsers, name):  # noqa: F811
    member(database, mail_settings)
    me = browsers()
    me.login("sanne@example.org")
    answer = me.post("/portaal/api", {"name": name})
    assert answer.status_code == 400 and text.API_KEY_NAME_BAD in answer.text
    with database.session() as session:
        assert session.scalars(select(ApiKey)).all() == []


def test_a_member_of_one_centre_never_sees_nor_revokes_another_centres_key(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "a@example.org", "utrecht")
    with database.session() as session:
        amsterdam = centre_for_slug(session, "amsterdam").id
        theirs = api_keys.create(session, {amsterdam}, amsterdam, "Geheime sleutel van Amsterdam", None)
    me = browsers()
    me.login("a@example.org")
    assert "Geheime sleutel" not in me.http.get("/portaal/api").text
    answer = me.post(f"/portaal/api/{theirs.view.id}/intrekken", {}, csrf_from="/portaal/api")
    assert answer.status_code == 404 and text.NOT_FOUND in answer.text
    forged = me.post("/portaal/api", {"name": "Voor Amsterdam", "centre": str(amsterdam)})
    assert forged.status_code == 400 and text.API_KEY_CHOOSE_CENTRE in forged.text
    with database.session() as session:
        assert session.get(ApiKey, theirs.view.id).revoked_at is None
        assert session.scalars(select(ApiKey)).all() == [session.get(ApiKey, theirs.view.id)]


def test_an_admin_chooses_the_centre_of_a_new_key(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    me = browsers()
    me.login("beheer@example.org")
    unchosen = me.post("/portaal/api", {"name": "Partner"})
    assert unchosen.status_code == 400 and text.API_KEY_CHOOSE_CENTRE in unchosen.text
    with database.session() as session:
        amsterdam = centre_for_slug(session, "amsterdam").id
    assert me.post("/portaal/api", {"name": "Partner", "centre": str(amsterdam)}).status_code == 201
    with database.session() as session:
        assert session.scalars(select(ApiKey.centre_id)).all() == [amsterdam]


def test_the_api_page_posts_only_with_its_csrf_token(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings)
    me = browsers()
    me.login("sanne@example.org")
    page = me.http.get("/portaal/api").text
    assert page.count("<form") == page.count('name="csrf_token"')
    forged = me.http.post("/portaal/api", data={"name": "x", "csrf_token": "vervalst"}, headers={"Origin": me.base})
    assert forged.status_code == 403
    with database.session() as session:
        assert session.scalars(select(ApiKey)).all() == []
