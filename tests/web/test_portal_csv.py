"""The portal's CSV page over real HTTP, on SQLite and PostgreSQL: upload, its problems, replace and export."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from sqlalchemy import select

from bot.web.portal import exchange
from doemee import messages
from doemee import staff_messages as text
from doemee.attribution import centre_for_slug
from doemee.exchange.csv_format import COLUMNS
from doemee.storage.models import AuditEvent, Centre, Opportunity
from tests.cli.runner import row
from tests.domain.factories import make_opportunity
from tests.web.test_portal import browsers, gateway, mail_settings, member  # noqa: F401  (fixtures)


def csv_bytes(rows: list[dict[str, str]], columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(me, data: bytes | None, *, replace: bool = False, centre: str | None = None, token: str | None = None,
           filename: str = "vacatures.csv"):
    fields = {"csrf_token": token if token is not None else me.csrf("/portaal/csv")}
    if replace:
        fields["replace"] = "ja"
    if centre is not None:
        fields["centre"] = centre
    files = {"bestand": (filename, data, "text/csv")} if data is not None else {"leeg": ("", b"", "text/plain")}
    return me.http.post("/portaal/csv/inlezen", data=fields, files=files, headers={"Origin": me.base})


def stored(database) -> dict[tuple[str, str], str]:
    """(centre slug, external_id) -> title of every stored listing."""
    with database.session() as session:
        rows = session.execute(
            select(Centre.slug, Opportunity.external_id, Opportunity.title).join(Centre, Opportunity.centre_id == Centre.id)
        ).all()
    return {(slug, external_id): title for slug, external_id, title in rows}


def problem_rows(page: str) -> list[tuple[str, str, str]]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return [tuple(unescape(cell) for cell in found)
            for found in re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", body)]


def centre_id(database, slug: str) -> int:
    with database.session() as session:
        return centre_for_slug(session, slug).id


@pytest.fixture
def me(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    one = browsers()
    assert one.login("sanne@example.org").status_code == 303
    return one


def test_a_good_file_is_imported_into_the_members_centre_and_audited(database, me):
    page = me.http.get("/portaal/csv")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    assert '<select id="centre"' not in page.text
    answer = upload(me, csv_bytes([row("u1"), row("u2", title="Één keer per maand koken 😀")]))
    assert answer.status_code == 200, answer.text[:500]
    assert "2 nieuw, 0 bijgewerkt, 0 verwijderd" in answer.text and 'role="status"' in answer.text
    assert stored(database) == {("utrecht", "u1"): "Tuinier gezocht voor de buurttuin",
                                ("utrecht", "u2"): "Één keer per maand koken 😀"}
    again = upload(me, b"\xef\xbb\xbf" + csv_bytes([row("u1", title="Nieuwe titel")]))
    assert again.status_code == 200 and "0 nieuw, 1 bijgewerkt, 0 verwijderd" in again.text
    with database.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == exchange.IMPORTED)).all()
        utrecht = centre_for_slug(session, "utrecht").id
        assert [(e.centre_id, e.object_type, e.object_id) for e in events] == [(utrecht, "centre", utrecht)] * 2
        assert all(e.staff_id is not None for e in events)


def test_a_file_with_bad_rows_imports_nothing_and_shows_each_problem_with_line_column_and_reason(database, me):
    data = csv_bytes([row("u1"), row("u2", postcode="12"), row("u3"), row("u4", title="=HYPERLINK(\"http://x\")",
                                                                              contact_email="geen adres")])
    answer = upload(me, data)
    assert answer.status_code == 400
    assert messages.csv_rejected(3, 2) in unescape(answer.text)
    problems = problem_rows(answer.text)
    assert [(line, column) for line, column, _ in problems] == [("3", "postcode"), ("5", "title"), ("5", "contact_email")]
    assert problems[1][2] == messages.formula_like("=")
    assert "<th scope=\"col\">Regel</th>" in answer.text
    assert stored(database) == {}
    with database.session() as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == exchange.IMPORTED)) is None


def test_an_apostrophe_before_a_formula_character_imports_the_text_itself(database, me):
    answer = upload(me, csv_bytes([row("u1", title="'=1+1 is twee", description="'@iedereen welkom bij het werk")]))
    assert answer.status_code == 200
    assert stored(database) == {("utrecht", "u1"): "=1+1 is twee"}


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02\xff\xfe garbage",
    "external_id,title\nx,Café".encode("latin-1"),
    "external_id;initiative_name;title;description\n1;2;3;4".encode(),
    b"",
    b"   \n\n  ",
    b"\xff" * 5000,
    b"external_id,initiative_name,title\n\"unterminated," + b"a" * 300_000,
    "titel,omschrijving\nhallo,wereld".encode(),
    (",".join(COLUMNS) + "\n" + "x" * 200_000 + "\n").encode(),
    "\u202e\U0001f600\ud800".encode("utf-8", "surrogatepass"),
])
def test_garbage_gets_a_dutch_explanation_and_changes_nothing(database, me, data):
    answer = upload(me, data)
    assert answer.status_code == 400 and '<html lang="nl">' in answer.text
    assert 'class="error" role="alert"' in answer.text
    assert stored(database) == {}


def test_no_file_not_multipart_and_too_large_are_dutch_answers(database, me):
    nothing = upload(me, None)
    assert nothing.status_code == 400 and text.CSV_NO_FILE in nothing.text
    token = me.csrf("/portaal/csv")
    as_form = me.http.post("/portaal/csv/inlezen", data={"csrf_token": token}, headers={"Origin": me.base})
    assert as_form.status_code == 403 and text.FORBIDDEN in as_form.text
    big = upload(me, b"x" * (exchange.MAX_UPLOAD_BYTES + 1))
    assert big.status_code == 413 and text.csv_too_large(text.CSV_TOO_LARGE_MB) in big.text
    broken = me.http.post("/portaal/csv/inlezen", content=b"--abc\r\nnonsense", headers={
        "Origin": me.base, "Content-Type": "multipart/form-data; boundary=abc"})
    assert broken.status_code in (400, 403) and '<html lang="nl">' in broken.text
    assert me.http.get("/portaal/csv/inlezen").status_code == 303
    assert stored(database) == {}


def test_an_upload_without_a_good_token_from_another_site_or_without_a_session_is_refused(database, me, browsers):  # noqa: F811
    data = csv_bytes([row("u1")])
    assert upload(me, data, token="vervalst").status_code == 403
    token = me.csrf("/portaal/csv")
    other_site = me.http.post("/portaal/csv/inlezen", data={"csrf_token": token},
                              files={"bestand": ("a.csv", data, "text/csv")}, headers={"Origin": "https://evil.example"})
    assert other_site.status_code == 403
    stranger = browsers()
    anonymous = stranger.http.post("/portaal/csv/inlezen", data={"csrf_token": token},
                                   files={"bestand": ("a.csv", data, "text/csv")})
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/portaal"
    assert stored(database) == {}


@pytest.mark.parametrize("centre", ["amsterdam", "-1", "abc", "99999999999", "0"])
def test_a_member_cannot_import_into_or_export_another_centre(database, me, centre):
    chosen = str(centre_id(database, "amsterdam")) if centre == "amsterdam" else centre
    answer = upload(me, csv_bytes([row("a1")]), centre=chosen, replace=True)
    assert answer.status_code == 404 and text.NOT_FOUND in answer.text
    download = me.http.get("/portaal/csv/export", params={"centrum": chosen})
    assert download.status_code == 404 and text.NOT_FOUND in download.text
    assert stored(database) == {}


def test_replace_removes_only_this_centres_earlier_imports(database, me, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "anna@example.org", "amsterdam")
    anna = browsers()
    anna.login("anna@example.org")
    assert upload(anna, csv_bytes([row("u1", postcode="1011"), row("a2", postcode="1012")])).status_code == 200
    assert upload(me, csv_bytes([row("u1"), row("u2")])).status_code == 200
    with database.session() as session:
        typed_in = make_opportunity(session, title="Met de hand in het portaal")
        typed_in.source, typed_in.centre_id = "portal", centre_for_slug(session, "utrecht").id

    replaced = upload(me, csv_bytes([row("u1", title="Bijgewerkt")]), replace=True)
    assert replaced.status_code == 200 and "0 nieuw, 1 bijgewerkt, 1 verwijderd" in replaced.text
    listings = stored(database)
    assert {key for key in listings if key[0] == "amsterdam"} == {("amsterdam", "u1"), ("amsterdam", "a2")}
    assert listings[("utrecht", "u1")] == "Bijgewerkt" and ("utrecht", "u2") not in listings
    assert "Met de hand in het portaal" in listings.values()


def test_the_export_is_the_centres_open_listings_as_a_spreadsheet_safe_attachment(database, me):
    assert upload(me, csv_bytes([row("u1", title="'=SOM(A1)", description="'@gevaarlijk maar tekst hier"),
                                 row("u2", title="Één keer")])).status_code == 200
    with database.session() as session:
        closed = make_opportunity(session, title="Gesloten vacature", status="closed")
        closed.centre_id = centre_for_slug(session, "utrecht").id
        theirs = make_opportunity(session, title="Geheime vacature van Amsterdam")
        theirs.centre_id = centre_for_slug(session, "amsterdam").id

    download = me.http.get("/portaal/csv/export")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert re.fullmatch(r'attachment; filename="doemee-vacatures-utrecht-\d{4}-\d{2}-\d{2}\.csv"',
                        download.headers["content-disposition"])
    assert download.headers["cache-control"] == "no-store"
    assert download.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [(r["external_id"], r["title"]) for r in rows] == [("u1", "'=SOM(A1)"), ("u2", "Één keer")]
    assert rows[0]["description"] == "'@gevaarlijk maar tekst hier"
    for exported in rows:
        assert all(not value or value[0] not in "=+-@\t\r" for value in exported.values())
    assert "Geheime" not in download.text and "Gesloten" not in download.text
    with database.session() as session:
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == exchange.EXPORTED)) == exchange.EXPORTED

    again = upload(me, download.content, replace=True)
    assert again.status_code == 200 and "0 nieuw, 2 bijgewerkt, 0 verwijderd" in again.text


def test_an_admin_chooses_the_centre_to_import_into_and_to_download(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    admin = browsers()
    admin.login("beheer@example.org")
    page = admin.http.get("/portaal/csv").text
    amsterdam = centre_id(database, "amsterdam")
    assert '<select id="centre" name="centre"' in page and f"/portaal/csv/export?centrum={amsterdam}" in page
    unchosen = upload(admin, csv_bytes([row("a1", postcode="1011")]))
    assert unchosen.status_code == 400 and text.CSV_CHOOSE_CENTRE in unchosen.text
    chosen = upload(admin, csv_bytes([row("a1", postcode="1011")]), centre=str(amsterdam))
    assert chosen.status_code == 200
    assert stored(database) == {("amsterdam", "a1"): "Tuinier gezocht voor de buurttuin"}
    assert admin.http.get("/portaal/csv/export").status_code == 303
    download = admin.http.get("/portaal/csv/export", params={"centrum": amsterdam})
    assert download.status_code == 200 and "amsterdam" in download.headers["content-disposition"]
    assert "a1" in download.text
