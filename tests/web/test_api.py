"""The partner API (/api/v1) over real HTTP on SQLite and PostgreSQL: keys, writes, search, limits, errors."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import select

from doemee import api_keys
from doemee.attribution import centre_for_slug
from doemee.settings import Settings
from doemee.storage.models import ApiKey, Opportunity

LISTING = {
    "initiative_name": "Buurttuin Lombok", "initiative_website": "https://buurttuin.example.org",
    "title": "Tuinier gezocht", "description": "Help mee met wieden en oogsten in de tuin.", "category": "groen",
    "postcode": "3531 HE", "time_commitment": "wekelijks", "day_parts": ["ochtend", "weekend"], "remote": False,
    "contact_email": "tuin@example.org", "valid_until": "2099-12-31",
}


def make_key(database, centre: str = "utrecht", name: str = "Partnerplatform") -> str:
    with database.session() as session:
        centre_id = centre_for_slug(session, centre).id
        return api_keys.create(session, {centre_id}, centre_id, name, None).secret


@pytest.fixture
def api(make_gateway, database, tmp_path):
    def start(**overrides) -> httpx.Client:
        mail = Settings(outbox_dir=tmp_path / "outbox", secret_key="geheim" * 8, public_url="http://doemee.test")
        base = make_gateway(database_url=database.url, mail=mail, email_alert_interval_seconds=0, **overrides)
        client = httpx.Client(base_url=base, timeout=20, trust_env=False)
        opened.append(client)
        return client

    opened: list[httpx.Client] = []
    yield start
    for client in opened:
        client.close()


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# --- keys ---------------------------------------------------------------------------


def test_a_key_is_stored_only_as_its_hash_with_a_short_visible_prefix(database):
    secret = make_key(database)
    with database.session() as session:
        [row] = session.scalars(select(ApiKey)).all()
        stored = [str(getattr(row, column.key)) for column in ApiKey.__table__.columns]
    assert secret.startswith("dm_") and len(secret) >= 40
    assert not any(secret in value for value in stored)
    assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:11] and len(row.prefix) < len(secret) // 3


def test_a_revoked_key_is_refused_and_the_last_use_is_noted(database, api):
    http = api()
    secret = make_key(database)
    assert http.put("/api/v1/centre/opportunities/t1", json=LISTING, headers=bearer(secret)).status_code == 201
    with database.session() as session:
        row = session.scalars(select(ApiKey)).one()
        assert row.last_used_at is not None
        api_keys.revoke(session, {row.centre_id}, row.id)
    refused = http.put("/api/v1/centre/opportunities/t1", json=LISTING, headers=bearer(secret))
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
    assert refused.headers["www-authenticate"] == "Bearer"
    assert "sleutel" in refused.json()["message"]


@pytest.mark.parametrize("headers, code", [
    ({}, "key_missing"),
    ({"Authorization": "Bearer"}, "unauthorized"),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, "unauthorized"),
    ({"Authorization": "Bearer dm_vervalst"}, "unauthorized"),
    ({"X-API-Key": "dm_" + "x" * 5000}, "unauthorized"),
    ({"X-API-Key": "' OR 1=1 --"}, "unauthorized"),
])
def test_writes_without_a_working_key_get_401_with_a_code(database, api, headers, code):
    answer = api().put("/api/v1/centre/opportunities/t1", json=LISTING, headers=headers)
    assert answer.status_code == 401 and answer.json()["code"] == code
    with database.session() as session:
        assert session.scalars(select(Opportunity)).all() == []


def test_the_x_api_key_header_works_as_well_as_bearer(database, api):
    secret = make_key(database)
    answer = api().put("/api/v1/centre/opportunities/t1", json=LISTING, headers={"X-API-Key": secret})
    assert answer.status_code == 201


# --- writes ---------------------------------------------------------------------------


def test_an_upsert_by_external_id_never_duplicates(database, api):
    http, secret = api(), make_key(database)
    first = http.put("/api/v1/centre/opportunities/tuin-1", json=LISTING, headers=bearer(secret))
    again = http.put("/api/v1/centre/opportunities/tuin-1", json={**LISTING, "title": "Tuinier voor de zaterdag"},
                     headers=bearer(secret))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert again.json()["title"] == "Tuinier voor de zaterdag" and again.json()["status"] == "open"
    with database.session() as session:
        [row] = session.scalars(select(Opportunity)).all()
        assert (row.title, row.source, row.external_id, row.place) == ("Tuinier voor de zaterdag", "api", "tuin-1", "Utrecht")
        assert row.centre_id == centre_for_slug(session, "utrecht").id


def test_a_key_of_one_centre_never_touches_another_centres_listings(database, api):
    http = api()
    utrecht, amsterdam = make_key(database, "utrecht"), make_key(database, "amsterdam")
    theirs = http.put("/api/v1/centre/opportunities/gedeeld", json=LISTING, headers=bearer(amsterdam)).json()
    http.put("/api/v1/centre/opportunities/alleen-amsterdam", json=LISTING, headers=bearer(amsterdam))

    mine = http.put("/api/v1/centre/opportunities/gedeeld", json={**LISTING, "title": "Overgenomen?"},
                    headers=bearer(utrecht))
    assert mine.status_code == 201 and mine.json()["id"] != theirs["id"]
    closing = http.post("/api/v1/centre/opportunities/alleen-amsterdam/close", headers=bearer(utrecht))
    assert closing.status_code == 404 and closing.json()["code"] == "not_found"
    with database.session() as session:
        amsterdam_id = centre_for_slug(session, "amsterdam").id
        rows = session.scalars(select(Opportunity).where(Opportunity.centre_id == amsterdam_id)).all()
        assert sorted((o.external_id, o.title, o.status) for o in rows) == [
            ("alleen-amsterdam", "Tuinier gezocht", "open"), ("gedeeld", "Tuinier gezocht", "open")]


def test_one_centre_cannot_change_the_website_another_centre_shows(database, api):
    http = api()
    http.put("/api/v1/centre/opportunities/a", json=LISTING, headers=bearer(make_key(database, "amsterdam")))
    answer = http.put("/api/v1/centre/opportunities/u", json={**LISTING, "initiative_website": "https://ander.example.org"},
                      headers=bearer(make_key(database, "utrecht")))
    assert answer.status_code == 422
    assert [p["field"] for p in answer.json()["problems"]] == ["initiative_website"]


def test_a_closed_listing_disappears_from_search_and_from_reading(database, api):
    http, secret = api(), make_key(database)
    made = http.put("/api/v1/centre/opportunities/tuin-1", json=LISTING, headers=bearer(secret)).json()
    found = http.get("/api/v1/opportunities", params={"postcode": "3531", "interests": "groen"}).json()
    assert [item["id"] for item in found["items"]] == [made["id"]]
    assert found["items"][0]["reasons"] and "contact_email" not in found["items"][0]
    assert http.get(f"/api/v1/opportunities/{made['id']}").json()["title"] == "Tuinier gezocht"

    closed = http.post("/api/v1/centre/opportunities/tuin-1/close", headers=bearer(secret))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert http.post("/api/v1/centre/opportunities/tuin-1/close", headers=bearer(secret)).json()["status"] == "closed"
    assert http.get("/api/v1/opportunities", params={"postcode": "3531"}).json()["items"] == []
    gone = http.get(f"/api/v1/opportunities/{made['id']}")
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


def test_a_centre_reads_back_its_own_listing_with_status_and_contact_but_never_another_centres(database, api):
    http, utrecht, amsterdam = api(), make_key(database, "utrecht"), make_key(database, "amsterdam")
    http.put("/api/v1/centre/opportunities/eigen", json=LISTING, headers=bearer(utrecht))
    mine = http.get("/api/v1/centre/opportunities/eigen", headers=bearer(utrecht))
    assert mine.status_code == 200 and (mine.json()["status"], mine.json()["contact_email"]) == ("open", "tuin@example.org")
    theirs = http.get("/api/v1/centre/opportunities/eigen", headers=bearer(amsterdam))
    assert theirs.status_code == 404 and theirs.json()["code"] == "not_found"
    assert http.get("/api/v1/centre/opportunities/eigen").status_code == 401


def test_a_search_can_keep_to_one_centres_region_as_its_widget_does(database, api):
    from tests.domain.factories import make_opportunity

    with database.session() as session:
        make_opportunity(session, title="In Utrecht", municipality_code="0344")
        make_opportunity(session, title="Net over de grens", municipality_code="0307")
    http = api()
    everywhere = http.get("/api/v1/opportunities", params={"postcode": "3511"}).json()["items"]
    in_utrecht = http.get("/api/v1/opportunities", params={"postcode": "3511", "centre": "utrecht"}).json()["items"]
    assert {i["title"] for i in everywhere} == {"In Utrecht", "Net over de grens"}
    assert [i["title"] for i in in_utrecht] == ["In Utrecht"]
    unknown = http.get("/api/v1/opportunities", params={"postcode": "3511", "centre": "atlantis"})
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["field"] == "centre"


def test_a_last_day_in_the_past_stores_the_listing_closed_as_an_import_does(database, api):
    http, secret = api(), make_key(database)
    past = (date.today() - timedelta(days=1)).isoformat()
    answer = http.put("/api/v1/centre/opportunities/oud", json={**LISTING, "valid_until": past}, headers=bearer(secret))
    assert answer.status_code == 201 and answer.json()["status"] == "closed"


@pytest.mark.parametrize("body, fields", [
    ({**LISTING, "title": ""}, ["title"]),
    ({**LISTING, "category": "schilderen", "postcode": "12"}, ["category", "postcode"]),
    ({**LISTING, "postcode": "0000"}, ["postcode"]),
    ({**LISTING, "contact_email": "geen-adres", "day_parts": ["nacht"]}, ["contact_email", "day_parts"]),
    ({**LISTING, "remote": "ja", "valid_until": "31-12-2099"}, ["remote", "valid_until"]),
    ({**LISTING, "title": "x" * 121}, ["title"]),
    ({**LISTING, "title": 12, "salaris": 100}, ["salaris", "title"]),
    ({**LISTING, "title": "Tab\tin titel", "description": "\ud800"}, ["description", "title"]),
])
def test_invalid_listings_get_a_dutch_422_per_field(database, api, body, fields):
    # json.dumps escapes a lone surrogate ("\\ud800"), as a partner's JSON library would send it.
    answer = api().put("/api/v1/centre/opportunities/t1", content=json.dumps(body),
                       headers={**bearer(make_key(database)), "Content-Type": "application/json"})
    assert answer.status_code == 422
    payload = answer.json()
    assert payload["code"] == "invalid" and "klopt" in payload["message"]
    assert sorted({p["field"] for p in payload["problems"]}) == fields
    assert all(p["message"] for p in payload["problems"])
    with database.session() as session:
        assert session.scalars(select(Opportunity)).all() == []


@pytest.mark.parametrize("path, content, content_type, status, code", [
    ("t1", b"{niet json", "application/json", 400, "bad_json"),
    ("t1", b"[1, 2]", "application/json", 422, "invalid"),
    ("t1", b"title=x", "application/x-www-form-urlencoded", 415, "not_json"),
    ("t1", b"[" * 100_000, "application/json", 413, "too_large"),
    ("t1", b"\xff\xfe", "application/json", 400, "bad_json"),
    ("%20spatie", b"{}", "application/json", 422, "invalid"),
    ("x" * 101, b"{}", "application/json", 422, "invalid"),
])
def test_odd_bodies_and_ids_get_a_json_answer_never_a_500(database, api, path, content, content_type, status, code):
    answer = api().put(f"/api/v1/centre/opportunities/{path}", content=content,
                       headers={**bearer(make_key(database)), "Content-Type": content_type})
    assert answer.status_code == status and answer.json()["code"] == code


def test_closing_a_concept_is_a_conflict(database, api):
    http, secret = api(), make_key(database)
    http.put("/api/v1/centre/opportunities/c1", json=LISTING, headers=bearer(secret))
    with database.session() as session:
        session.scalars(select(Opportunity)).one().status = "concept"
    answer = http.post("/api/v1/centre/opportunities/c1/close", headers=bearer(secret))
    assert answer.status_code == 409 and answer.json()["code"] == "concept"


# --- search ---------------------------------------------------------------------------


@pytest.mark.parametrize("params, field", [
    ({}, "postcode"),
    ({"postcode": "3511", "place": "Utrecht"}, "place"),
    ({"postcode": "12"}, "postcode"),
    ({"postcode": "0000"}, "postcode"),
    ({"place": "Nergenshuizen-aan-Zee"}, "place"),
    ({"place": "x" * 500}, "place"),
    ({"postcode": "3511", "radius_km": "veel"}, "radius_km"),
    ({"postcode": "3511", "radius_km": "0"}, "radius_km"),
    ({"postcode": "3511", "radius_km": "nan"}, "radius_km"),
    ({"postcode": "3511", "radius_km": "1e9"}, "radius_km"),
    ({"postcode": "3511", "page": "-1"}, "page"),
    ({"postcode": "3511", "per_page": "51"}, "per_page"),
    ({"postcode": "3511", "interests": "groen,ruimtevaart"}, "interests"),
    ({"postcode": "3511", "when": "nacht"}, "when"),
    ({"postcode": "3511", "postcod": "3512"}, "postcod"),
])
def test_search_parameters_are_checked_with_dutch_reasons(database, api, params, field):
    answer = api().get("/api/v1/opportunities", params=params)
    assert answer.status_code == 422, answer.text
    payload = answer.json()
    assert payload["code"] == "invalid" and field in [p["field"] for p in payload["problems"]]
    assert all(" " in p["message"] for p in payload["problems"])


def test_search_pages_through_the_same_ranking_the_chat_uses(database, api):
    from doemee.geo.index import get_geo_index
    from doemee.matching.engine import find
    from doemee.matching.query import SearchQuery
    from tests.domain.factories import make_opportunity

    with database.session() as session:
        for number in range(7):
            make_opportunity(session, title=f"Klus {number}", category="klussen" if number % 2 else "groen")
    http = api()
    pages = [http.get("/api/v1/opportunities", params={"postcode": "3511", "per_page": "3", "page": str(n)}).json()
             for n in (1, 2, 3)]
    ids = [item["id"] for page in pages for item in page["items"]]
    location = get_geo_index().postcode("3511")
    with database.session() as session:
        expected = find(session, SearchQuery(lat=location.lat, lon=location.lon, origin="3511", limit=7))
    assert ids == [m.opportunity.id for m in expected.matches] and len(ids) == 7
    assert pages[0]["total_within_radius"] == 7 and pages[2]["page"] == 3


def test_a_place_name_is_resolved_as_the_chat_does(database, api):
    answer = api().get("/api/v1/opportunities", params={"place": "utrecht", "interests": "tuinieren"})
    assert answer.status_code == 200
    assert answer.json()["query"]["origin"] == "Utrecht" and answer.json()["query"]["interests"] == ["groen"]


# --- limits and errors ---------------------------------------------------------------


def test_reads_without_a_key_are_limited_per_address_with_retry_after(database, api):
    http = api(api_rate_anonymous=2, api_rate_per_key=5)
    codes = [http.get("/api/v1/hsds").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = http.get("/api/v1/hsds")
    assert limited.json()["code"] == "rate_limited" and int(limited.headers["retry-after"]) >= 1
    keyed = http.get("/api/v1/hsds", headers=bearer(make_key(database)))
    assert keyed.status_code == 200


def test_guessing_keys_is_limited_like_any_flood(database, api):
    http = api(api_rate_anonymous=3)
    codes = [http.put(f"/api/v1/centre/opportunities/t{n}", json=LISTING, headers=bearer(f"dm_gok{n}")).status_code
             for n in range(5)]
    assert codes == [401, 401, 401, 429, 429]


def test_each_key_has_its_own_bucket(database, api):
    http = api(api_rate_per_key=1)
    first, second = make_key(database), make_key(database, name="Tweede")
    assert http.get("/api/v1/hsds", headers=bearer(first)).status_code == 200
    assert http.get("/api/v1/hsds", headers=bearer(first)).status_code == 429
    assert http.get("/api/v1/hsds", headers=bearer(second)).status_code == 200


def test_unknown_paths_and_methods_answer_in_json_with_a_code(database, api):
    http = api()
    missing = http.get("/api/v1/bestaat-niet")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    wrong = http.delete("/api/v1/opportunities")
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"


def test_reads_are_open_to_any_website(database, api):
    answer = api().get("/api/v1/hsds/services", headers={"Origin": "https://elders.example.org"})
    assert answer.headers["access-control-allow-origin"] == "*"

