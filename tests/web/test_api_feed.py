"""The open-data feed (HSDS 3.0), the OpenAPI document and the docs page, over real HTTP."""

from __future__ import annotations

import json
from datetime import date, timedelta

import httpx
import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from bot.web.api.openapi import document
from doemee import hsds
from doemee.settings import Settings
from doemee.storage.models import Initiative
from tests.domain.factories import make_opportunity


@pytest.fixture
def http(make_gateway, database, tmp_path):
    mail = Settings(outbox_dir=tmp_path / "outbox", secret_key="geheim" * 8, public_url="http://doemee.test")
    base = make_gateway(database_url=database.url, mail=mail, email_alert_interval_seconds=0)
    with httpx.Client(base_url=base, timeout=20, trust_env=False) as client:
        yield client


@pytest.fixture
def listings(database) -> dict[str, int]:
    """One real open listing, and three that must never be in the feed: demo, closed, past its last day."""
    with database.session() as session:
        real = make_opportunity(session, title="Taalmaatje", category="taal", initiative="Taal Doet Meer",
                                contact_email="geheim-contact@example.org")
        real.day_parts = "middag;avond"
        demo = make_opportunity(session, title="Demo-klus", initiative="Demo-initiatief")
        demo.is_demo = True
        session.get(Initiative, demo.initiative_id).is_demo = True
        closed = make_opportunity(session, title="Gesloten klus", status="closed")
        expired = make_opportunity(session, title="Verlopen klus")
        expired.valid_until = date.today() - timedelta(days=1)
        return {"real": real.id, "demo": demo.id, "closed": closed.id, "expired": expired.id,
                "initiative": real.initiative_id}


def test_the_feed_lists_only_real_open_listings_without_contact_data(http, listings):
    page = http.get("/api/v1/hsds/services").json()
    assert [s["name"] for s in page["contents"]] == ["Taalmaatje"]
    assert (page["total_items"], page["total_pages"], page["first_page"], page["last_page"], page["empty"]) == (
        1, 1, True, True, False)
    [service] = page["contents"]
    assert service["id"] == hsds.hsds_id(hsds.SERVICE, listings["real"]) and service["status"] == "active"
    assert service["organization"]["name"] == "Taal Doet Meer"
    assert service["url"] == f"http://doemee.test/kansen#kans-{listings['real']}"
    everything = json.dumps([page, http.get("/api/v1/hsds/organizations").json(),
                             http.get(f"/api/v1/hsds/services/{service['id']}").json()])
    assert "geheim-contact@example.org" not in everything and "@" not in everything
    assert "Demo" not in everything and "Gesloten" not in everything and "Verlopen" not in everything


def test_one_service_carries_its_category_times_and_place(http, listings):
    wanted = hsds.hsds_id(hsds.SERVICE, listings["real"])
    service = http.get(f"/api/v1/hsds/services/{wanted}").json()
    terms = {(a["link_type"], a["taxonomy_term"]["code"]) for a in service["attributes"]}
    assert terms == {("category", "taal"), ("time_commitment", "wekelijks"), ("day_part", "middag"),
                     ("day_part", "avond")}
    assert next(a for a in service["attributes"] if a["link_type"] == "category")["label"] == "Taal en nieuwkomers"
    [at] = service["service_at_locations"]
    assert at["location"]["name"] == "Utrecht" and at["location"]["external_identifier"] == "3511"
    assert len({a["id"] for a in service["attributes"]}) == len(service["attributes"])


@pytest.mark.parametrize("kind", ["demo", "closed", "expired"])
def test_listings_outside_the_feed_are_404_there_too(http, listings, kind):
    answer = http.get(f"/api/v1/hsds/services/{hsds.hsds_id(hsds.SERVICE, listings[kind])}")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


@pytest.mark.parametrize("forged", ["1", "niet-een-uuid", "00000000-0000-0000-0000-000000000000",
                                    "646f656d-6565-8002-8000-000000000001", "x" * 400])
def test_forged_service_ids_get_a_404(http, listings, forged):
    assert http.get(f"/api/v1/hsds/services/{forged}").status_code == 404


def test_organizations_are_the_initiatives_with_an_open_listing(http, listings):
    page = http.get("/api/v1/hsds/organizations").json()
    assert [(o["id"], o["name"]) for o in page["contents"]] == [
        (hsds.hsds_id(hsds.ORGANIZATION, listings["initiative"]), "Taal Doet Meer")]


def test_the_feed_pages_and_checks_its_paging(http, database):
    with database.session() as session:
        for number in range(5):
            make_opportunity(session, title=f"Klus {number}")
    second = http.get("/api/v1/hsds/services", params={"per_page": 2, "page": 2}).json()
    assert [s["name"] for s in second["contents"]] == ["Klus 2", "Klus 3"]
    assert (second["total_items"], second["total_pages"], second["first_page"], second["last_page"]) == (5, 3, False, False)
    beyond = http.get("/api/v1/hsds/services", params={"page": 9}).json()
    assert beyond["empty"] is True and beyond["contents"] == []
    for params in ({"per_page": 0}, {"per_page": 101}, {"page": "één"}, {"zoek": "x"}):
        answer = http.get("/api/v1/hsds/services", params=params)
        assert answer.status_code == 422 and answer.json()["code"] == "invalid", params


def test_hsds_ids_round_trip_and_never_mix_kinds():
    for number in (1, 42, 2**31 - 1):
        assert hsds.number_of(hsds.hsds_id(hsds.SERVICE, number), hsds.SERVICE) == number
        assert hsds.number_of(hsds.hsds_id(hsds.SERVICE, number), hsds.ORGANIZATION) is None
    assert hsds.hsds_id(hsds.SERVICE, 7)[14] == "8"  # UUID version 8


def test_the_taxonomy_lists_every_category_once(http):
    terms = http.get("/api/v1/hsds/taxonomy_terms").json()["contents"]
    categories = [t["code"] for t in terms if t["taxonomy"] == "DoeMee-interesses"]
    assert len(categories) == len(set(categories)) == 14
    assert len({t["id"] for t in terms}) == len(terms)


def test_the_about_answer_names_the_version_and_the_description(http):
    about = http.get("/api/v1/hsds").json()
    assert about["version"] == "3.0" and about["openapi_url"] == "http://doemee.test/api/v1/openapi.json"


# --- the OpenAPI document and its page --------------------------------------------


def test_the_openapi_document_is_valid_openapi_3_1():
    doc = document()
    assert doc["openapi"].startswith("3.1")
    validate(doc)


def test_the_served_document_is_the_one_in_the_code(http):
    served = http.get("/api/v1/openapi.json")
    assert served.status_code == 200 and served.headers["content-type"].startswith("application/json")
    assert served.json() == json.loads(json.dumps(document()))


def test_every_api_route_is_described_and_every_description_is_a_route():
    from bot.web import api

    described = {path for path in document()["paths"]}
    routed = {route.path for route in api.routes()} - {"/api/v1/openapi.json", "/api/v1/docs"}
    assert described == routed


def test_the_docs_page_is_dutch_complete_and_loads_no_script(http):
    page = http.get("/api/v1/docs")
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    assert "<script" not in page.text and "http://" not in page.text.replace("http://doemee.test", "")
    for operation in ("GET /api/v1/opportunities", "PUT /api/v1/centre/opportunities/{external_id}",
                      "GET /api/v1/hsds/services"):
        assert operation in page.text
    assert "Retry-After" in page.text and "rate_limited" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_an_opportunity_id_that_is_no_number_is_simply_not_found(http):
    for forged in ("-1", "abc", "9" * 40, "%D9%A3", "0"):
        answer = http.get(f"/api/v1/opportunities/{forged}")
        assert answer.status_code == 404 and answer.json()["code"] == "not_found", forged


def test_the_demo_flag_is_shown_on_a_single_listing(http, listings):
    assert http.get(f"/api/v1/opportunities/{listings['demo']}").json()["is_demo"] is True
    assert http.get(f"/api/v1/opportunities/{listings['real']}").json()["is_demo"] is False


def test_a_single_listing_never_shows_the_contact_address(http, listings, database):
    answer = http.get(f"/api/v1/opportunities/{listings['real']}").json()
    assert "contact_email" not in answer and "@" not in json.dumps(answer)
    with database.session() as session:
        assert session.scalar(select(Initiative.contact_email).where(Initiative.id == listings["initiative"]))
