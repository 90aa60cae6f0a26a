"""`manage_link_form`: the initiative's address is asked in the chat, the link only ever goes by mail."""

from __future__ import annotations

from actions.manage_link_form import ActionAskManageEmail, ActionSendManageLink, ValidateManageLinkForm
from doemee import initiative_messages as text
from tests.actions.conftest import make_tracker, run
from tests.domain.factories import make_opportunity
from tests.support.outbox import queued

FORM = ValidateManageLinkForm()


def _initiative(database) -> None:
    with database.session() as session:
        make_opportunity(session, initiative="Buurttuin Oost", contact_email="tuin@example.org")


async def test_an_address_typed_with_the_request_fills_the_form_at_once(app_db, domain):
    outcome = await run(FORM, make_tracker(text="ik wil mijn vacature aanpassen, Tuin@Example.org", intent="manage_listing"),
                        domain)
    assert outcome.slots["manage_email"] == "tuin@example.org"


async def test_a_request_without_an_address_asks_for_it(app_db, domain):
    outcome = await run(FORM, make_tracker(text="hoe kan ik onze vacature pauzeren", intent="manage_listing"), domain)
    assert "manage_email" not in outcome.slots
    asked = await run(ActionAskManageEmail(), make_tracker(requested_slot="manage_email"), domain)
    assert asked.texts == [text.REQUEST_ASK_EMAIL_CHAT]


async def test_a_wrong_address_is_asked_again_and_a_question_is_no_answer(app_db, domain):
    wrong = await run(FORM, make_tracker(text="tuin at example", requested_slot="manage_email"), domain)
    assert wrong.slots["manage_email"] is None and wrong.texts == [text.REQUEST_BAD_EMAIL_CHAT]
    help_asked = await run(FORM, make_tracker(text="hoe werkt dit?", intent="help", requested_slot="manage_email"), domain)
    assert "manage_email" not in help_asked.slots and help_asked.texts == []


async def test_a_known_and_an_unknown_address_get_the_same_answer_and_only_the_known_one_a_mail(app_db, domain):
    _initiative(app_db)
    known = await run(ActionSendManageLink(), make_tracker(slots={"manage_email": "tuin@example.org"}), domain)
    unknown = await run(ActionSendManageLink(), make_tracker(slots={"manage_email": "niemand@example.org"}), domain)
    assert known.texts == unknown.texts == [text.REQUEST_ANSWER_CHAT]
    assert "/initiatief/beheer/" not in known.all_text
    assert known.slots == unknown.slots == {"manage_email": None}
    assert [m.to_address for m in queued(app_db, "initiative_link")] == ["tuin@example.org"]
