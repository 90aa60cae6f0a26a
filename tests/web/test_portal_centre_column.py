"""Lists with rows of several centres (an admin's) name each row's centre; a member's single centre is not repeated."""

from __future__ import annotations

from html import unescape

from doemee.attribution import centre_for_slug
from tests.domain.factories import make_opportunity
from tests.web.test_portal import browsers, concept_in, gateway, mail_settings, member  # noqa: F401  (fixtures)


def listing_in(database, centre: str, title: str) -> None:
    with database.session() as session:
        make_opportunity(session, title=title).centre_id = centre_for_slug(session, centre).id


def names(database) -> tuple[str, str]:
    with database.session() as session:
        return centre_for_slug(session, "utrecht").name, centre_for_slug(session, "amsterdam").name


def test_an_admin_sees_the_centre_of_every_concept_and_listing(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "beheer@example.org", "utrecht", admin=True)
    concept_in(database, "amsterdam", "Oproep van Amsterdam")
    listing_in(database, "amsterdam", "Vacature van Amsterdam")
    admin = browsers()
    admin.login("beheer@example.org")
    _, amsterdam = names(database)
    for path, title in (("/portaal/concepten", "Oproep van Amsterdam"), ("/portaal/vacatures", "Vacature van Amsterdam")):
        page = unescape(admin.http.get(path).text)
        row = page[page.index(title):]
        assert amsterdam in row[: row.index("</li>")], path


def test_a_member_of_one_centre_is_not_told_its_name_on_every_row(database, mail_settings, browsers):  # noqa: F811
    member(database, mail_settings, "sanne@example.org", "utrecht")
    concept_in(database, "utrecht", "Oproep van Utrecht")
    listing_in(database, "utrecht", "Vacature van Utrecht")
    me = browsers()
    me.login("sanne@example.org")
    utrecht, _ = names(database)
    for path, title in (("/portaal/concepten", "Oproep van Utrecht"), ("/portaal/vacatures", "Vacature van Utrecht")):
        page = unescape(me.http.get(path).text)
        row = page[page.index(title):]
        assert utrecht not in row[: row.index("</li>")], path
