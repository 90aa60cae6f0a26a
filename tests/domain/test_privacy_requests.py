"""Forgetting a resident by the contact they gave, as a centre does when someone asks by mail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from doemee import handoff, privacy_requests
from doemee import staff_messages as text
from doemee.alerts import AlertCriteria
from doemee.attribution import centre_for_slug
from doemee.email_alerts import request as ask_for_mail
from doemee.privacy_requests import ContactError, Found
from doemee.residents import Contact, get_or_create
from doemee.signups import sign_up
from doemee.storage.models import AlertSubscription, EmailAlert, HandoffRequest, Resident, SignUp
from tests.domain.factories import UTRECHT, make_opportunity

ANNA = Contact("email", "anna@example.org")


def _ids(db, *slugs: str) -> frozenset[int]:
    return frozenset(centre_for_slug(db, slug).id for slug in slugs)


def _anna_everywhere(db) -> None:
    """Anna signed up in Utrecht's widget, asked for mail alerts and left a question for Utrecht."""
    utrecht = centre_for_slug(db, "utrecht")
    opportunity = make_opportunity(db)
    sign_up(db, "web", "web-anna", opportunity.id, "Anna", Contact("email", "Anna@Example.org"), "ok", centre=utrecht)
    ask_for_mail(db, "web", "web-anna", AlertCriteria(*UTRECHT, pc4="3511", municipality_codes=("0344",)),
                 "anna@example.org", "ok")
    handoff.leave_question(db, utrecht, "Kan ik helpen?", ANNA, resident=get_or_create(db, "web", "web-anna"))


@pytest.mark.parametrize(("typed", "expected"), [
    ("  ANNA@example.org ", ANNA),
    ("Anna de Vries <anna@example.org>", ANNA),
    ("06 123 456 78", Contact("phone", "0612345678")),
    ("+31 6 12345678", Contact("phone", "0612345678")),
    ("0031 (0)6-1234 5678", Contact("phone", "0612345678")),
    ("０６１２３４５６７８", Contact("phone", "0612345678")),
])
def test_typed_contacts_are_read_as_the_chat_stores_them(typed, expected):
    assert privacy_requests.read_contact(typed) == expected


@pytest.mark.parametrize(("typed", "message"), [
    ("", text.PRIVACY_EMPTY),
    ("   \n ", text.PRIVACY_EMPTY),
    ("a" * 10_000, text.PRIVACY_TOO_LONG),
    ("anna@example.org, piet@example.org", text.PRIVACY_ONE_CONTACT),
    ("anna", text.PRIVACY_NOT_A_CONTACT),
    ("'; DROP TABLE resident; --", text.PRIVACY_NOT_A_CONTACT),
    ("\u202e\U0001f600\x00", text.PRIVACY_NOT_A_CONTACT),
    ("12345", text.PRIVACY_NOT_A_CONTACT),
])
def test_anything_else_gets_one_dutch_sentence(typed, message):
    with pytest.raises(ContactError) as raised:
        privacy_requests.read_contact(typed)
    assert raised.value.message == message


def test_the_preview_counts_everything_and_changes_nothing(db):
    _anna_everywhere(db)
    found = privacy_requests.preview(db, ANNA, _ids(db, "utrecht"))
    assert found == Found(residents=1, sign_ups=1, subscriptions=1, questions=1)
    assert db.scalar(select(func.count()).select_from(Resident)) == 1


def test_forgetting_by_address_is_as_complete_as_vergeet_mij(db):
    _anna_everywhere(db)
    opportunity = make_opportunity(db)
    sign_up(db, "web", "web-piet", opportunity.id, "Piet", Contact("phone", "0687654321"), "ok")

    found, residents, _ = privacy_requests.forget_contact(db, ANNA, _ids(db, "utrecht"))

    assert found == Found(residents=1, sign_ups=1, subscriptions=1, questions=1) and len(residents) == 1
    assert db.scalars(select(Resident.sender_id)).all() == ["web-piet"]
    assert db.scalar(select(func.count()).select_from(AlertSubscription)) == 0
    assert db.scalar(select(func.count()).select_from(EmailAlert)) == 0
    assert db.scalar(select(func.count()).select_from(HandoffRequest)) == 0
    blanked = db.scalars(select(SignUp).where(SignUp.resident_id.is_(None))).one()
    assert (blanked.first_name, blanked.contact) == (None, None)
    assert privacy_requests.preview(db, ANNA, None).empty


def test_a_phone_number_finds_the_resident_who_gave_it_in_a_question(db):
    utrecht = centre_for_slug(db, "utrecht")
    handoff.leave_question(db, utrecht, "Bel me maar", "06 123 456 78", resident=get_or_create(db, "web", "web-bel"))
    found, _, _ = privacy_requests.forget_contact(db, privacy_requests.read_contact("+31612345678"), _ids(db, "utrecht"))
    assert (found.residents, found.questions) == (1, 1)
    assert db.scalar(select(func.count()).select_from(Resident)) == 0


def test_a_question_without_a_resident_is_removed_by_its_contact(db):
    handoff.leave_question(db, centre_for_slug(db, "utrecht"), "Mail me", ANNA)
    found, residents, _ = privacy_requests.forget_contact(db, ANNA, _ids(db, "utrecht"))
    assert (found.questions, residents) == (1, [])
    assert db.scalar(select(func.count()).select_from(HandoffRequest)) == 0


def test_another_centres_member_finds_nothing_and_removes_nothing(db):
    _anna_everywhere(db)
    amsterdam = _ids(db, "amsterdam")
    assert privacy_requests.preview(db, ANNA, amsterdam).empty
    found, _, _ = privacy_requests.forget_contact(db, ANNA, amsterdam)
    assert found.empty
    assert db.scalar(select(func.count()).select_from(Resident)) == 1
    assert db.scalar(select(func.count()).select_from(HandoffRequest)) == 1


def test_an_alert_in_a_centres_region_makes_the_resident_known_to_that_centre(db):
    ask_for_mail(db, "web", "web-alert", AlertCriteria(*UTRECHT, pc4="3511", municipality_codes=("0344",)),
                 "anna@example.org", "ok")
    assert privacy_requests.preview(db, ANNA, _ids(db, "utrecht")).subscriptions == 1
    assert privacy_requests.preview(db, ANNA, _ids(db, "amsterdam")).empty


def test_an_admin_reaches_a_resident_no_centre_knows(db):
    ask_for_mail(db, "telegram", "42", AlertCriteria(*UTRECHT, pc4="3511"), "anna@example.org", "ok")
    assert privacy_requests.preview(db, ANNA, _ids(db, "utrecht", "amsterdam")).empty
    found, _, _ = privacy_requests.forget_contact(db, ANNA, None)
    assert (found.residents, found.subscriptions) == (1, 1)


def test_a_member_counts_only_their_own_centres_share_yet_everything_is_forgotten(db):
    _anna_everywhere(db)
    amsterdam = centre_for_slug(db, "amsterdam")
    handoff.leave_question(db, amsterdam, "Kan ik ook hier helpen?", ANNA, resident=get_or_create(db, "web", "web-anna"))
    sign_up(db, "web", "web-anna", make_opportunity(db).id, "Anna", ANNA, "ok", centre=amsterdam)

    assert privacy_requests.preview(db, ANNA, None) == Found(residents=1, sign_ups=2, subscriptions=1, questions=2)
    assert privacy_requests.preview(db, ANNA, _ids(db, "amsterdam")) == Found(1, 1, 0, 1)
    found, _, _ = privacy_requests.forget_contact(db, ANNA, _ids(db, "utrecht"))

    assert found == Found(residents=1, sign_ups=1, subscriptions=1, questions=1)
    assert db.scalar(select(func.count()).select_from(HandoffRequest)) == 0
    assert db.scalar(select(func.count()).select_from(SignUp).where(SignUp.contact.is_not(None))) == 0
    assert privacy_requests.preview(db, ANNA, None).empty
