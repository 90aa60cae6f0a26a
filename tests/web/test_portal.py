"""The staff portal over real HTTP, on SQLite and PostgreSQL: login, sessions, CSRF and centre isolation."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.web import portal
from doemee import audit, outbox, staff
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.settings import Settings
from doemee.storage.models import (
    AuditEvent,
    HandoffRequest,
    HandoffStatus,
    MailStatus,
    Opportunity,
    OutboxMail,
    SignUp,
    StaffMember,
    StaffSession,
)
from tests.cli.runner import doemee
from tests.domain.factories import make_opportunity
from tests.support.outbox import bodies, plain_mail

PASSWORD = "een lange zin als wachtwoord"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Portal:
    """One browser's worth of portal: its own cookies, forms filled the way a person would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=20, trust_env=False, follow_redirects=False)

    def csrf(self, path: str = "/portaal") -> str:
        page = self.http.get(path)
        found = CSRF.search(page.text)
        assert found, (path, page.status_code, page.text[:300])
        return found.group(1)

    def post(self, path: str, data: dict, csrf_from: str | None = None, **headers: str) -> httpx.Response:
        form = {"csrf_token": self.csrf(csrf_from or path), **data}
        return self.http.post(path, data=form, headers={"Origin": self.base, **headers})

    def login(self, address: str, password: str = PASSWORD) -> httpx.Response:
        return self.post("/portaal/inloggen", {"email": address, "password": password}, csrf_from="/portaal")

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def mail_settings(tmp_path) -> Settings:
    return Settings(secret_key="geheim" * 8, public_url="http://portaal.test")


@pytest.fixture
def gateway(make_gateway, database, mail_settings) -> str:
    return make_gateway(database_url=database.url, mail=mail_settings, email_alert_interval_seconds=0)


@pytest.fixture
def browsers(gateway):
    opened: list[Portal] = []

    def new() -> Portal:
        opened.append(Portal(gateway))
        return opened[-1]

    yield new
    for one in opened:
        one.close()


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def member(database, mail_settings, address: str = "sanne@example.org", centre: str = "utrecht",
           admin: bool = False) -> int:
    with database.session() as session:
        invitation = staff.invite(session, address, centre, admin, mail_settings)
        return staff.accept_invitation(session, invitation.link.rsplit("/", 1)[1], PASSWORD)


def concept_in(database, centre: str, title: str) -> int:
    with database.session() as session:
        opportunity = make_opportunity(session, status="concept", title=title, contact_email="tuin@example.org")
        opportunity.centre_id = centre_for_slug(session, centre).id
        return opportunity.id


def test_invited_by_the_command_line_a_member_sets_a_password_logs_in_sees_today_and_logs_out(
    database, browsers, tmp_path,
):
    invited = doemee(database.url, "staff", "add", "sanne@example.org", "--centre", "utrecht")
    assert invited.code == 0, invited.stderr
    link = next(line for line in invited.stdout.splitlines() if "/portaal/uitnodiging/" in line)
    concept_in(database, "utrecht", "Voorlezen op school")
    me = browsers()

    assert "Inloggen" in me.http.get("/portaal").text
    chosen = me.post(path_of(link), {"password": PASSWORD, "password_again": PASSWORD})
    assert (chosen.status_code, chosen.headers["location"]) == (303, "/portaal?melding=wachtwoord")
    assert text.PASSWORD_SET in me.http.get("/portaal?melding=wachtwoord").text

    logged_in = me.login("Sanne@Example.org")
    assert (logged_in.status_code, logged_in.headers["location"]) == (303, "/portaal/vandaag")
    assert me.http.get("/portaal").headers["location"] == "/portaal/vandaag"
    today = me.http.get("/portaal/vandaag")
    assert today.status_code == 200 and "Er wacht <strong>1 oproep</strong> op controle" in today.text
    assert today.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in today.headers["content-security-policy"]

    out = me.post("/portaal/uitloggen", {}, csrf_from="/portaal/vandaag")
    assert out.headers["location"] == "/portaal?melding=uit"
    assert me.http.get("/portaal/vandaag").headers["location"] == "/portaal"
    with database.session() as session:
        assert audit.actions_of(session) == [
            audit.INVITED, audit.INVITE_ACCEPTED, audit.LOGIN, audit.LOGOUT]
        assert session.scalar(select(StaffSession)) is None


def test_a_wrong_password_and_an_unknown_account_get_the_same_dutch_answer(database, mail_settings, browsers):
    member(database, mail_settings)
    me = browsers()
    wrong = me.login("sanne@example.org", "niet het wachtwoord")
    unknown = me.login("niemand@example.org", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert text.LOGIN_WRONG in wrong.text and text.LOGIN_WRONG in unknown.text
    assert "doemee_portaal=" not in wrong.headers.get("set-cookie", "")


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(database, mail_settings, browsers):
    member(database, mail_settings)
    me = browsers()
    for _ in range(5):
        assert me.login("sanne@example.org", "fout fout fout").status_code == 401
    locked = me.login("sanne@example.org")
    assert locked.status_code == 429 and text.LOGIN_LOCKED in locked.text
    assert "doemee_portaal=" not in locked.headers.get("set-cookie", "")


def test_five_failures_from_one_address_lock_that_address_whatever_the_account(database, mail_settings, browsers):
    member(database, mail_settings)
    me = browsers()
    for number in range(5):
        me.login(f"poging{number}@example.org", "fout fout fout")
    locked = me.login("sanne@example.org")
    assert locked.status_code == 429 and text.LOGIN_LOCKED in locked.text


def test_expired_used_and_forged_links_are_refused_in_dutch(database, mail_settings, browsers):
    with database.session() as session:
        old = staff.invite(session, "oud@example.org", "utrecht", False, mail_settings,
                           now=datetime.now(timezone.utc) - timedelta(days=8))
        fresh = staff.invite(session, "nieuw@example.org", "utrecht", False, mail_settings)
    me = browsers()
    expired = me.http.get(path_of(old.link))
    assert expired.status_code == 410 and text.TOKEN_EXPIRED in expired.text
    me.post(path_of(fresh.link), {"password": PASSWORD, "password_again": PASSWORD})
    used = me.http.get(path_of(fresh.link))
    assert used.status_code == 410 and text.TOKEN_USED in used.text
    for forged in ["abc", "-1", "x" * 5000, "%E2%82%AC" * 30, fresh.link.rsplit("/", 1)[1][:-2] + "AA"]:
        for path in (f"/portaal/uitnodiging/{forged}", f"/portaal/wachtwoord/{forged}"):
            page = me.http.get(path)
            assert page.status_code == 404 and text.TOKEN_INVALID in page.text, path


def test_a_password_reset_ends_the_sessions_that_were_open(database, mail_settings, browsers):
    member(database, mail_settings)
    laptop, phone = browsers(), browsers()
    assert laptop.login("sanne@example.org").status_code == 303
    asked = phone.post("/portaal/wachtwoord-vergeten", {"email": "sanne@example.org"})
    nobody = phone.post("/portaal/wachtwoord-vergeten", {"email": "niemand@example.org"})
    assert text.RESET_ANSWER in asked.text and text.RESET_ANSWER in nobody.text
    [body] = bodies(database, "staff-reset")
    link = next(line for line in body.splitlines() if "/portaal/wachtwoord/" in line)

    short = phone.post(path_of(link), {"password": "kort", "password_again": "kort"})
    assert short.status_code == 400 and "minstens 12 tekens" in short.text
    done = phone.post(path_of(link), {"password": "een nieuw lang wachtwoord", "password_again": "een nieuw lang wachtwoord"})
    assert done.status_code == 303
    assert laptop.http.get("/portaal/vandaag").headers["location"] == "/portaal"
    assert phone.login("sanne@example.org", "een nieuw lang wachtwoord").status_code == 303
    with database.session() as session:
        assert audit.PASSWORD_RESET in audit.actions_of(session)


def test_a_post_without_or_with_a_forged_csrf_token_or_from_another_site_is_a_dutch_403(
    database, mail_settings, browsers,
):
    member(database, mail_settings)
    me = browsers()
    me.login("sanne@example.org")
    good = me.csrf("/portaal/vandaag")
    attempts = [
        ({}, {}),
        ({"csrf_token": "vervalst"}, {}),
        ({"csrf_token": good}, {"Origin": "https://evil.example"}),
        ({"csrf_token": good}, {"Origin": "null"}),
        ({"csrf_token": good}, {"Referer": "https://evil.example/portaal"}),
    ]
    for data, headers in attempts:
        refused = me.http.post("/portaal/uitloggen", data=data, headers=headers)
        assert refused.status_code == 403 and text.FORBIDDEN in refused.text, (data, headers)
    assert me.http.get("/portaal/vandaag").status_code == 200  # still logged in

    stranger = browsers()
    for data in ({"email": "sanne@example.org", "password": PASSWORD},
                 {"email": "sanne@example.org", "password": PASSWORD, "csrf_token": "vervalst"}):
        assert stranger.http.post("/portaal/inloggen", data=data).status_code == 403
    token_without_its_cookie = browsers().csrf("/portaal")
    assert stranger.http.post("/portaal/inloggen", data={
        "email": "sanne@example.org", "password": PASSWORD, "csrf_token": token_without_its_cookie,
    }).status_code == 403


def test_every_portal_form_carries_a_csrf_token(database, mail_settings, browsers):
    member(database, mail_settings)
    concept = concept_in(database, "utrecht", "Voorlezen op school")
    me = browsers()
    for path in ("/portaal", "/portaal/wachtwoord-vergeten"):
        page = me.http.get(path).text
        assert page.count("<form") == len(CSRF.findall(page)) >= 1, path
    me.login("sanne@example.org")
    for path in ("/portaal/vandaag", "/portaal/concepten", f"/portaal/concepten/{concept}"):
        page = me.http.get(path).text
        assert page.count("<form") == len(CSRF.findall(page)) >= 1, path


def test_the_session_cookie_is_httponly_lax_scoped_to_the_portal_and_new_at_every_login(
    database, mail_settings, browsers,
):
    member(database, mail_settings)
    me = browsers()
    login_form = {"csrf_token": me.csrf("/portaal"), "email": "sanne@example.org", "password": PASSWORD}
    first = me.http.post("/portaal/inloggen", data=login_form).headers["set-cookie"]
    assert "HttpOnly" in first and "SameSite=lax" in first and "Path=/portaal" in first
    assert "Secure" not in first
    old_token = me.http.cookies["doemee_portaal"]
    second = me.http.post("/portaal/inloggen", data=login_form)
    assert me.http.cookies["doemee_portaal"] != old_token
    with database.session() as session:
        assert staff.session_for(session, old_token) is None
    assert second.status_code == 303


def test_behind_tls_the_cookies_are_secure(make_gateway, database, mail_settings):
    member(database, mail_settings)
    base = make_gateway(database_url=database.url, mail=mail_settings, email_alert_interval_seconds=0,
                        portal_secure_cookies=True)
    with httpx.Client(base_url=base, trust_env=False) as http:
        form_cookie = http.get("/portaal").headers["set-cookie"]
    assert "Secure" in form_cookie and "HttpOnly" in form_cookie


@pytest.mark.parametrize("body", [
    "email=&password=",
    "email=" + "%C3%BC" * 5000 + "&password=" + "%E2%80%AE%F0%9F%98%80" * 100,
    "email=sanne%40example.org%00&password=%ED%A0%80%FF",
    "email=sanne%40example.org&email=ander%40example.org&password[]=x&%%%=",
])
def test_odd_login_input_gets_a_dutch_answer_never_a_500(database, mail_settings, browsers, body):
    member(database, mail_settings)
    me = browsers()
    token = me.csrf()
    answer = me.http.post("/portaal/inloggen", content=f"csrf_token={token}&{body}".encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code in (400, 401) and '<html lang="nl">' in answer.text


def test_a_huge_or_unexpected_body_gets_a_dutch_answer(database, mail_settings, browsers):
    me = browsers()
    token = me.csrf()
    huge = me.http.post("/portaal/inloggen", data={"csrf_token": token, "email": "a" * 100_000, "password": "x"})
    assert huge.status_code == 413 and text.TOO_LARGE in huge.text
    as_json = me.http.post("/portaal/inloggen", json={"csrf_token": token})
    assert as_json.status_code == 403 and text.FORBIDDEN in as_json.text


# --- isolation: every registered route, centre A against centre B -------------------

POST_DATA = {
    "title": "Een andere titel", "description": "Een andere beschrijving van het werk.", "category": "groen",
    "time_commitment": "wekelijks", "reason": "Dit is betaald werk.",
}


def _staff_routes() -> list[tuple[str, str]]:
    """(method, path) of every registered portal route that is not a mailed link.

    A route with a parameter this test does not know fails here, so whoever
    adds it also teaches the isolation test what to put in it.
    """
    found = []
    for route in portal.routes():
        if "{token}" in route.path:
            continue
        assert set(re.findall(r"{(\w+)", route.path)) <= {"id"}, route.path
        for method in sorted(route.methods - {"HEAD"}):
            found.append((method, route.path))
    return found


def test_the_isolation_test_knows_the_concept_routes():
    paths = {path for _, path in _staff_routes()}
    assert {"/portaal/concepten/{id}", "/portaal/concepten/{id}/goedkeuren", "/portaal/concepten/{id}/afwijzen",
            "/portaal/concepten/{id}/bewerken", "/portaal/vandaag", "/portaal/concepten",
            "/portaal/hulpvragen", "/portaal/hulpvragen/{id}/afgehandeld", "/portaal/team",
            "/portaal/team/{id}/uitzetten", "/portaal/team/{id}/aanzetten", "/portaal/privacy",
            "/portaal/post", "/portaal/post/{id}", "/portaal/post/{id}/opnieuw"} <= paths


def question_in(database, centre: str, question: str) -> int:
    """A resident's open question for `centre`; its id is what /portaal/hulpvragen/{id} takes."""
    from doemee.handoff import leave_question

    with database.session() as session:
        centre_row = centre_for_slug(session, centre)
        return leave_question(session, centre_row, question, "inwoner@example.org").request_id


def failed_mail_in(database, centre: str, subject: str) -> int:
    """A mail of `centre` that could not be sent; its id is what /portaal/post/{id} takes."""
    with database.session() as session:
        row = outbox.queue(session, plain_mail("initiatief@example.org", subject), kind="moderation",
                           centre_id=centre_for_slug(session, centre).id)
        row.status, row.attempts, row.last_error = MailStatus.FAILED, 6, "SMTPConnectError"
        return row.id


def api_key_in(database, centre: str, name: str) -> int:
    """An API key of `centre`; its id is what /portaal/api/{id}/intrekken takes."""
    from doemee import api_keys

    with database.session() as session:
        centre_id = centre_for_slug(session, centre).id
        return api_keys.create(session, {centre_id}, centre_id, name, None).view.id


def unanswered_sign_up_in(database, centre: str, title: str) -> int:
    """A sign-up whose resident told `centre` nobody called; its id is what /portaal/vandaag/aanmeldingen/{id} takes."""
    from doemee.storage.models import FollowUpAnswer

    with database.session() as session:
        opportunity = make_opportunity(session, title=title)
        opportunity.centre_id = centre_for_slug(session, centre).id
        now = datetime.now(timezone.utc)
        row = SignUp(opportunity_id=opportunity.id, consent_text="ok", created_at=now - timedelta(days=11),
                     resident_asked_at=now, resident_answer=FollowUpAnswer.NO, answered_at=now)
        session.add(row)
        session.flush()
        return row.id


def test_a_member_of_centre_a_gets_404_for_everything_of_centre_b_and_sees_nothing_of_it(
    database, mail_settings, browsers,
):
    member(database, mail_settings, "a@example.org", "utrecht")
    own = concept_in(database, "utrecht", "Oproep van Utrecht")
    other = concept_in(database, "amsterdam", "Geheime oproep van Amsterdam")
    other_question = question_in(database, "amsterdam", "Geheime vraag aan Amsterdam")
    other_member = member(database, mail_settings, "geheim-lid@example.org", "amsterdam")
    other_mail = failed_mail_in(database, "amsterdam", "Geheime post")
    other_key = api_key_in(database, "amsterdam", "Geheime sleutel van Amsterdam")
    other_sign_up = unanswered_sign_up_in(database, "amsterdam", "Geheime aanmelding van Amsterdam")
    other_of = {"/portaal/hulpvragen/": other_question, "/portaal/team/": other_member, "/portaal/post/": other_mail,
                "/portaal/api/": other_key, "/portaal/vandaag/aanmeldingen/": other_sign_up}
    me = browsers()
    me.login("a@example.org")
    csrf = me.csrf("/portaal/vandaag")
    tried = 0
    for method, path in _staff_routes():
        if "{id}" not in path:
            if method == "GET":
                page = me.http.get(path)
                assert page.status_code in (200, 303) and "Geheime oproep" not in page.text, path
                assert "Geheime vraag" not in page.text and "geheim-lid" not in page.text, path
                assert "Geheime post" not in page.text and "Geheime sleutel" not in page.text, path
                assert "Geheime aanmelding" not in page.text, path
            continue
        target = next((found for prefix, found in other_of.items() if path.startswith(prefix)), other)
        url = path.replace("{id}", str(target))
        if method == "GET":
            answer = me.http.get(url)
        else:
            data = {**POST_DATA, "csrf_token": csrf, "criterium": [key for key, _ in text.CRITERIA]}
            answer = me.http.post(url, data=data, headers={"Origin": me.base})
        assert answer.status_code == 404 and text.NOT_FOUND in answer.text, (method, url)
        assert "Geheime oproep" not in answer.text
        tried += 1
    assert tried >= 4
    with database.session() as session:
        stored = session.get(Opportunity, other)
        assert (stored.status, stored.title) == ("concept", "Geheime oproep van Amsterdam")
        assert session.get(Opportunity, own).status == "concept"
        assert session.get(HandoffRequest, other_question).status is HandoffStatus.OPEN
        assert session.get(StaffMember, other_member).active
        assert session.get(OutboxMail, other_mail).status is MailStatus.FAILED
        assert session.get(SignUp, other_sign_up).centre_handled_at is None


def test_an_admin_sees_and_handles_the_concepts_of_every_centre(database, mail_settings, browsers):
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    concept_in(database, "utrecht", "Oproep van Utrecht")
    other = concept_in(database, "amsterdam", "Oproep van Amsterdam")
    me = browsers()
    me.login("beheer@example.org")
    listed = me.http.get("/portaal/concepten").text
    assert "Oproep van Utrecht" in listed and "Oproep van Amsterdam" in listed
    assert me.http.get(f"/portaal/concepten/{other}").status_code == 200
    ticked = [key for key, _ in text.CRITERIA]
    done = me.post(f"/portaal/concepten/{other}/goedkeuren", {"criterium": ticked}, csrf_from=f"/portaal/concepten/{other}")
    assert done.status_code == 303
    with database.session() as session:
        assert session.get(Opportunity, other).status == "open"


@pytest.mark.parametrize("forged", ["-1", "0", "abc", "9" * 40, "1.5", "%C2%B2", "%D9%A3"])
def test_forged_ids_get_a_dutch_404(database, mail_settings, browsers, forged):
    member(database, mail_settings)
    me = browsers()
    me.login("sanne@example.org")
    assert me.http.get(f"/portaal/concepten/{forged}").status_code == 404
    answer = me.post(f"/portaal/concepten/{forged}/afwijzen", {"reason": "nee"}, csrf_from="/portaal/vandaag")
    assert answer.status_code == 404 and text.NOT_FOUND in answer.text


# --- moderation in the portal -------------------------------------------------------

def test_approving_needs_the_whole_checklist_and_rejecting_needs_a_reason(database, mail_settings, browsers):
    member(database, mail_settings)
    concept = concept_in(database, "utrecht", "Voorlezen op school")
    me = browsers()
    me.login("sanne@example.org")
    page = f"/portaal/concepten/{concept}"
    half = me.post(f"{page}/goedkeuren", {"criterium": ["onbetaald"]}, csrf_from=page)
    assert half.status_code == 400 and text.CRITERIA_MISSING in half.text
    empty = me.post(f"{page}/afwijzen", {"reason": "   "}, csrf_from=page)
    assert empty.status_code == 400 and text.REASON_MISSING in empty.text

    rejected = me.post(f"{page}/afwijzen", {"reason": "Dit is betaald werk."}, csrf_from=page)
    assert rejected.headers["location"] == "/portaal/concepten?gedaan=afgewezen"
    [notice] = bodies(database, "moderation")
    assert "Dit is betaald werk." in notice
    again = me.post(f"{page}/goedkeuren", {}, csrf_from="/portaal/vandaag")
    assert again.status_code in (400, 409)
    with database.session() as session:
        assert audit.CONCEPT_REJECTED in audit.actions_of(session)
        rejected_event = session.scalar(select(AuditEvent).where(AuditEvent.action == audit.CONCEPT_REJECTED))
        assert (rejected_event.object_type, rejected_event.object_id) == ("opportunity", concept)


def test_a_moderator_edits_a_concept_before_approving_it(database, mail_settings, browsers):
    member(database, mail_settings)
    concept = concept_in(database, "utrecht", "Voorlezen")
    me = browsers()
    me.login("sanne@example.org")
    page = f"/portaal/concepten/{concept}"
    bad = me.post(f"{page}/bewerken", {"title": "x", "description": "kort", "category": "nee",
                                        "time_commitment": "soms"}, csrf_from=page)
    assert bad.status_code == 400 and text.TITLE_LENGTH in bad.text and text.UNKNOWN_CATEGORY in bad.text
    saved = me.post(f"{page}/bewerken", {"title": "Voorlezen op de basisschool",
                                          "description": "Lees een uur per week voor aan groep 3.",
                                          "category": "jeugd", "time_commitment": "wekelijks"}, csrf_from=page)
    assert saved.status_code == 303
    with database.session() as session:
        stored = session.get(Opportunity, concept)
        assert (stored.title, stored.category, stored.status) == ("Voorlezen op de basisschool", "jeugd", "concept")
        assert audit.CONCEPT_EDITED in audit.actions_of(session)


def test_the_portal_answers_in_dutch_when_the_database_is_gone(make_gateway, tmp_path):
    base = make_gateway(database_url=f"sqlite:///{tmp_path / 'missing' / 'no.db'}", email_alert_interval_seconds=0,
                        mail=Settings(secret_key="x" * 40))
    Path(tmp_path / "missing").mkdir(exist_ok=True)
    with httpx.Client(base_url=base, trust_env=False) as http:
        http.cookies.set("doemee_portaal", "iets", path="/portaal")
        answer = http.get("/portaal/vandaag")
    assert answer.status_code == 503 and text.BUSY in answer.text


@pytest.mark.parametrize("title", ["", "\x00\x00\x00\x00", "\u202e" * 5000, "\U0001f600 " * 10, "a\x0bb\x7fcdef"])
def test_odd_concept_edits_get_a_dutch_answer_never_a_500(database, mail_settings, browsers, title):
    member(database, mail_settings)
    concept = concept_in(database, "utrecht", "Voorlezen op school")
    me = browsers()
    me.login("sanne@example.org")
    page = f"/portaal/concepten/{concept}"
    answer = me.post(f"{page}/bewerken", {"title": title, "description": title * 3, "category": title,
                                          "time_commitment": "wekelijks"}, csrf_from=page)
    assert answer.status_code in (303, 400, 413)
    assert answer.status_code == 303 or '<html lang="nl">' in answer.text
    reject = me.post(f"{page}/afwijzen", {"reason": title}, csrf_from=page)
    assert reject.status_code in (303, 400)
