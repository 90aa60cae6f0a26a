"""Leaving a question for the centre in the chat: offer, question, contact, consent, store (issue 17)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from actions.conversation import ActionHandoff
from actions.handoff import (
    ActionAskQuestionConsent, ActionAskQuestionText, ActionSubmitQuestion, ValidateQuestionForm,
)
from actions.privacy import ActionForgetMe
from actions.questions import AskQuestionContact
from doemee import messages
from doemee.storage.models import Centre, HandoffRequest, Resident
from tests.actions.conftest import make_tracker, run
from tests.actions.test_search import _search_slots

WEB = {"channel": "web", "centre": "utrecht", "municipalities": []}
SENDER = "web-0123456789abcdef0123456789abcdef"


def _centre_name(database, slug: str) -> str:
    with database.session() as session:
        return session.scalar(select(Centre.name).where(Centre.slug == slug))


def _form(text: str, intent: str = "inform", asked: str | None = "question_text", slots: dict | None = None,
          metadata: dict | None = None):
    return make_tracker(
        text=text, intent=intent, requested_slot=asked, active_loop="question_form", sender=SENDER, channel="web",
        metadata=WEB if metadata is None else metadata, slots={"question_centre": "utrecht", **(slots or {})},
    )


def _stored(database) -> list[HandoffRequest]:
    with database.session() as session:
        return list(session.scalars(select(HandoffRequest)))


# --- the offer ------------------------------------------------------------------------------------


async def test_the_handoff_answer_offers_to_leave_a_question_for_the_widgets_centre(app_db, domain):
    outcome = await run(ActionHandoff(), make_tracker(intent="human_handoff", metadata=WEB), domain)
    assert messages.question_offer(_centre_name(app_db, "utrecht")) in outcome.texts
    assert outcome.buttons == [{"title": "Stel je vraag", "payload": "/affirm"}]


async def test_without_a_centre_or_inside_a_form_no_question_is_offered(app_db, domain):
    nowhere = await run(ActionHandoff(), make_tracker(intent="human_handoff", slots=_search_slots("9711")), domain)
    inside = await run(ActionHandoff(), make_tracker(intent="human_handoff", metadata=WEB, active_loop="signup_form",
                                                     requested_slot="consent"), domain)
    assert nowhere.buttons == [] and inside.buttons == []
    assert len(inside.texts) == 1


# --- the form -------------------------------------------------------------------------------------


async def test_the_form_starts_fresh_with_the_widgets_centre(app_db, domain):
    start = make_tracker(text="ja", intent="affirm", active_loop="question_form", metadata=WEB,
                         slots={"question_text": "oude vraag", "question_consent": True})
    outcome = await run(ValidateQuestionForm(), start, domain)
    assert outcome.slots == {"question_text": None, "question_contact": None, "question_contact_kind": None,
                             "question_consent": None, "question_centre": "utrecht"}


async def test_the_form_starts_with_the_centre_of_the_searched_region_when_no_widget_names_one(app_db, domain):
    start = make_tracker(text="ja", intent="affirm", active_loop="question_form", metadata={"channel": "telegram"},
                         slots=_search_slots("1012"))
    outcome = await run(ValidateQuestionForm(), start, domain)
    assert outcome.slots["question_centre"] == "amsterdam"


async def test_without_a_centre_the_form_ends_and_says_what_to_do(app_db, domain):
    start = make_tracker(text="ja", intent="affirm", active_loop="question_form", slots=_search_slots("9711"))
    outcome = await run(ValidateQuestionForm(), start, domain)
    assert outcome.slots["requested_slot"] is None and outcome.slots["question_centre"] is None
    submitted = await run(ActionSubmitQuestion(), make_tracker(), domain)
    assert submitted.texts == [messages.QUESTION_NO_CENTRE] and _stored(app_db) == []


@pytest.mark.parametrize("intent", ["inform", "nlu_fallback", "help", "out_of_scope", "search_opportunities",
                                    "human_handoff", "ask_paid"])
async def test_any_real_question_is_taken_whatever_the_nlu_guessed(app_db, domain, intent):
    outcome = await run(ValidateQuestionForm(),
                        _form("  Kan ik vrijwilligerswerk doen\n als ik een uitkering heb? ", intent), domain)
    assert outcome.slots["question_text"] == "Kan ik vrijwilligerswerk doen als ik een uitkering heb?"


async def test_a_bare_yes_is_no_question_and_the_question_is_asked_again(app_db, domain):
    outcome = await run(ValidateQuestionForm(), _form("ja", "affirm"), domain)
    assert outcome.slots == {"question_text": None}
    again = await run(ActionAskQuestionText(), _form(""), domain)
    assert again.texts == [messages.ASK_QUESTION_TEXT_AGAIN]
    first = await run(ActionAskQuestionText(), _form("", asked=None), domain)
    assert first.texts == [messages.ASK_QUESTION_TEXT]


@pytest.mark.parametrize("text", ["Sanne", "Zwolle", "3511", "anna@example.org", "06 12345678", "/inform"])
async def test_a_name_place_postcode_or_address_alone_is_no_question_yet(app_db, domain, text):
    outcome = await run(ValidateQuestionForm(), _form(text, "inform"), domain)
    assert outcome.slots == {"question_text": None}
    assert outcome.texts in ([messages.QUESTION_TOO_SHORT], [])


@pytest.mark.parametrize("intent", ["greet", "thank", "goodbye", "deny", "forget_me", "help"])
async def test_small_talk_while_asked_is_left_to_the_rules(app_db, domain, intent):
    outcome = await run(ValidateQuestionForm(), _form("nee dank je", intent), domain)
    assert "question_text" not in outcome.slots and outcome.texts == []


@pytest.mark.parametrize(("text", "reason"), [
    ("kan dat? " * 70, messages.QUESTION_TOO_LONG),
    ("hallo\x00daar, kan dat?", messages.QUESTION_BAD_CHARACTERS),
    ("abc \u202e dcba en nog wat", messages.QUESTION_BAD_CHARACTERS),
])
async def test_a_question_that_cannot_be_kept_is_refused_with_the_reason(app_db, domain, text, reason):
    outcome = await run(ValidateQuestionForm(), _form(text), domain)
    assert outcome.slots["question_text"] is None and outcome.texts == [reason]


@pytest.mark.parametrize("asked", ["question_text", "question_contact", "question_consent"])
async def test_a_stop_phrase_ends_the_form_at_every_question(app_db, domain, asked):
    outcome = await run(ValidateQuestionForm(), _form("laat maar, ik bedenk me", "inform", asked=asked), domain)
    assert outcome.slots == {asked: None, "requested_slot": None}
    stopped = await run(ActionSubmitQuestion(), make_tracker(slots={"question_centre": "utrecht"}), domain)
    assert [m.get("response") for m in stopped.messages] == ["utter_question_stopped"]
    assert _stored(app_db) == []


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("anna@Example.org", "email", "anna@example.org"),
    ("bel me maar op 06 123 456 78", "phone", "0612345678"),
])
async def test_an_email_address_or_phone_number_is_the_contact(app_db, domain, text, kind, value):
    outcome = await run(ValidateQuestionForm(), _form(text, "inform", asked="question_contact"), domain)
    assert (outcome.slots["question_contact"], outcome.slots["question_contact_kind"]) == (value, kind)


async def test_heb_ik_niet_is_explained_and_then_explained_again_differently(app_db, domain):
    first = await run(ValidateQuestionForm(), _form("heb ik niet", "deny", asked="question_contact"), domain)
    assert first.slots["question_contact"] is None and first.texts == [messages.question_contact_none("email")]
    history = [{"event": "bot", "text": messages.question_contact_none("email")}]
    tracker = make_tracker(text="heb ik niet", intent="deny", requested_slot="question_contact",
                           active_loop="question_form", slots={"question_centre": "utrecht"}, history=history)
    again = await run(ValidateQuestionForm(), tracker, domain)
    assert again.texts == [messages.QUESTION_CONTACT_NONE_AGAIN]


async def test_something_that_is_no_contact_is_asked_again(app_db, domain):
    outcome = await run(ValidateQuestionForm(), _form("dat weet ik niet", "inform", asked="question_contact"), domain)
    assert outcome.slots["question_contact"] is None and outcome.texts == [messages.QUESTION_CONTACT_INVALID]
    asked = await run(AskQuestionContact(), _form("", asked="question_contact"), domain)
    assert "heb ik niet" in asked.all_text


async def test_the_consent_shows_exactly_what_goes_to_which_centre(app_db, domain):
    slots = {"question_text": "Mag mijn hond mee?", "question_contact": "anna@example.org",
             "question_contact_kind": "email"}
    outcome = await run(ActionAskQuestionConsent(), _form("", asked="question_consent", slots=slots), domain)
    name = _centre_name(app_db, "utrecht")
    assert outcome.texts == [f"Ik stuur je vraag en je e-mailadres (anna@example.org) naar {name}. Is dat goed?"]
    assert [b["payload"] for b in outcome.buttons] == ["/affirm", "/deny"]


@pytest.mark.parametrize(("text", "intent", "consent"), [
    ("ja", "affirm", True), ("is goed", "inform", True), ("nee", "deny", False), ("liever niet", "inform", False),
])
async def test_yes_or_no_answers_the_consent(app_db, domain, text, intent, consent):
    outcome = await run(ValidateQuestionForm(), _form(text, intent, asked="question_consent"), domain)
    assert outcome.slots["question_consent"] is consent


async def test_anything_else_at_the_consent_asks_for_yes_or_no(app_db, domain):
    outcome = await run(ValidateQuestionForm(), _form("hmm misschien", "inform", asked="question_consent"), domain)
    assert outcome.slots == {"question_consent": None} and outcome.texts == [messages.QUESTION_ASK_YES_NO]


# --- storing --------------------------------------------------------------------------------------


def _ready(consent: bool | None = True, **extra) -> dict:
    return {"question_text": "Mag mijn hond mee?", "question_contact": "anna@example.org",
            "question_contact_kind": "email", "question_consent": consent, "question_centre": "utrecht", **extra}


async def test_a_yes_stores_the_question_for_the_centre_and_says_who_answers_and_how_soon(app_db, domain):
    tracker = make_tracker(text="ja", intent="affirm", slots=_ready(first_name="Anna"), sender=SENDER,
                           metadata=WEB, channel="web")
    outcome = await run(ActionSubmitQuestion(), tracker, domain)
    name = _centre_name(app_db, "utrecht")
    assert outcome.texts == [messages.question_stored(name, "binnen 2 werkdagen", "email")]
    assert all(value is None for value in outcome.slots.values())
    [stored] = _stored(app_db)
    assert (stored.question, stored.contact_kind, stored.contact_value, stored.first_name) == (
        "Mag mijn hond mee?", "email", "anna@example.org", "Anna")
    with app_db.session() as session:
        resident = session.get(Resident, stored.resident_id)
        assert (resident.channel, resident.sender_id) == ("web", SENDER)


async def test_a_no_stores_nothing(app_db, domain):
    outcome = await run(ActionSubmitQuestion(), make_tracker(text="nee", intent="deny", slots=_ready(False)), domain)
    assert outcome.texts == [messages.QUESTION_CANCELLED] and _stored(app_db) == []


async def test_a_forged_slot_gets_a_dutch_answer_and_nothing_is_stored(app_db, domain):
    forged = _ready(question_text="\x00" * 10, question_contact="geen adres")
    outcome = await run(ActionSubmitQuestion(), make_tracker(slots=forged), domain)
    assert len(outcome.texts) == 1 and outcome.texts[0] in (messages.QUESTION_BAD_CHARACTERS,
                                                           messages.QUESTION_NO_CONTACT)
    gone = await run(ActionSubmitQuestion(), make_tracker(slots=_ready(question_centre="bestaat-niet")), domain)
    assert gone.texts == [messages.QUESTION_NO_CENTRE] and _stored(app_db) == []


async def test_forget_me_in_the_chat_deletes_the_question(app_db, domain):
    await run(ActionSubmitQuestion(), make_tracker(slots=_ready(), sender=SENDER, channel="web"), domain)
    assert len(_stored(app_db)) == 1
    await run(ActionForgetMe(), make_tracker(intent="affirm", slots={"forget_confirmed": True}, sender=SENDER), domain)
    assert _stored(app_db) == []
    with app_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 0
