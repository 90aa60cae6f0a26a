"""Vacatures in the portal over real HTTP, on SQLite and PostgreSQL, with a real logged-in session."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from html import unescape

import pytest
from sqlalchemy import select

from bot.web import portal
from bot.web.portal import vacancies as pages
from doemee import audit, messages
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.storage.models import AuditEvent, Opportunity
from tests.domain.factories import make_opportunity
from tests.web.test_portal import CSRF, browsers, gateway, mail_settings, member  # noqa: F401  (fixtures)

LATER = (date.today() + timedelta(days=60)).isoformat()
GOOD = {
    "title": "Voorlezen op zaterdag", "initiative_name": "Bibliotheek Oost",
    "description": "Lees een uur voor aan kinderen in de bibliotheek.", "category": "jeugd",
    "postcode": "3511 AB", "place": "", "time_commitment": "wekelijks", "day_parts": ["ochtend", "weekend"],
    "remote": "nee", "contact_email": "oost@example.org", "valid_until": LATER, "initiative_website": "",
}


def listing_in(database, centre: str, title: str, days_old: int = 1, **fields) -> int:
    with database.session() as session:
        moment = datetime.now(timezone.utc) - timedelta(days=days_old)
        made = {k: fields.pop(k) for k in ("category", "status", "initiative") if k in fields}
        opportunity = make_opportunity(session, title=title, created_at=moment, **made)
        opportunity.centre_id = centre_for_slug(session, centre).id
        for name, value in fields.items():
            setattr(opportunity, name, value)
        session.flush()
        return opportunity.id


@pytest.fixture
def me(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    one = browsers()
    assert one.login("sanne@example.org").status_code == 303
    return one


def titles(page: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<a href="/portaal/vacatures/\d+">([^<]+)</a>', page)]


def actions(database) -> list[tuple[str, str | None, int | None]]:
    with database.session() as session:
        return [(e.action, e.object_type, e.object_id) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("vacancy.%")).order_by(AuditEvent.id))]


def test_the_list_searches_filters_and_pages_only_the_centres_own_listings(database, me):
    for number in range(27):
        listing_in(database, "utrecht", f"Klus nummer {number:02d}", days_old=number + 1)
    listing_in(database, "utrecht", "Één keer koken", days_old=0, category="voedsel", place="Zeist")
    listing_in(database, "utrecht", "Gepauzeerde tuin", days_old=0, status="paused")
    listing_in(database, "amsterdam", "Geheime vacature van Amsterdam", days_old=0)

    first = me.http.get("/portaal/vacatures")
    assert first.status_code == 200 and "29 vacatures gevonden." in first.text
    assert len(titles(first.text)) == 25 and "Geheime vacature" not in first.text
    assert "Open (28)" in first.text and "Gepauzeerd (1)" in first.text and "Alle (29)" in first.text
    assert "Pagina 1 van 2" in first.text
    second = me.http.get("/portaal/vacatures?pagina=2")
    assert len(titles(second.text)) == 4 and "Klus nummer 26" in second.text
    assert len(titles(me.http.get("/portaal/vacatures?pagina=999999999999").text)) == 4

    assert titles(me.http.get("/portaal/vacatures", params={"zoek": "ÉÉN KEER"}).text) == ["Één keer koken"]
    assert titles(me.http.get("/portaal/vacatures?status=paused").text) == ["Gepauzeerde tuin"]
    assert titles(me.http.get("/portaal/vacatures?categorie=voedsel").text) == ["Één keer koken"]
    assert titles(me.http.get("/portaal/vacatures?plaats=Zeist").text) == ["Één keer koken"]
    searched = me.http.get("/portaal/vacatures", params={"zoek": "klus", "status": "open"})
    assert "27 vacatures gevonden." in searched.text and "zoek=klus&amp;status=open&amp;pagina=2" in searched.text
    secret = me.http.get("/portaal/vacatures", params={"zoek": "Geheime vacature"}).text
    assert titles(secret) == [] and "0 vacatures gevonden." in secret and "van Amsterdam" not in secret


def test_a_new_listing_with_problems_shows_each_beside_its_field_and_keeps_what_was_typed(database, me):
    bad = {**GOOD, "title": "", "postcode": "12", "contact_email": "geen adres", "description": "Ünïcødé 😀 tekst"}
    answer = me.post("/portaal/vacatures/nieuw", bad, csrf_from="/portaal/vacatures/nieuw")
    assert answer.status_code == 400 and text.VACANCY_PROBLEMS in answer.text
    page = answer.text
    for field in ("title", "postcode", "contact_email"):
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true" aria-describedby="fout-{field}"', page), field
        assert f'id="fout-{field}"' in page
    assert 'id="initiative_name" name="initiative_name"' in page and 'aria-invalid="true" aria-describedby="fout-initiative_name"' not in page
    assert "Ünïcødé 😀 tekst</textarea>" in page and 'value="Bibliotheek Oost"' in page
    assert 'value="ochtend" checked' in page and 'value="middag">' in page
    assert actions(database) == []

    saved = me.post("/portaal/vacatures/nieuw", GOOD, csrf_from="/portaal/vacatures/nieuw")
    assert saved.status_code == 303
    created = int(re.search(r"/portaal/vacatures/(\d+)\?gedaan=aangemaakt", saved.headers["location"]).group(1))
    detail = me.http.get(saved.headers["location"])
    assert detail.status_code == 200 and text.VACANCY_DONE["aangemaakt"] in detail.text
    assert "Voorlezen op zaterdag" in detail.text and "Utrecht" in detail.text
    with database.session() as session:
        stored = session.get(Opportunity, created)
        assert (stored.status, stored.source, stored.centre_id) == ("open", "portal", centre_for_slug(session, "utrecht").id)
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == pages.CREATED))
        assert (event.object_type, event.object_id, event.centre_id) == ("opportunity", created, stored.centre_id)
        assert event.staff_id is not None and event.at is not None


def test_an_edit_with_problems_then_fixed_is_saved_and_audited(database, me):
    mine = listing_in(database, "utrecht", "Tuinieren")
    form = me.http.get(f"/portaal/vacatures/{mine}/bewerken")
    assert form.status_code == 200 and 'value="Tuinieren"' in form.text
    wrong = me.post(f"/portaal/vacatures/{mine}/bewerken", {**GOOD, "category": "bestaat-niet", "valid_until": "gisteren"},
                    csrf_from=f"/portaal/vacatures/{mine}/bewerken")
    assert wrong.status_code == 400
    assert 'aria-describedby="fout-category"' in wrong.text and 'aria-describedby="fout-valid_until"' in wrong.text
    assert 'value="gisteren"' in wrong.text
    fixed = me.post(f"/portaal/vacatures/{mine}/bewerken", GOOD, csrf_from=f"/portaal/vacatures/{mine}/bewerken")
    assert fixed.status_code == 303 and fixed.headers["location"].endswith("?gedaan=opgeslagen")
    with database.session() as session:
        stored = session.get(Opportunity, mine)
        assert (stored.title, stored.category, stored.status) == ("Voorlezen op zaterdag", "jeugd", "open")
    assert actions(database) == [(pages.EDITED, "opportunity", mine)]


def test_every_button_changes_the_status_and_leaves_an_audit_row(database, me):
    mine = listing_in(database, "utrecht", "Tuinieren")
    page = f"/portaal/vacatures/{mine}"
    steps = [("pauzeren", "paused"), ("hervatten", "open"), ("vol", "filled"), ("hervatten", "open"),
             ("sluiten", "closed"), ("verlengen", "open")]
    for word, status in steps:
        done = me.post(f"{page}/{word}", {}, csrf_from=page)
        assert done.status_code == 303, (word, done.text[:300])
        assert me.http.get(done.headers["location"]).status_code == 200
        with database.session() as session:
            assert session.get(Opportunity, mine).status == status, word
    on_day = (date.today() + timedelta(days=10)).isoformat()
    assert me.post(f"{page}/verlengen", {"until": on_day}, csrf_from=page).status_code == 303
    with database.session() as session:
        assert session.get(Opportunity, mine).valid_until.isoformat() == on_day
    assert actions(database) == [(a, "opportunity", mine) for a in (
        pages.PAUSED, pages.RESUMED, pages.FILLED, pages.RESUMED, pages.CLOSED, pages.RENEWED, pages.RENEWED)]


def test_a_refused_button_or_a_bad_day_says_why_in_dutch_and_changes_nothing(database, me):
    mine = listing_in(database, "utrecht", "Tuinieren", status="closed")
    page = f"/portaal/vacatures/{mine}"
    refused = me.post(f"{page}/pauzeren", {}, csrf_from=page)
    assert refused.status_code == 409 and unescape(refused.text).count(messages.vacancy_refused("pause", "closed")) == 1
    for day in ("2000-01-01", "morgen", "x" * 1000, "2026-02-30"):
        bad = me.post(f"{page}/verlengen", {"until": day}, csrf_from=page)
        assert bad.status_code == 409 and '<html lang="nl">' in bad.text, day
    with database.session() as session:
        assert session.get(Opportunity, mine).status == "closed"
    assert actions(database) == []


def test_the_isolation_test_of_the_portal_knows_every_vacancy_route():
    paths = {route.path for route in portal.routes()}
    assert {"/portaal/vacatures", "/portaal/vacatures/nieuw", "/portaal/vacatures/{id}",
            "/portaal/vacatures/{id}/bewerken"} | {f"/portaal/vacatures/{{id}}/{w}" for w in (*pages.SWITCHES, "verlengen")} <= paths
    assert all(set(re.findall(r"{(\w+)", p)) <= {"id", "token"} for p in paths)


def test_a_member_of_centre_a_gets_404_for_every_vacancy_url_of_centre_b(database, me):
    theirs = listing_in(database, "amsterdam", "Geheime vacature van Amsterdam", status="paused")
    paths = [route for route in portal.routes() if route.path.startswith("/portaal/vacatures/{id}")]
    assert len(paths) == 7
    token = me.csrf("/portaal/vacatures")
    for route in paths:
        url = route.path.replace("{id}", str(theirs))
        for method in sorted(route.methods - {"HEAD"}):
            if method == "GET":
                answer = me.http.get(url)
            else:
                answer = me.http.post(url, data={**GOOD, "csrf_token": token, "until": LATER},
                                      headers={"Origin": me.base})
            assert answer.status_code == 404 and text.NOT_FOUND in answer.text, (method, url)
            assert "Geheime" not in answer.text
    with database.session() as session:
        stored = session.get(Opportunity, theirs)
        assert (stored.status, stored.title) == ("paused", "Geheime vacature van Amsterdam")
    assert actions(database) == []


@pytest.mark.parametrize("forged", ["-1", "0", "abc", "99999999999", "1.5", "%C2%B2", "%D9%A3", "9" * 400])
def test_forged_ids_get_a_dutch_404(database, me, forged):
    assert me.http.get(f"/portaal/vacatures/{forged}").status_code == 404
    assert me.http.get(f"/portaal/vacatures/{forged}/bewerken").status_code == 404
    for word in ("pauzeren", "verlengen", "bewerken"):
        answer = me.post(f"/portaal/vacatures/{forged}/{word}", GOOD, csrf_from="/portaal/vacatures")
        assert answer.status_code == 404 and text.NOT_FOUND in answer.text


@pytest.mark.parametrize("value", ["", "\x00\x01", "\u202e" * 500, "😀" * 300, "a\x0bb\x7fc", "=cmd|' /C calc'!A0",
                                   "<script>alert(1)</script>", "ÉÉN" * 1000])
def test_odd_input_in_any_field_gets_a_dutch_page_never_a_500(database, me, value):
    mine = listing_in(database, "utrecht", "Tuinieren")
    odd = {name: value for name in GOOD} | {"centre": value, "day_parts": [value, value]}
    for path in ("/portaal/vacatures/nieuw", f"/portaal/vacatures/{mine}/bewerken"):
        answer = me.post(path, odd, csrf_from="/portaal/vacatures")
        assert answer.status_code in (303, 400, 413) and "<script>alert" not in answer.text, path
        assert answer.status_code == 303 or '<html lang="nl">' in answer.text
    listing = me.http.get("/portaal/vacatures", params={"zoek": value, "status": value, "categorie": value,
                                                        "plaats": value, "pagina": value})
    assert listing.status_code == 200 and "<script>alert" not in listing.text


def test_a_hundred_thousand_characters_get_the_too_much_text_page(database, me):
    answer = me.post("/portaal/vacatures/nieuw", {**GOOD, "description": "x" * 100_000}, csrf_from="/portaal/vacatures")
    assert answer.status_code == 413 and text.TOO_LARGE in answer.text
    assert me.http.get("/portaal/vacatures", params={"zoek": "é" * 6_000}).status_code in (200, 414, 431)


def test_an_admin_sees_every_centre_and_chooses_the_centre_of_a_new_listing(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    listing_in(database, "amsterdam", "Vacature van Amsterdam")
    admin = browsers()
    admin.login("beheer@example.org")
    assert "Vacature van Amsterdam" in admin.http.get("/portaal/vacatures").text
    form = admin.http.get("/portaal/vacatures/nieuw").text
    assert '<select id="centre" name="centre"' in form
    unchosen = admin.post("/portaal/vacatures/nieuw", GOOD, csrf_from="/portaal/vacatures/nieuw")
    assert unchosen.status_code == 400 and messages.VACANCY_CHOOSE_CENTRE in unescape(unchosen.text)
    with database.session() as session:
        amsterdam = centre_for_slug(session, "amsterdam").id
    chosen = admin.post("/portaal/vacatures/nieuw", {**GOOD, "centre": str(amsterdam)}, csrf_from="/portaal/vacatures/nieuw")
    assert chosen.status_code == 303
    with database.session() as session:
        stored = session.scalar(select(Opportunity).where(Opportunity.title == GOOD["title"]))
        assert stored.centre_id == amsterdam
        assert audit.actions_of(session)[-1] == pages.CREATED


def test_a_member_cannot_create_for_another_centre(database, me):
    with database.session() as session:
        amsterdam = centre_for_slug(session, "amsterdam").id
    answer = me.post("/portaal/vacatures/nieuw", {**GOOD, "centre": str(amsterdam)}, csrf_from="/portaal/vacatures/nieuw")
    assert answer.status_code == 400 and messages.VACANCY_CHOOSE_CENTRE in unescape(answer.text)
    with database.session() as session:
        assert session.scalar(select(Opportunity)) is None


def test_every_post_form_carries_the_csrf_token_and_the_search_form_none(database, me):
    mine = listing_in(database, "utrecht", "Tuinieren")
    for path in ("/portaal/vacatures", "/portaal/vacatures/nieuw", f"/portaal/vacatures/{mine}",
                 f"/portaal/vacatures/{mine}/bewerken"):
        page = me.http.get(path).text
        assert len(re.findall(r'<form[^>]*method="post"', page)) == len(CSRF.findall(page)) >= 1, path
        assert 'method="get"' not in page or path == "/portaal/vacatures"
    listed = me.http.get("/portaal/vacatures").text
    search_form = listed.split('<form method="get"', 1)[1].split("</form>", 1)[0]
    assert "csrf_token" not in search_form  # a token in a URL ends up in logs and histories


def test_a_post_without_the_token_changes_nothing(database, me):
    mine = listing_in(database, "utrecht", "Tuinieren")
    refused = me.http.post(f"/portaal/vacatures/{mine}/sluiten", data={"csrf_token": "vervalst"},
                           headers={"Origin": me.base})
    assert refused.status_code == 403
    with database.session() as session:
        assert session.get(Opportunity, mine).status == "open"
