"""Manage links and what an initiative does with one, on SQLite and PostgreSQL (via `db`)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from doemee import initiative_manage as manage
from doemee import vacancies
from doemee.attribution import centre_for_slug
from doemee.exchange.importer import import_items
from doemee.geo.index import get_geo_index
from doemee.initiative_links import (
    LINK_VALID,
    Access,
    Opened,
    link_for_notice,
    manage_token,
    open_link,
    request_manage_link,
    revoke,
)
from doemee.moderation import approve
from doemee.needs import NeedDraft, post_need
from doemee.opportunities import OpportunityInput
from doemee.outbox import plain_text
from doemee.residents import Contact
from doemee.settings import Settings
from doemee.signups import sign_up
from doemee.storage.models import (
    AuditEvent, Initiative, Opportunity, OutboxMail, SignUp, SignUpStatus, StaffMember,
)
from doemee.vacancies import VacancyForm
from tests.domain.factories import make_opportunity

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
TODAY = NOW.date()
SETTINGS = Settings(secret_key="sleutel" * 8, public_url="http://doemee.test")
LINK = re.compile(r"http://doemee\.test/initiatief/beheer/(\S+)")


def listing(db, initiative: str = "Buurttuin Oost", email: str = "tuin@example.org", approved: bool = True,
            **values) -> Opportunity:
    opportunity = make_opportunity(db, initiative=initiative, contact_email=email, **values)
    opportunity.centre_id = centre_for_slug(db, "utrecht").id
    if approved:
        opportunity.initiative.approved_at = NOW - timedelta(days=30)
    db.flush()
    return opportunity


def signed_up(db, opportunity: Opportunity, sender: str = "7", name: str = "Sanne") -> SignUp:
    outcome = sign_up(db, "telegram", sender, opportunity.id, name, Contact("email", f"{name.lower()}@mail.nl"),
                      "ok", now=NOW, settings=SETTINGS)
    return db.get(SignUp, outcome.sign_up_id)


def mails(db, kind: str) -> list[OutboxMail]:
    return list(db.scalars(select(OutboxMail).where(OutboxMail.kind == kind).order_by(OutboxMail.id)))


def staff_member(db, email: str, centre: str) -> None:
    db.add(StaffMember(email=email, centre_id=centre_for_slug(db, centre).id, password_hash="x", active=True))
    db.flush()


def form(**values) -> VacancyForm:
    base = dict(title="Hulp in de moestuin", description="Samen wieden en oogsten op zaterdag.", category="groen",
                postcode="3511", time_commitment="wekelijks", contact_email="tuin@example.org")
    return VacancyForm(**{**base, **values})


# --- tokens ------------------------------------------------------------------------


def test_a_link_works_for_fourteen_days_by_the_callers_clock(db):
    initiative = listing(db).initiative
    token = manage_token(initiative, SETTINGS, NOW)
    assert open_link(db, token, SETTINGS, NOW + LINK_VALID) == Opened(Access.OK, initiative.id)
    assert open_link(db, token, SETTINGS, NOW + LINK_VALID + timedelta(seconds=1)).access is Access.EXPIRED


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),  # altered signature
    lambda token: "x" + token[1:],  # altered payload
    lambda token: token[: len(token) // 2],  # cut off
    lambda token: "",
    lambda token: "é" * 300,
    lambda token: token + "." * 400,
])
def test_an_altered_or_cut_off_token_is_invalid(db, mangle):
    token = manage_token(listing(db).initiative, SETTINGS, NOW)
    assert open_link(db, mangle(token), SETTINGS, NOW).access is Access.INVALID


def test_a_token_signed_with_another_key_or_for_a_missing_initiative_is_invalid(db):
    initiative = listing(db).initiative
    forged = manage_token(initiative, Settings(secret_key="iemand anders" * 4), NOW)
    assert open_link(db, forged, SETTINGS, NOW).access is Access.INVALID
    ghost = Initiative(id=initiative.id + 1000, name="Bestaat niet", manage_nonce=initiative.manage_nonce)
    assert open_link(db, manage_token(ghost, SETTINGS, NOW), SETTINGS, NOW).access is Access.INVALID


def test_revoking_voids_older_links_and_mails_a_new_one(db):
    initiative = listing(db).initiative
    old = manage_token(initiative, SETTINGS, NOW)
    revoke(db, initiative.id, NOW, SETTINGS)
    assert open_link(db, old, SETTINGS, NOW).access is Access.REVOKED
    new = LINK.search(plain_text(mails(db, "initiative_link")[-1])).group(1)
    assert open_link(db, new, SETTINGS, NOW).initiative_id == initiative.id
    assert db.scalar(select(AuditEvent.actor).where(AuditEvent.action == "initiative.link_revoked")) == \
        f"initiative:{initiative.id}"


# --- asking for a link ----------------------------------------------------------------


def test_asking_mails_one_link_per_initiative_of_that_address_and_never_twice_in_a_row(db):
    first = listing(db, "Buurttuin Oost", "Tuin@Example.org").initiative
    second = listing(db, "Repair Café", "tuin@example.org").initiative
    listing(db, "Iemand anders", "ander@example.org")
    request_manage_link(db, "  TUIN@example.org ", NOW, SETTINGS)
    sent = mails(db, "initiative_link")
    assert sorted(m.to_address for m in sent) == ["tuin@example.org", "tuin@example.org"]
    opened = {open_link(db, LINK.search(plain_text(m)).group(1), SETTINGS, NOW).initiative_id for m in sent}
    assert opened == {first.id, second.id}
    request_manage_link(db, "tuin@example.org", NOW + timedelta(minutes=5), SETTINGS)
    assert len(mails(db, "initiative_link")) == 2
    request_manage_link(db, "tuin@example.org", NOW + timedelta(minutes=11), SETTINGS)
    assert len(mails(db, "initiative_link")) == 4


@pytest.mark.parametrize("address", ["onbekend@example.org", "", "geen adres", "x" * 5000, "a@b.c\x00", "ü@ü.nl"])
def test_asking_for_an_unknown_or_odd_address_mails_nothing_and_raises_nothing(db, address):
    listing(db)
    request_manage_link(db, address, NOW, SETTINGS)
    assert mails(db, "initiative_link") == []


# --- sign-up mails ------------------------------------------------------------------


def test_a_sign_up_mail_to_the_initiatives_own_address_carries_a_working_manage_link(db):
    opportunity = listing(db)
    signed_up(db, opportunity)
    body = plain_text(mails(db, "signup")[0])
    token = LINK.search(body).group(1)
    assert open_link(db, token, SETTINGS, NOW + timedelta(days=13)).initiative_id == opportunity.initiative_id


def test_a_sign_up_mail_to_another_address_gets_the_request_page_not_the_link(db):
    opportunity = listing(db)
    opportunity.contact_email = "collega@example.org"
    db.flush()
    link, personal = link_for_notice(db, opportunity.id, "collega@example.org", SETTINGS, NOW)
    assert (link, personal) == ("http://doemee.test/initiatief", False)
    signed_up(db, opportunity)
    body = plain_text(mails(db, "signup")[0])
    assert LINK.search(body) is None and "http://doemee.test/initiatief" in body


# --- sign-ups -----------------------------------------------------------------------


def test_marking_a_sign_up_stores_its_status_and_audits_the_initiative(db):
    opportunity = listing(db)
    row = signed_up(db, opportunity)
    assert row.status is SignUpStatus.NEW
    view = manage.mark_sign_up(db, opportunity.initiative_id, row.id, "contact", NOW)
    assert (view.status, view.status_label) == ("contacted", "Contact opgenomen")
    db.refresh(row)
    assert (row.status, row.status_changed_at.replace(tzinfo=timezone.utc)) == (SignUpStatus.CONTACTED, NOW)
    manage.mark_sign_up(db, opportunity.initiative_id, row.id, "gestart", NOW)
    manage.mark_sign_up(db, opportunity.initiative_id, row.id, "past-niet", NOW)
    db.refresh(row)
    assert row.status is SignUpStatus.NOT_SUITABLE
    events = db.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.object_id)
                        .where(AuditEvent.object_type == "sign_up").order_by(AuditEvent.id)).all()
    who = f"initiative:{opportunity.initiative_id}"
    assert events == [("signup.contacted", who, row.id), ("signup.started", who, row.id),
                      ("signup.not_suitable", who, row.id)]


def test_another_initiatives_sign_up_or_an_odd_word_is_not_found(db):
    mine, theirs = listing(db, "Buurttuin Oost"), listing(db, "Repair Café", "repair@example.org")
    row = signed_up(db, theirs)
    for sign_up_id, word in [(row.id, "contact"), (10**12, "contact"), ("1 OR 1=1", "contact"), (row.id, "gewist")]:
        with pytest.raises(manage.NotFound):
            manage.mark_sign_up(db, mine.initiative_id, sign_up_id, word, NOW)
    db.refresh(row)
    assert row.status is SignUpStatus.NEW


def test_a_withdrawn_sign_up_cannot_be_marked(db):
    opportunity = listing(db)
    row = signed_up(db, opportunity)
    row.status = SignUpStatus.WITHDRAWN
    db.flush()
    with pytest.raises(manage.ManageError) as refused:
        manage.mark_sign_up(db, opportunity.initiative_id, row.id, "gestart", NOW)
    assert "afgemeld" in refused.value.message


# --- listings -----------------------------------------------------------------------


def test_the_overview_shows_every_centre_and_only_this_initiative(db):
    here = listing(db, title="Tuin in Utrecht")
    there = make_opportunity(db, initiative="Buurttuin Oost", title="Tuin in Amsterdam")
    there.centre_id = centre_for_slug(db, "amsterdam").id
    listing(db, "Repair Café", "repair@example.org", title="Niet van ons")
    signed_up(db, here)
    found = manage.overview(db, here.initiative_id, TODAY)
    assert {item.vacancy.title: item.centre_name for item in found.listings} == {
        "Tuin in Utrecht": "Vrijwilligerscentrum Utrecht", "Tuin in Amsterdam": "Vrijwilligerscentrale Amsterdam",
    }
    shown = {item.vacancy.title: [(s.first_name, s.contact) for s in item.sign_ups] for item in found.listings}
    assert shown["Tuin in Utrecht"] == [("Sanne", "sanne@mail.nl")] and shown["Tuin in Amsterdam"] == []


def test_pause_resume_filled_close_and_renew_use_the_portals_rules(db):
    opportunity = listing(db)
    initiative = opportunity.initiative_id
    assert manage.switch(db, initiative, opportunity.id, "pauzeren", TODAY, NOW).status == "paused"
    assert manage.switch(db, initiative, opportunity.id, "hervatten", TODAY, NOW).status == "open"
    assert manage.switch(db, initiative, opportunity.id, "gevuld", TODAY, NOW).status == "filled"
    with pytest.raises(manage.ManageError):
        manage.switch(db, initiative, opportunity.id, "pauzeren", TODAY, NOW)
    assert manage.switch(db, initiative, opportunity.id, "sluiten", TODAY, NOW).status == "closed"
    renewed = manage.renew(db, initiative, opportunity.id, None, TODAY, NOW)
    assert (renewed.status, renewed.valid_until) == ("open", TODAY + timedelta(days=90))
    actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.actor == f"initiative:{initiative}")
                              .order_by(AuditEvent.id)))
    assert actions == ["vacancy.paused", "vacancy.resumed", "vacancy.filled", "vacancy.closed", "vacancy.renewed"]


def test_another_initiatives_listing_is_not_found_for_any_change(db):
    mine, theirs = listing(db, "Buurttuin Oost"), listing(db, "Repair Café", "repair@example.org")
    for change in (lambda: manage.switch(db, mine.initiative_id, theirs.id, "sluiten", TODAY, NOW),
                   lambda: manage.renew(db, mine.initiative_id, theirs.id, None, TODAY, NOW),
                   lambda: manage.edit(db, mine.initiative_id, theirs.id, form(), get_geo_index(), SETTINGS, TODAY),
                   lambda: manage.listing(db, mine.initiative_id, theirs.id)):
        with pytest.raises(manage.NotFound):
            change()
    db.refresh(theirs)
    assert theirs.status == "open"


def test_an_approved_initiatives_edit_is_live_at_once(db):
    opportunity = listing(db)
    saved = manage.edit(db, opportunity.initiative_id, opportunity.id,
                        form(title="Nieuwe titel", initiative_name="Gekaapt initiatief"),
                        get_geo_index(), SETTINGS, TODAY, NOW)
    assert saved.ok and (saved.vacancy.status, saved.vacancy.title, saved.vacancy.initiative) == (
        "open", "Nieuwe titel", "Buurttuin Oost")
    assert db.scalar(select(Initiative.id).where(Initiative.name == "Gekaapt initiatief")) is None


def test_an_unapproved_initiatives_edit_waits_for_moderation_and_the_centre_hears_of_it(db):
    staff_member(db, "sanne@centrum.example.org", "utrecht")
    opportunity = listing(db, approved=False)
    saved = manage.edit(db, opportunity.initiative_id, opportunity.id, form(title="Andere titel"),
                        get_geo_index(), SETTINGS, TODAY, NOW)
    assert saved.ok and saved.vacancy.status == "concept"
    assert [m.to_address for m in mails(db, "staff-concept")] == ["sanne@centrum.example.org"]


def test_an_approved_initiatives_edit_does_not_bother_the_centre(db):
    staff_member(db, "sanne@centrum.example.org", "utrecht")
    opportunity = listing(db)
    manage.edit(db, opportunity.initiative_id, opportunity.id, form(), get_geo_index(), SETTINGS, TODAY, NOW)
    assert mails(db, "staff-concept") == []


def test_an_edit_with_problems_changes_nothing(db):
    opportunity = listing(db)
    saved = manage.edit(db, opportunity.initiative_id, opportunity.id, form(title="", postcode="12"),
                        get_geo_index(), SETTINGS, TODAY, NOW)
    assert not saved.ok and {p.field for p in saved.problems} >= {"title", "postcode"}
    db.refresh(opportunity)
    assert opportunity.title == "Tuinieren in de buurttuin"


def test_a_new_listing_is_a_concept_in_the_centre_of_its_postcode(db):
    staff_member(db, "sanne@centrum.example.org", "utrecht")
    staff_member(db, "daan@centrale.example.org", "amsterdam")
    opportunity = listing(db)
    saved = manage.create(db, opportunity.initiative_id, form(postcode="1012"), get_geo_index(), SETTINGS, TODAY, NOW)
    assert saved.ok
    stored = db.get(Opportunity, saved.vacancy.id)
    assert (stored.status, stored.source, stored.centre_id, stored.initiative_id) == (
        "concept", "initiatief", centre_for_slug(db, "amsterdam").id, opportunity.initiative_id)
    assert [m.centre_id for m in mails(db, "staff-concept")] == [centre_for_slug(db, "amsterdam").id]
    with pytest.raises(manage.ManageError):
        manage.renew(db, opportunity.initiative_id, stored.id, None, TODAY, NOW)


# --- approval -----------------------------------------------------------------------


def test_approving_a_concept_or_importing_approves_the_initiative(db):
    posted = post_need(db, get_geo_index(), NeedDraft("Nieuw Initiatief", "Hulp in de tuin",
                                                       "Samen wieden en oogsten op zaterdag.", "groen", "3511",
                                                       "wekelijks", "nieuw@example.org"), SETTINGS)
    initiative = db.get(Opportunity, posted.opportunity_id).initiative
    assert initiative.approved_at is None
    approve(db, posted.opportunity_id, NOW)
    assert initiative.approved_at is not None

    import_items(db, get_geo_index(), [OpportunityInput(
        external_id="x1", initiative_name="Uit De CSV", title="Koken", description="Samen koken voor de buurt.",
        category="voedsel", postcode="3511", time_commitment="wekelijks", contact_email="csv@example.org",
        valid_until=date(2030, 1, 1))], centre=centre_for_slug(db, "utrecht"))
    imported = db.scalar(select(Initiative).where(Initiative.name == "Uit De CSV"))
    assert imported.approved_at is not None

    utrecht = centre_for_slug(db, "utrecht").id
    by_staff = vacancies.create(db, [utrecht], form(initiative_name="Door Het Centrum"), get_geo_index(), today=TODAY)
    assert db.get(Opportunity, by_staff.vacancy.id).initiative.approved_at is not None


def test_a_new_listing_of_an_unapproved_initiative_leaves_it_unapproved(db):
    opportunity = listing(db, approved=False, status="concept")
    manage.create(db, opportunity.initiative_id, form(), get_geo_index(), SETTINGS, TODAY, NOW)
    manage.edit(db, opportunity.initiative_id, opportunity.id, form(), get_geo_index(), SETTINGS, TODAY, NOW)
    db.refresh(opportunity.initiative)
    assert opportunity.initiative.approved_at is None
