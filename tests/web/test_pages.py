"""The widget script, the demo page, centre settings, health and the plain listing page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from doemee import messages
from doemee.storage.models import Initiative, Opportunity, Status

WIDGET_LINE = '<script src="/widget.js" data-centre="utrecht" defer></script>'


def test_widget_js_is_served_as_javascript(client, make_gateway):
    response = client.get(f"{make_gateway()}/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_widget_js_carries_its_dutch_labels_and_styles(client, make_gateway):
    body = client.get(f"{make_gateway()}/widget.js").text
    assert "/*@LABELS@*/{}" not in body and '/*@CSS@*/""' not in body
    assert messages.WEB_WIDGET_LABELS["send"] in body
    assert ".dm-launcher" in body


def test_widget_js_never_builds_html_from_strings(client, make_gateway):
    body = client.get(f"{make_gateway()}/widget.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in body


def test_widget_js_is_not_sent_again_when_unchanged(client, make_gateway):
    url = make_gateway()
    etag = client.get(f"{url}/widget.js").headers["etag"]
    assert client.get(f"{url}/widget.js", headers={"If-None-Match": etag}).status_code == 304


def test_demo_page_embeds_the_widget_with_one_line(client, make_gateway):
    response = client.get(f"{make_gateway()}/")
    assert response.status_code == 200
    assert response.text.count("<script") == 1
    assert WIDGET_LINE in response.text
    assert '<html lang="nl">' in response.text


def test_pages_forbid_inline_scripts_and_framing(client, make_gateway):
    headers = client.get(f"{make_gateway()}/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_centre_settings_give_name_colours_and_greeting(client, make_gateway):
    body = client.get(f"{make_gateway()}/api/centres/utrecht").json()
    assert body["name"] == "Vrijwilligerscentrum Utrecht"
    assert body["colours"] == {"primary": "#0b5394", "text_on_primary": "#ffffff"}
    assert body["greeting"].startswith("Hoi!")
    assert "municipalities" not in body


def test_unknown_centre_settings_are_a_dutch_404(client, make_gateway):
    response = client.get(f"{make_gateway()}/api/centres/atlantis")
    assert response.status_code == 404
    assert response.json() == {"error": messages.WEB_UNKNOWN_CENTRE}


def test_health_answers_even_when_rasa_is_down(client, make_gateway):
    response = client.get(f"{make_gateway()}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_page_is_a_dutch_404(client, make_gateway):
    response = client.get(f"{make_gateway()}/bestaat-niet")
    assert response.status_code == 404
    assert messages.WEB_NOT_FOUND in response.text
    assert "Traceback" not in response.text


def test_unknown_api_path_is_a_dutch_json_404(client, make_gateway):
    response = client.get(f"{make_gateway()}/api/bestaat-niet")
    assert response.status_code == 404
    assert response.json() == {"error": messages.WEB_NOT_FOUND}


# --- /kansen ----------------------------------------------------------------------------------

def _add(db, initiative: Initiative, title: str, place: str, *, status: str = Status.OPEN.value,
         valid_until: date | None = None, municipality_code: str = "0344", **extra) -> Opportunity:
    opportunity = Opportunity(
        external_id=f"t-{title}", initiative=initiative, title=title,
        description=extra.pop("description", "Samen de buurt mooier maken."), category="groen",
        postcode="3511 AB", pc4="3511", place=place, municipality_code=municipality_code,
        lat=52.09, lon=5.11, time_commitment="wekelijks", day_parts="ochtend;weekend",
        contact_email="geheim@example.org", status=status, valid_until=valid_until, **extra,
    )
    db.add(opportunity)
    return opportunity


@pytest.fixture
def listed(database):
    with database.session() as db:
        garden = Initiative(name="Moestuin <De Zon>", website="https://moestuin.example.org")
        sneaky = Initiative(name="Buurthuis", website="javascript:alert(1)")
        db.add_all([garden, sneaky])
        _add(db, garden, "Tuinieren op zaterdag", "Utrecht")
        _add(db, garden, "Compost <script>alert(1)</script>", "Utrecht",
             description='Neem "laarzen" mee & <b>handschoenen</b>.')
        _add(db, sneaky, "Koffie schenken", "Zeist", municipality_code="0355")
        _add(db, sneaky, "Fietsen repareren", "Amsterdam", municipality_code="0363")
        _add(db, garden, "Gesloten klus", "Utrecht", status=Status.CLOSED.value)
        _add(db, garden, "Concept klus", "Utrecht", status=Status.CONCEPT.value)
        _add(db, garden, "Al vervuld", "Utrecht", status=Status.FILLED.value)
        _add(db, garden, "Verlopen klus", "Utrecht", valid_until=date.today() - timedelta(days=1))
        _add(db, garden, "Laatste dag", "Utrecht", valid_until=date.today())
    return database


def test_listing_shows_open_opportunities_only(client, make_gateway, listed):
    page = client.get(f"{make_gateway(database_url=listed.url)}/kansen").text
    for shown in ("Tuinieren op zaterdag", "Koffie schenken", "Fietsen repareren", "Laatste dag"):
        assert shown in page
    for hidden in ("Gesloten klus", "Concept klus", "Al vervuld", "Verlopen klus"):
        assert hidden not in page
    assert messages.WEB_LISTING_COUNT["other"].format(count=5) in page


def test_listing_escapes_what_initiatives_typed(client, make_gateway, listed):
    page = client.get(f"{make_gateway(database_url=listed.url)}/kansen").text
    assert "<script>alert(1)</script>" not in page
    assert "Compost &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Moestuin &lt;De Zon&gt;" in page
    assert "&lt;b&gt;handschoenen&lt;/b&gt;" in page
    assert 'href="javascript:' not in page


def test_listing_never_shows_contact_addresses(client, make_gateway, listed):
    page = client.get(f"{make_gateway(database_url=listed.url)}/kansen").text
    assert "geheim@example.org" not in page


def test_listing_groups_by_place_and_filters_on_one(client, make_gateway, listed):
    url = make_gateway(database_url=listed.url)
    page = client.get(f"{url}/kansen").text
    assert page.index(">Amsterdam</a></h2>") < page.index(">Utrecht</a></h2>") < page.index(">Zeist</a></h2>")
    only_zeist = client.get(f"{url}/kansen", params={"plaats": "Zeist"}).text
    assert "Koffie schenken" in only_zeist
    assert "Tuinieren op zaterdag" not in only_zeist
    assert '<option value="Zeist" selected>' in only_zeist


def test_listing_for_a_centre_stays_in_its_region(client, make_gateway, listed):
    page = client.get(f"{make_gateway(database_url=listed.url)}/kansen", params={"centre": "utrecht"}).text
    assert "Koffie schenken" in page
    assert "Fietsen repareren" not in page


def test_listing_credits_geonames_under_cc_by(client, make_gateway, listed):
    page = client.get(f"{make_gateway(database_url=listed.url)}/kansen").text
    footer = page[page.index("<footer"):]
    assert "GeoNames" in footer and "CC BY 4.0" in footer
    assert "https://creativecommons.org/licenses/by/4.0/" in footer


def test_empty_listing_says_so_in_dutch(client, make_gateway, database):
    page = client.get(f"{make_gateway(database_url=database.url)}/kansen").text
    assert messages.WEB_LISTING_EMPTY in page


def test_listing_without_a_database_is_a_dutch_error_page(client, make_gateway, tmp_path):
    empty = f"sqlite:///{tmp_path / 'leeg.db'}"
    response = client.get(f"{make_gateway(database_url=empty)}/kansen")
    assert response.status_code == 503
    assert messages.WEB_SERVER_ERROR in response.text
    assert "Traceback" not in response.text


# Markup, a Jinja expression and an entity, as an initiative might type them.
TYPED = "<script>alert(1)</script> {{ 7*7 }} &amp;"
TYPED_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp;amp;"


def test_listing_shows_typed_markup_and_template_syntax_literally(client, make_gateway, database):
    with database.session() as db:
        initiative = Initiative(name=TYPED, website="https://example.org/?a=1&b=2")
        db.add(initiative)
        _add(db, initiative, TYPED, TYPED, description=TYPED)
    url = make_gateway(database_url=database.url)
    for params in ({}, {"plaats": TYPED}):
        page = client.get(f"{url}/kansen", params=params).text
        assert "<script>alert(" not in page
        assert "49" not in re.sub(r'id="kans-\d+"', "", page)
        assert f"<h3>{TYPED_ESCAPED}</h3>" in page
        assert f'<p class="description">{TYPED_ESCAPED}</p>' in page
        assert messages.WEB_LISTING_INITIATIVE.format(name=TYPED_ESCAPED) in page
        assert f">{TYPED_ESCAPED}</a></h2>" in page
        assert f'<option value="{TYPED_ESCAPED}"' in page
        assert 'href="https://example.org/?a=1&amp;b=2"' in page
