"""A resident calls off a sign-up in the chat: only their own, after a clear yes, and the initiative is told."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from actions.withdraw import (
    ActionAskWithdrawConfirmed, ActionAskWithdrawId, ActionWithdrawSignup, ValidateWithdrawForm,
)
from doemee import messages
from doemee.outbox import plain_text
from doemee.residents import Contact
from doemee.signups import sign_up
from doemee.storage.models import SignUp, SignUpStatus
from tests.actions.conftest import make_tracker, run
from tests.actions.test_forged_payloads import BAD_VALUES
from tests.domain.factories import make_opportunity
from tests.support.outbox import queued

FORM = ValidateWithdrawForm()


def _signed_up(database, *titles: str, sender: str = "resident-1", channel: str = "rest") -> list[int]:
    ids = []
    with database.session() as session:
        for title in titles:
            opportunity = make_opportunity(session, title=title, initiative=f"Initiatief {title}",
                                           contact_email=f"{title.split()[0].lower()}@example.org")
            outcome = sign_up(session, channel, sender, opportunity.id, "Sanne", Contact("email", "sanne@mail.nl"),
                              "toestemming")
            ids.append(outcome.sign_up_id)
    return ids


def _status(database, sign_up_id: int) -> SignUpStatus:
    with database.session() as session:
        return session.scalars(select(SignUp.status).where(SignUp.id == sign_up_id)).one()


async def test_one_sign_up_is_picked_at_once_and_asked_about_with_yes_and_no(app_db, domain):
    [only] = _signed_up(app_db, "Taalmaatje")
    picked = await run(FORM, make_tracker(text="ik wil me afmelden", intent="withdraw_signup"), domain)
    assert picked.slots["withdraw_id"] == str(only)
    asked = await run(ActionAskWithdrawConfirmed(), make_tracker(slots={"withdraw_id": str(only)}), domain)
    assert "Taalmaatje" in asked.all_text
    assert [b["payload"] for b in asked.buttons] == ["/affirm", "/deny"]


async def test_a_typed_title_picks_one_of_several(app_db, domain):
    garden, language = _signed_up(app_db, "Moestuin helpen", "Taalmaatje worden")
    outcome = await run(FORM, make_tracker(text="ik kan toch niet bij de moestuin", intent="withdraw_signup"), domain)
    assert outcome.slots["withdraw_id"] == str(garden)


async def test_several_sign_ups_are_offered_as_buttons(app_db, domain):
    ids = _signed_up(app_db, "Moestuin helpen", "Taalmaatje worden")
    asked = await run(ActionAskWithdrawId(), make_tracker(requested_slot="withdraw_id"), domain)
    assert asked.texts == [messages.WITHDRAW_WHICH]
    assert sorted(b["payload"] for b in asked.buttons) == sorted(
        f'/withdraw_signup{{"signup_id": "{i}"}}' for i in ids
    )


async def test_someone_elses_or_a_made_up_id_gets_a_dutch_answer_and_nothing_changes(app_db, domain):
    [theirs] = _signed_up(app_db, "Taalmaatje", sender="someone-else")
    _signed_up(app_db, "Moestuin", "Voedselbank")
    for forged in (str(theirs), "999999", "-1", "1e3", "99999999999999999999"):
        tracker = make_tracker(intent="withdraw_signup", entities={"signup_id": forged}, requested_slot="withdraw_id")
        outcome = await run(FORM, tracker, domain)
        assert outcome.slots.get("withdraw_id") is None, forged
        assert messages.WITHDRAW_UNKNOWN in outcome.texts, forged
    done = await run(ActionWithdrawSignup(), make_tracker(slots={"withdraw_id": str(theirs), "withdraw_confirmed": True}),
                     domain)
    assert done.texts == [messages.WITHDRAW_GONE]
    assert _status(app_db, theirs) is SignUpStatus.NEW
    assert queued(app_db, "signup_withdrawn") == []


async def test_yes_withdraws_and_tells_the_initiative_by_mail(app_db, domain):
    [only] = _signed_up(app_db, "Taalmaatje")
    answer = await run(FORM, make_tracker(text="ja", intent="affirm", requested_slot="withdraw_confirmed",
                                          slots={"withdraw_id": str(only)}), domain)
    assert answer.slots["withdraw_confirmed"] is True
    done = await run(ActionWithdrawSignup(), make_tracker(slots={"withdraw_id": str(only), "withdraw_confirmed": True}),
                     domain)
    assert "Taalmaatje" in done.all_text and "gestopt" in done.all_text
    assert done.slots == {"withdraw_id": None, "withdraw_confirmed": None}
    assert _status(app_db, only) is SignUpStatus.WITHDRAWN
    [mail] = queued(app_db, "signup_withdrawn")
    assert mail.to_address == "taalmaatje@example.org" and "Sanne" in plain_text(mail)
    again = await run(ActionWithdrawSignup(), make_tracker(slots={"withdraw_id": str(only), "withdraw_confirmed": True}),
                      domain)
    assert again.texts == [messages.WITHDRAW_GONE] and len(queued(app_db, "signup_withdrawn")) == 1


async def test_no_keeps_the_sign_up(app_db, domain):
    [only] = _signed_up(app_db, "Taalmaatje")
    answer = await run(FORM, make_tracker(text="nee", intent="deny", requested_slot="withdraw_confirmed",
                                          slots={"withdraw_id": str(only)}), domain)
    assert answer.slots["withdraw_confirmed"] is False
    kept = await run(ActionWithdrawSignup(), make_tracker(slots={"withdraw_id": str(only), "withdraw_confirmed": False}),
                     domain)
    assert kept.texts == [messages.WITHDRAW_KEPT]
    assert _status(app_db, only) is SignUpStatus.NEW and queued(app_db, "signup_withdrawn") == []


async def test_without_sign_ups_the_form_asks_nothing_and_says_so_kindly(app_db, domain):
    outcome = await run(FORM, make_tracker(text="zeg mijn aanmelding maar af", intent="withdraw_signup"), domain)
    assert outcome.slots.get("requested_slot") is None and outcome.texts == []
    said = await run(ActionWithdrawSignup(), make_tracker(), domain)
    assert said.texts == [messages.WITHDRAW_NONE]


async def test_sign_ups_of_the_same_sender_on_another_channel_are_not_offered(app_db, domain):
    _signed_up(app_db, "Taalmaatje", sender="42", channel="telegram")
    asked = await run(ActionAskWithdrawId(), make_tracker(sender="42", requested_slot="withdraw_id"), domain)
    assert asked.buttons == []


async def test_no_while_asked_which_one_ends_the_form(app_db, domain):
    _signed_up(app_db, "Moestuin helpen", "Taalmaatje worden")
    outcome = await run(FORM, make_tracker(text="nee laat maar", intent="deny", requested_slot="withdraw_id"), domain)
    assert outcome.slots["withdraw_confirmed"] is False and outcome.slots["requested_slot"] is None


async def test_a_new_request_does_not_reuse_an_id_left_from_a_broken_off_one(app_db, domain):
    garden, language = _signed_up(app_db, "Moestuin helpen", "Taalmaatje worden")
    tracker = make_tracker(text="ik wil me afmelden voor het taalmaatje", intent="withdraw_signup",
                           slots={"withdraw_id": str(garden)})
    assert (await run(FORM, tracker, domain)).slots["withdraw_id"] == str(language)
    unclear = make_tracker(text="ik wil me afmelden", intent="withdraw_signup", slots={"withdraw_id": str(garden)})
    outcome = await run(FORM, unclear, domain)
    assert outcome.slots["withdraw_id"] is None and outcome.texts == []


@pytest.mark.parametrize("value", BAD_VALUES, ids=lambda v: v[:30])
async def test_no_forged_sign_up_id_makes_the_form_fail_or_echo_it(app_db, domain, value):
    own = [str(i) for i in _signed_up(app_db, "Moestuin helpen", "Taalmaatje worden")]
    payload = f'/withdraw_signup{{"signup_id": {value}}}'
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    items = parsed if isinstance(parsed, list) else [parsed]
    for requested in (None, "withdraw_id"):
        tracker = make_tracker(text=payload, intent="withdraw_signup", entities=[("signup_id", v) for v in items],
                               requested_slot=requested)
        outcome = await run(FORM, tracker, domain)
        assert messages.SORRY_TECHNICAL not in outcome.all_text
        assert outcome.slots.get("withdraw_id") in (None, *own)  # "1" may well be their own
        assert not re.search(r"[<>\x00-\x08\x1b\u202e]|None|xxxxx", outcome.all_text)
        json.dumps(outcome.events)


async def test_signing_up_again_after_calling_it_off_starts_afresh_and_tells_the_initiative(app_db, domain):
    [only] = _signed_up(app_db, "Taalmaatje")
    await run(ActionWithdrawSignup(), make_tracker(slots={"withdraw_id": str(only), "withdraw_confirmed": True}), domain)
    with app_db.session() as session:
        opportunity_id = session.get(SignUp, only).opportunity_id
        again = sign_up(session, "rest", "resident-1", opportunity_id, "Sanne", Contact("email", "sanne@mail.nl"),
                        "toestemming")
    assert again.sign_up_id == only and again.created
    assert _status(app_db, only) is SignUpStatus.NEW
    assert len(queued(app_db, "signup")) == 2
