"""The initiative pages over real HTTP, on SQLite and PostgreSQL: the manage link and what it allows."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html import unescape

import pytest
from sqlalchemy import select

from doemee import followup, initiative_messages as text
from doemee.attribution import centre_for_slug
from doemee.initiative_links import manage_token
from doemee.outbox import plain_text
from doemee.residents import Contact
from doemee.signups import sign_up
from doemee.storage.models import AuditEvent, Initiative, Opportunity, OutboxMail, SignUp, SignUpStatus
from tests.domain.factories import make_opportunity
from tests.web.test_portal import CSRF, browsers, gateway, mail_settings, member  # noqa: F401  (fixtures)

LINK = re.compile(r"http://portaal\.test(/initiatief/beheer/\S+)")
EDIT = {
    "title": "Hulp in de moestuin", "description": "Samen wieden en oogsten op zaterdag.", "category": "groen",
    "postcode": "3511", "place": "", "time_commitment": "wekelijks", "day_parts": ["ochtend"], "remote": "nee",
    "contact_email": "tuin@example.org", "valid_until": "", "initiative_website": "",
}


def listing_of(database, initiative: str = "Buurttuin Oost", email: str = "tuin@example.org",
               centre: str = "utrecht", approved: bool = True, **values) -> tuple[int, int]:
    """(initiative id, listing id) of a new open listing."""
    with database.session() as session:
        opportunity = make_opportunity(session, initiative=initiative, contact_email=email, **values)
        opportunity.centre_id = centre_for_slug(session, centre).id
        if approved:
            opportunity.initiative.approved_at = datetime.now(timezone.utc) - timedelta(days=10)
        session.flush()
        return opportunity.initiative_id, opportunity.id


def signed_up(database, mail_settings, listing_id: int, name: str = "Sanne", sender: str = "7") -> int:  # noqa: F811
    with database.session() as session:
        return sign_up(session, "telegram", sender, listing_id, name, Contact("email", f"{name.lower()}@mail.nl"),
                       "ok", settings=mail_settings).sign_up_id


def link_of(database, mail_settings, initiative_id: int, issued: datetime | None = None) -> str:  # noqa: F811
    with database.session() as session:
        token = manage_token(session.get(Initiative, initiative_id), mail_settings, issued)
    return f"/initiatief/beheer/{token}"


def outbox(database, kind: str) -> list[str]:
    with database.session() as session:
        return [plain_text(row) for row in session.scalars(
            select(OutboxMail).where(OutboxMail.kind == kind).order_by(OutboxMail.id))]


def stored(database, model, row_id: int):
    with database.session() as session:
        row = session.get(model, row_id)
        session.expunge(row)
        return row


def without_tokens(page: str) -> str:
    return CSRF.sub("", page)


# --- asking for a link ----------------------------------------------------------------


def test_the_request_form_answers_the_same_for_any_address_and_mails_only_a_known_one(database, browsers):  # noqa: F811
    initiative_id, listing_id = listing_of(database)
    one = browsers()
    form = one.http.get("/initiatief")
    assert form.status_code == 200 and "Beheer je vacatures" in form.text and 'name="csrf_token"' in form.text
    known = one.post("/initiatief", {"email": "Tuin@Example.org"})
    unknown = one.post("/initiatief", {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert without_tokens(known.text) == without_tokens(unknown.text)
    assert text.REQUEST_ANSWER in unescape(known.text)
    mails = outbox(database, "initiative_link")
    assert len(mails) == 1
    page = one.http.get(LINK.search(mails[0]).group(1))
    assert page.status_code == 200 and "Tuinieren in de buurttuin" in page.text


def test_asking_too_often_is_refused_per_address_and_per_client(database, browsers):  # noqa: F811
    listing_of(database)
    one = browsers()
    answers = [one.post("/initiatief", {"email": "tuin@example.org"}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert len(outbox(database, "initiative_link")) == 1
    others = [one.post("/initiatief", {"email": f"iemand{n}@example.org"}).status_code for n in range(8)]
    assert others[-1] == 429 and text.REQUEST_TOO_OFTEN in unescape(
        one.post("/initiatief", {"email": "nog@example.org"}).text)


@pytest.mark.parametrize("email", ["", "   ", "geen adres", "ü" * 2000, "'; DROP TABLE initiative; --",
                                   "<script>alert(1)</script>@x.nl"])
def test_odd_addresses_get_a_dutch_answer_never_a_500(database, browsers, email):  # noqa: F811
    listing_of(database)
    answer = browsers().post("/initiatief", {"email": email})
    assert answer.status_code in (200, 400) and "<script>alert" not in answer.text
    assert outbox(database, "initiative_link") == []


def test_a_huge_body_gets_a_dutch_413(database, browsers):  # noqa: F811
    answer = browsers().post("/initiatief", {"email": "x" * 100_000})
    assert answer.status_code == 413 and text.TOO_LARGE in unescape(answer.text)


# --- links that do not work -------------------------------------------------------------


def test_expired_forged_altered_and_revoked_links_are_refused_in_dutch_with_a_way_to_ask_again(
    database, mail_settings, browsers,  # noqa: F811
):
    initiative_id, _ = listing_of(database)
    one = browsers()
    good = link_of(database, mail_settings, initiative_id)
    old = link_of(database, mail_settings, initiative_id, datetime.now(timezone.utc) - timedelta(days=15))
    expired = one.http.get(old)
    assert expired.status_code == 410 and text.LINK_EXPIRED in unescape(expired.text)
    for bad in (good[:-4] + "AAAA", good[:-20], "/initiatief/beheer/niet-echt", good.replace("beheer/", "beheer/x")):
        refused = one.http.get(bad)
        assert refused.status_code == 404, bad
        assert text.LINK_INVALID in unescape(refused.text) and 'action="/initiatief"' in refused.text
        assert 'name="email"' in refused.text and 'name="csrf_token"' in refused.text
    assert one.post(good + "/links-intrekken", {}, csrf_from=good).status_code == 200
    revoked = one.http.get(good)
    assert revoked.status_code == 410 and text.LINK_REVOKED in unescape(revoked.text)
    fresh = LINK.search(outbox(database, "initiative_link")[-1]).group(1)
    assert one.http.get(fresh).status_code == 200


def test_a_refused_link_cannot_change_anything(database, mail_settings, browsers):  # noqa: F811
    initiative_id, listing_id = listing_of(database)
    one = browsers()
    good = link_of(database, mail_settings, initiative_id)
    csrf = one.csrf(good)
    old = link_of(database, mail_settings, initiative_id, datetime.now(timezone.utc) - timedelta(days=15))
    answer = one.http.post(f"{old}/vacature/{listing_id}/sluiten", data={"csrf_token": csrf},
                           headers={"Origin": one.base})
    assert answer.status_code == 410
    assert stored(database, Opportunity, listing_id).status == "open"


# --- the overview and its buttons --------------------------------------------------------


def test_the_overview_shows_listings_with_their_sign_ups_and_the_buttons_work(database, mail_settings, browsers):  # noqa: F811
    initiative_id, listing_id = listing_of(database)
    sign_up_id = signed_up(database, mail_settings, listing_id)
    one = browsers()
    page_path = link_of(database, mail_settings, initiative_id)
    page = one.http.get(page_path)
    assert page.status_code == 200
    assert "Sanne" in page.text and "sanne@mail.nl" in page.text and "zonder einddatum" in page.text
    assert page.headers["referrer-policy"] == "same-origin" and page.headers["cache-control"] == "no-store"

    done = one.post(f"{page_path}/aanmelding/{sign_up_id}/contact", {}, csrf_from=page_path)
    assert done.status_code == 303 and done.headers["location"].startswith(page_path)
    assert text.DONE["contact"] in unescape(one.http.get(done.headers["location"]).text)
    assert stored(database, SignUp, sign_up_id).status is SignUpStatus.CONTACTED

    assert one.post(f"{page_path}/vacature/{listing_id}/pauzeren", {}, csrf_from=page_path).status_code == 303
    assert stored(database, Opportunity, listing_id).status == "paused"
    again = one.post(f"{page_path}/vacature/{listing_id}/pauzeren", {}, csrf_from=page_path)
    assert again.status_code == 409 and "al gepauzeerd" in unescape(again.text)
    assert one.post(f"{page_path}/vacature/{listing_id}/gevuld", {}, csrf_from=page_path).status_code == 303
    assert stored(database, Opportunity, listing_id).status == "filled"
    renewed = one.post(f"{page_path}/vacature/{listing_id}/verlengen", {"until": "2099-01-31"}, csrf_from=page_path)
    assert renewed.status_code == 303 and str(stored(database, Opportunity, listing_id).valid_until) == "2099-01-31"
    assert one.post(f"{page_path}/vacature/{listing_id}/sluiten", {}, csrf_from=page_path).status_code == 303
    assert stored(database, Opportunity, listing_id).status == "closed"

    with database.session() as session:
        events = session.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.staff_id)
                                 .order_by(AuditEvent.id)).all()
    who = f"initiative:{initiative_id}"
    assert events == [("signup.contacted", who, None), ("vacancy.paused", who, None), ("vacancy.filled", who, None),
                      ("vacancy.renewed", who, None), ("vacancy.closed", who, None)]


def test_another_initiatives_listing_or_sign_up_in_a_form_is_a_404_and_changes_nothing(
    database, mail_settings, browsers,  # noqa: F811
):
    mine, _ = listing_of(database, "Buurttuin Oost")
    _, theirs = listing_of(database, "Repair Café", "repair@example.org")
    their_sign_up = signed_up(database, mail_settings, theirs)
    one = browsers()
    page_path = link_of(database, mail_settings, mine)
    attempts = [
        ("post", f"/aanmelding/{their_sign_up}/contact"), ("post", f"/vacature/{theirs}/sluiten"),
        ("post", f"/vacature/{theirs}/verlengen"), ("get", f"/vacature/{theirs}/bewerken"),
        ("post", f"/vacature/{theirs}/bewerken"), ("post", "/vacature/99999999999999/sluiten"),
        ("post", "/vacature/-1/sluiten"), ("post", "/vacature/abc/pauzeren"), ("post", f"/vacature/{theirs}/wissen"),
        ("post", f"/aanmelding/{their_sign_up}/gewist"),
    ]
    for method, path in attempts:
        if method == "get":
            answer = one.http.get(page_path + path)
        else:
            answer = one.post(page_path + path, EDIT, csrf_from=page_path)
        assert answer.status_code == 404, path
        assert text.NOT_YOURS in unescape(answer.text), path
    assert stored(database, Opportunity, theirs).status == "open"
    assert stored(database, Opportunity, theirs).title == "Tuinieren in de buurttuin"
    assert stored(database, SignUp, their_sign_up).status is SignUpStatus.NEW


def test_a_post_without_or_with_a_forged_csrf_token_or_from_another_site_is_refused(
    database, mail_settings, browsers,  # noqa: F811
):
    initiative_id, listing_id = listing_of(database)
    one = browsers()
    page_path = link_of(database, mail_settings, initiative_id)
    target = f"{page_path}/vacature/{listing_id}/sluiten"
    good = one.csrf(page_path)
    stranger = browsers()
    assert one.http.post(target, data={}, headers={"Origin": one.base}).status_code == 403
    assert one.http.post(target, data={"csrf_token": good + "x"}, headers={"Origin": one.base}).status_code == 403
    assert one.http.post(target, data={"csrf_token": good}, headers={"Origin": "https://kwaad.example"}).status_code == 403
    assert stranger.http.post(target, data={"csrf_token": good}, headers={"Origin": one.base}).status_code == 403
    refused = one.http.post("/initiatief", data={"email": "tuin@example.org"}, headers={"Origin": one.base})
    assert refused.status_code == 403 and text.FORBIDDEN in unescape(refused.text)
    assert stored(database, Opportunity, listing_id).status == "open"
    assert outbox(database, "initiative_link") == []
    cookie = next(c for c in one.http.cookies.jar if c.name == "doemee_initiatief_formulier")
    assert cookie.path == "/initiatief"


# --- editing and new listings ------------------------------------------------------------


def test_an_approved_initiatives_edit_goes_live_and_a_new_ones_waits(database, mail_settings, browsers):  # noqa: F811
    approved, live = listing_of(database, "Buurttuin Oost")
    newcomer, waiting = listing_of(database, "Nieuw Initiatief", "nieuw@example.org", approved=False)
    one = browsers()
    for initiative_id, listing_id, status, notice in ((approved, live, "open", "opgeslagen"),
                                                       (newcomer, waiting, "concept", "opgeslagen-concept")):
        page_path = link_of(database, mail_settings, initiative_id)
        form = one.http.get(f"{page_path}/vacature/{listing_id}/bewerken")
        assert form.status_code == 200 and 'value="Tuinieren in de buurttuin"' in form.text
        saved = one.post(f"{page_path}/vacature/{listing_id}/bewerken", {**EDIT, "initiative_name": "Ander"},
                         csrf_from=page_path)
        assert saved.status_code == 303 and f"gedaan={notice}" in saved.headers["location"]
        row = stored(database, Opportunity, listing_id)
        assert (row.status, row.title, row.initiative_id) == (status, "Hulp in de moestuin", initiative_id)


def test_an_edit_with_problems_shows_them_beside_the_fields_and_keeps_the_text(database, mail_settings, browsers):  # noqa: F811
    initiative_id, listing_id = listing_of(database)
    one = browsers()
    page_path = link_of(database, mail_settings, initiative_id)
    bad = {**EDIT, "title": "", "postcode": "12", "description": "Ünïcødé 😀 <b>tekst</b>"}
    answer = one.post(f"{page_path}/vacature/{listing_id}/bewerken", bad, csrf_from=page_path)
    assert answer.status_code == 400 and text.LISTING_PROBLEMS in unescape(answer.text)
    assert 'aria-describedby="fout-title"' in answer.text and 'aria-describedby="fout-postcode"' in answer.text
    assert "Ünïcødé 😀 &lt;b&gt;tekst&lt;/b&gt;</textarea>" in answer.text
    assert stored(database, Opportunity, listing_id).title == "Tuinieren in de buurttuin"


def test_a_new_listing_waits_in_the_concepten_of_its_own_centre_only(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    member(database, mail_settings, "daan@example.org", "amsterdam")
    initiative_id, _ = listing_of(database)
    one = browsers()
    page_path = link_of(database, mail_settings, initiative_id)
    assert one.http.get(f"{page_path}/nieuw").status_code == 200
    made = one.post(f"{page_path}/nieuw", {**EDIT, "title": "Voorlezen in de bieb"}, csrf_from=f"{page_path}/nieuw")
    assert made.status_code == 303 and "gedaan=nieuw" in made.headers["location"]
    with database.session() as session:
        new = session.scalar(select(Opportunity).where(Opportunity.title == "Voorlezen in de bieb"))
        assert (new.status, new.initiative_id) == ("concept", initiative_id)
    utrecht, amsterdam = browsers(), browsers()
    assert utrecht.login("sanne@example.org").status_code == 303
    assert amsterdam.login("daan@example.org").status_code == 303
    assert "Voorlezen in de bieb" in utrecht.http.get("/portaal/concepten").text
    assert "Voorlezen in de bieb" not in amsterdam.http.get("/portaal/concepten").text
    staff_mails = outbox(database, "staff-concept")
    assert len(staff_mails) == 1 and f"/portaal/concepten/{new.id}" in staff_mails[0]


def test_a_sign_up_mail_holds_a_manage_link_that_opens_the_overview(database, mail_settings, browsers):  # noqa: F811
    _, listing_id = listing_of(database)
    signed_up(database, mail_settings, listing_id, name="Fatima")
    mail = outbox(database, "signup")[0]
    page = browsers().http.get(LINK.search(mail).group(1))
    assert page.status_code == 200 and "Fatima" in page.text and "fatima@mail.nl" in page.text


def test_the_initiative_marks_contact_from_the_mailed_link_and_only_the_other_sign_up_is_reminded(
    database, mail_settings, browsers,  # noqa: F811
):
    """Issue 18's first chain: sign-up, the mail's manage link, "contact opgenomen", no reminder at day 7."""
    _, listing_id = listing_of(database)
    answered = signed_up(database, mail_settings, listing_id, name="Fatima", sender="8")
    left_alone = signed_up(database, mail_settings, listing_id, name="Joris", sender="9")
    page_path = LINK.search(outbox(database, "signup")[0]).group(1)
    one = browsers()
    assert one.post(f"{page_path}/aanmelding/{answered}/contact", {}, csrf_from=page_path).status_code == 303

    week_later = datetime.now(timezone.utc) + timedelta(days=7, hours=1)
    assert followup.run_once(database, mail_settings, week_later).reminded == 1
    [reminder] = outbox(database, followup.REMINDER_KIND)
    assert "Joris" in reminder and "Fatima" not in reminder
    assert stored(database, SignUp, answered).status is SignUpStatus.CONTACTED
    assert stored(database, SignUp, left_alone).status is SignUpStatus.NEW
