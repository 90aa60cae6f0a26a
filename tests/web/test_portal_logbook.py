"""Logboek and a listing's history over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from html import unescape

import pytest
from sqlalchemy import select

from doemee import audit
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.storage.models import AuditEvent, Initiative
from tests.web.test_portal import (  # noqa: F401  (fixtures)
    browsers,
    concept_in,
    gateway,
    mail_settings,
    member,
)

PAGE = "/portaal/logboek"
TICKED = [key for key, _ in text.CRITERIA]


def _approve(me, concept: int) -> None:
    page = f"/portaal/concepten/{concept}"
    assert me.post(f"{page}/goedkeuren", {"criterium": TICKED}, csrf_from=page).status_code == 303


def _rows(download) -> list[dict[str, str]]:
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert download.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))


def test_who_approved_this_is_answered_in_the_logbook_and_on_the_listing(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    member(database, mail_settings, "collega@example.org", "utrecht")
    concept = concept_in(database, "utrecht", "Voorlezen in de bieb")
    sanne, colleague = browsers(), browsers()
    sanne.login("sanne@example.org")
    _approve(sanne, concept)
    paused = sanne.post(f"/portaal/vacatures/{concept}/pauzeren", {}, csrf_from=f"/portaal/vacatures/{concept}")
    assert paused.status_code == 303
    colleague.login("collega@example.org")

    page = unescape(colleague.http.get(PAGE).text)
    assert page.index("Ingelogd") < page.index("Vacature gepauzeerd") < page.index("Oproep goedgekeurd") < page.rindex("Ingelogd")
    assert f'<a href="/portaal/vacatures/{concept}">Voorlezen in de bieb</a>' in page
    assert "sanne@example.org" in page and 'aria-current="page">Logboek' in page
    only_listings = unescape(colleague.http.get(PAGE, params={"wat": "vacatures"}).text)
    assert "Vacature gepauzeerd" in only_listings and "Ingelogd" not in only_listings
    assert text.audit_found(1) in only_listings

    listing = unescape(colleague.http.get(f"/portaal/vacatures/{concept}").text)
    history = listing[listing.index("Geschiedenis"):]
    assert history.index("Oproep goedgekeurd (sanne@example.org)") < history.index("Vacature gepauzeerd (sanne@example.org)")


def test_a_locked_account_shows_in_its_centres_logbook(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    member(database, mail_settings, "collega@example.org", "utrecht")
    colleague = browsers()
    colleague.login("collega@example.org")
    stranger = browsers()
    for _ in range(5):
        assert stranger.login("sanne@example.org", "fout fout fout").status_code == 401
    assert stranger.login("sanne@example.org").status_code == 429

    page = unescape(colleague.http.get(PAGE, params={"wat": "inloggen"}).text)
    rows = page[page.index("<tbody>"):].split("<tr>")[1:]
    failed = [row for row in rows if "Inloggen mislukt" in row]
    locked = [row for row in rows if "Inloggen geweigerd: tijdelijk op slot" in row]
    assert len(failed) == 5 and len(locked) == 1
    assert all("<td>sanne@example.org</td>" in row for row in failed + locked)


def test_a_member_never_sees_another_centres_rows_by_any_filter_or_download(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    secret = member(database, mail_settings, "geheim-lid@example.org", "amsterdam")
    other = concept_in(database, "amsterdam", "Geheime oproep van Amsterdam")
    theirs = browsers()
    theirs.login("geheim-lid@example.org")
    _approve(theirs, other)
    me = browsers()
    me.login("sanne@example.org")
    with database.session() as session:
        amsterdam = centre_for_slug(session, "amsterdam").id

    for params in ({}, {"centrum": str(amsterdam)}, {"wie": str(secret)}, {"wat": "concepten"},
                   {"centrum": "abc"}, {"wie": "-1"}, {"pagina": "99999999999"}):
        page = me.http.get(PAGE, params=params)
        assert page.status_code == 200, params
        assert "geheim-lid" not in page.text and "Geheime oproep" not in page.text, params
        rows = _rows(me.http.get(f"{PAGE}.csv", params=params))
        assert all(row["wie"] != "geheim-lid@example.org" for row in rows), params
        assert all(row["code"] != "concept.approved" for row in rows), params
    assert text.audit_found(0) in me.http.get(PAGE, params={"wie": str(secret)}).text


def test_an_admin_reads_every_centre_and_narrows_to_one(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    member(database, mail_settings, "piet@example.org", "amsterdam")
    piet = browsers()
    piet.login("piet@example.org")
    browsers().login("niemand@example.org", "fout fout fout")
    admin = browsers()
    admin.login("beheer@example.org")
    with database.session() as session:
        amsterdam = centre_for_slug(session, "amsterdam").id

    page = unescape(admin.http.get(PAGE).text)
    assert "piet@example.org" in page and text.AUDIT_NOBODY in page and "<th scope=\"col\">Centrum</th>" in page
    narrowed = unescape(admin.http.get(PAGE, params={"centrum": str(amsterdam)}).text)
    assert "piet@example.org" in narrowed and "beheer@example.org</td>" not in narrowed
    assert text.AUDIT_NOBODY not in narrowed


def test_the_download_follows_the_filter_escapes_formulas_and_is_audited(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "=1+2@example.org", "utrecht")
    concept = concept_in(database, "utrecht", "Voorlezen in de bieb")
    with database.session() as session:
        utrecht = centre_for_slug(session, "utrecht").id
        initiative_id = session.scalar(select(Initiative.id).limit(1))
        audit.record(session, "vacancy.paused", actor=f"initiative:{initiative_id}", centre_id=utrecht,
                     object_type="opportunity", object_id=concept)
    me = browsers()
    me.login("=1+2@example.org")

    everything = _rows(me.http.get(f"{PAGE}.csv"))
    assert list(everything[0]) == ["tijd", "centrum", "wie", "wat", "code", "onderwerp", "onderwerp_id"]
    login = next(row for row in everything if row["code"] == "staff.login")
    assert (login["wie"], login["wat"], login["centrum"]) == ("'=1+2@example.org", "Ingelogd", "Vrijwilligerscentrum Utrecht")
    by_initiative = next(row for row in everything if row["code"] == "vacancy.paused")
    assert by_initiative["wie"].startswith(text.AUDIT_BY_INITIATIVE)
    assert (by_initiative["onderwerp"], by_initiative["onderwerp_id"]) == ("Vacature", str(concept))
    logins = _rows(me.http.get(f"{PAGE}.csv", params={"wat": "inloggen"}))
    assert {row["code"] for row in logins} == {"staff.login", "staff.invite_accepted"}
    with database.session() as session:
        exported = session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.exported")).all()
        assert len(exported) == 2 and {row.centre_id for row in exported} == {utrecht}


@pytest.mark.parametrize("params", [
    {"van": "31-02-2026"}, {"van": "gisteren"}, {"van": "2026-12-05", "tot": "2026-12-01"}, {"tot": "٢٠٢٦-١٢-٠١"},
    {"van": "x" * 5000}, {"van": "0001-01-01"}, {"tot": "9999-12-31"}, {"wat": "'; DROP TABLE audit_event; --"}, {"wie": "1e9"}, {"centrum": "\x00"},
])
def test_odd_filters_get_a_dutch_answer_and_never_a_500(database, mail_settings, browsers, params):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    me = browsers()
    me.login("sanne@example.org")
    page = me.http.get(PAGE, params=params)
    assert page.status_code == 200
    if "van" in params or "tot" in params:
        assert text.AUDIT_BAD_DATE in unescape(page.text) or text.AUDIT_DATES_SWAPPED in unescape(page.text)
        assert me.http.get(f"{PAGE}.csv", params=params).headers["content-type"].startswith("text/html")
    else:
        assert text.audit_found(0) in page.text or "Ingelogd" in page.text


def test_a_typed_dutch_date_is_understood(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    me = browsers()
    me.login("sanne@example.org")
    with database.session() as session:
        moment = session.scalar(select(AuditEvent.at).where(AuditEvent.action == audit.LOGIN))
    from doemee.local_time import local

    day = local(moment).date()
    typed = f"{day.day}-{day.month}-{day.year}"
    found = unescape(me.http.get(PAGE, params={"van": typed, "tot": typed}).text)
    assert "Ingelogd" in found and text.AUDIT_BAD_DATE not in found
    before = day.replace(year=day.year - 1)
    empty = me.http.get(PAGE, params={"tot": before.isoformat()}).text
    assert text.AUDIT_EMPTY in empty


def test_pages_keep_the_filter(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    with database.session() as session:
        utrecht = centre_for_slug(session, "utrecht").id
        for _ in range(60):
            audit.record(session, audit.LOGIN_FAILED, centre_id=utrecht)
    me = browsers()
    me.login("sanne@example.org")

    first = unescape(me.http.get(PAGE, params={"wat": "inloggen"}).text)
    assert '<a href="/portaal/logboek?wat=inloggen&pagina=2" rel="next">' in first and 'rel="prev"' not in first
    second = unescape(me.http.get(PAGE, params={"wat": "inloggen", "pagina": "2"}).text)
    assert '<a href="/portaal/logboek?wat=inloggen&pagina=1" rel="prev">' in second and 'rel="next"' not in second
    # Newest first: the login and 49 of the 60 on page 1; the other 11 and the invitation's acceptance on page 2.
    assert second.count("Inloggen mislukt") == 11 and "Uitnodiging aangenomen" in second
