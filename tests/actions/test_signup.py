import pytest
from sqlalchemy import func, select

from actions.signup import ActionAskConsent, ActionAskOpportunityId, ActionSubmitSignup, ValidateSignupForm
from doemee.storage.models import Resident, SignUp
from doemee.outbox import plain_text
from tests.actions.conftest import make_tracker, run
from tests.domain.factories import make_opportunity
from tests.support.outbox import queued

FORM = ValidateSignupForm()


def _opportunity(database) -> int:
    with database.session() as session:
        return make_opportunity(session, title="Tuinieren", initiative="Buurttuin Oost", contact_email="tuin@example.org").id


def _ready(opportunity_id: int, consent=True, sender="resident-1") -> dict:
    return {
        "opportunity_id": str(opportunity_id), "opportunity_title": "Tuinieren", "initiative_name": "Buurttuin Oost",
        "first_name": "Sanne", "contact": "sanne@mail.nl", "contact_kind": "email", "consent": consent,
    }


async def test_the_sign_up_button_chooses_the_opportunity(app_db, domain):
    oid = _opportunity(app_db)
    outcome = await run(FORM, make_tracker(intent="sign_up", entities={"opportunity_id": str(oid)}), domain)
    assert outcome.slots["opportunity_id"] == str(oid)
    assert outcome.slots["initiative_name"] == "Buurttuin Oost"


async def test_the_first_one_picks_the_first_shown_result(app_db, domain):
    oid = _opportunity(app_db)
    tracker = make_tracker(text="de eerste graag", intent="sign_up", slots={"shown_ids": [oid, oid + 100]})
    assert (await run(FORM, tracker, domain)).slots["opportunity_id"] == str(oid)


async def test_a_closed_opportunity_cannot_be_chosen(app_db, domain):
    with app_db.session() as session:
        oid = make_opportunity(session, status="closed").id
    outcome = await run(FORM, make_tracker(intent="sign_up", entities={"opportunity_id": str(oid)}), domain)
    assert outcome.slots["opportunity_id"] is None
    assert "niet meer" in outcome.all_text


async def test_a_name_and_contact_are_checked_with_a_dutch_ask_back(app_db, domain):
    bad_name = await run(FORM, make_tracker(text="12345", requested_slot="first_name", active_loop="signup_form"), domain)
    assert bad_name.slots["first_name"] is None and "voornaam" in bad_name.all_text
    name = await run(FORM, make_tracker(text="ik heet sanne", requested_slot="first_name", active_loop="signup_form"), domain)
    assert name.slots["first_name"] == "Sanne"
    bad = await run(FORM, make_tracker(text="weet ik niet", requested_slot="contact", active_loop="signup_form"), domain)
    assert bad.slots["contact"] is None and "e-mailadres" in bad.all_text
    phone = await run(FORM, make_tracker(text="06-12345678", requested_slot="contact", active_loop="signup_form"), domain)
    assert (phone.slots["contact"], phone.slots["contact_kind"]) == ("0612345678", "phone")


async def test_an_email_address_answers_the_contact_question_even_when_nlu_guessed_a_greeting(app_db, domain):
    tracker = make_tracker(text="sanne@example.org", intent="greet", requested_slot="contact", active_loop="signup_form")
    outcome = await run(FORM, tracker, domain)
    assert (outcome.slots["contact"], outcome.slots["contact_kind"]) == ("sanne@example.org", "email")


async def test_a_privacy_question_is_not_taken_for_a_name(app_db, domain):
    tracker = make_tracker(text="privacy?", intent="ask_privacy", requested_slot="first_name", active_loop="signup_form")
    outcome = await run(FORM, tracker, domain)
    assert "first_name" not in outcome.slots and "voornaam" not in outcome.all_text


async def test_a_greeting_is_not_taken_for_a_contact(app_db, domain):
    tracker = make_tracker(text="hoi", intent="greet", requested_slot="contact", active_loop="signup_form")
    assert "contact" not in (await run(FORM, tracker, domain)).slots


async def test_yes_and_no_answer_the_consent_question(app_db, domain):
    yes = await run(FORM, make_tracker(text="ja", intent="affirm", requested_slot="consent", active_loop="signup_form"), domain)
    no = await run(FORM, make_tracker(text="nee", intent="deny", requested_slot="consent", active_loop="signup_form"), domain)
    assert (yes.slots["consent"], no.slots["consent"]) == (True, False)


async def test_the_consent_question_shows_exactly_what_is_shared_and_not_the_initiatives_contact(app_db, domain):
    outcome = await run(ActionAskConsent(), make_tracker(slots=_ready(1, consent=None)), domain)
    text = outcome.all_text
    assert "Buurttuin Oost" in text and "Sanne" in text and "sanne@mail.nl" in text
    assert "tuin@example.org" not in text
    assert [b["payload"] for b in outcome.buttons] == ["/affirm", "/deny"]


async def test_asking_which_opportunity_without_results_says_to_search_first(app_db, domain):
    outcome = await run(ActionAskOpportunityId(), make_tracker(), domain)
    assert "nog geen plekken" in outcome.all_text


async def test_consent_stores_the_sign_up_once_shows_the_contact_and_notifies_by_outbox(app_db, domain):
    oid = _opportunity(app_db)
    first = await run(ActionSubmitSignup(), make_tracker(slots=_ready(oid)), domain)
    again = await run(ActionSubmitSignup(), make_tracker(slots=_ready(oid)), domain)

    assert "Gelukt" in first.all_text and "tuin@example.org" in first.all_text
    assert "al aangemeld" in again.all_text
    with app_db.session() as session:
        rows = session.scalars(select(SignUp)).all()
        assert len(rows) == 1
        assert rows[0].notified_at is not None
        assert "Buurttuin Oost" in rows[0].consent_text and "Sanne" not in rows[0].consent_text
    [notice] = queued(app_db, "signup")
    assert notice.to_address == "tuin@example.org" and "Sanne" in plain_text(notice)
    assert first.slots == {"consent": None, "opportunity_id": None}


async def test_saying_no_to_sharing_stores_nothing(app_db, domain):
    oid = _opportunity(app_db)
    outcome = await run(ActionSubmitSignup(), make_tracker(slots=_ready(oid, consent=False)), domain)
    assert "niets" in outcome.all_text
    with app_db.session() as session:
        assert session.scalar(select(func.count()).select_from(SignUp)) == 0
        assert session.scalar(select(func.count()).select_from(Resident)) == 0


async def test_the_channels_own_word_keys_the_resident(app_db, domain):
    oid = _opportunity(app_db)
    tracker = make_tracker(slots=_ready(oid), sender="telegram:42", metadata={"channel": "telegram"})
    await run(ActionSubmitSignup(), tracker, domain)
    with app_db.session() as session:
        resident = session.scalars(select(Resident)).one()
    assert (resident.channel, resident.sender_id) == ("telegram", "telegram:42")


async def test_a_position_that_was_not_shown_picks_nothing(app_db, domain):
    oid = _opportunity(app_db)
    tracker = make_tracker(text="de tweede", intent="sign_up", slots={"shown_ids": [oid]})
    assert "opportunity_id" not in (await run(FORM, tracker, domain)).slots


def _asked(text: str, slot: str, intent: str = "inform", entities=None, slots=None, history=None):
    return make_tracker(text=text, intent=intent, entities=entities, requested_slot=slot, active_loop="signup_form",
                        slots={"shown_ids": [1, 2, 3], "opportunity_id": "1", "opportunity_title": "Tuinieren",
                               **(slots or {})}, history=history)


async def test_yes_or_a_sentence_at_the_name_question_is_no_name(app_db, domain):
    for text, intent in (("ja", "affirm"), ("iets anders", "change_search"),
                         ("ik zoek vrijwilligerswerk", "search_opportunities")):
        outcome = await run(FORM, _asked(text, "first_name", intent), domain)
        assert outcome.slots["first_name"] is None, text
        assert outcome.texts, text


async def test_a_sentence_that_asks_for_something_else_hears_what_the_sign_up_is_for(app_db, domain):
    outcome = await run(FORM, _asked("ik zoek vrijwilligerswerk", "first_name", "search_opportunities"), domain)
    assert "Tuinieren" in outcome.all_text and "stop" in outcome.all_text


async def test_a_place_alone_at_the_name_question_is_taken_for_the_place(app_db, domain):
    outcome = await run(FORM, _asked("Zwolle", "first_name", entities={"place": "Zwolle"}), domain)
    assert outcome.slots["first_name"] is None
    assert outcome.texts == ["Zwolle is een plaats. Heet je zo? Zeg dan: \"ik heet Zwolle\"."]
    named = await run(FORM, _asked("ik heet Ede", "first_name", entities={"place": "Ede"}), domain)
    assert named.slots["first_name"] == "Ede"


async def test_stopping_halfway_ends_the_sign_up_whatever_the_nlu_thought(app_db, domain):
    outcome = await run(FORM, _asked("laat maar, ik bedenk me", "first_name", "inform"), domain)
    assert outcome.slots["requested_slot"] is None and outcome.slots["first_name"] is None
    submitted = await run(ActionSubmitSignup(), make_tracker(slots={"opportunity_id": "1", "consent": None}), domain)
    assert [m.get("response") for m in submitted.messages] == ["utter_signup_stopped"]


async def test_no_email_address_at_the_contact_question_offers_the_phone_and_a_person(app_db, domain):
    for text, intent in (("heb ik niet", "deny"), ("ik heb geen e-mail", "deny")):
        outcome = await run(FORM, _asked(text, "contact", intent), domain)
        assert outcome.slots["contact"] is None, text
        assert "telefoonnummer is ook goed" in outcome.all_text and "mens" in outcome.all_text


async def test_no_email_address_said_twice_is_not_answered_the_same_way(app_db, domain):
    first = (await run(FORM, _asked("heb ik niet", "contact", "deny"), domain)).texts[0]
    history = [{"event": "user", "text": "heb ik niet"}, {"event": "bot", "text": first},
               {"event": "bot", "text": "Hoe kan het initiatief je bereiken?"}]
    again = await run(FORM, _asked("heb ik echt niet", "contact", "deny", history=history), domain)
    assert again.texts and again.texts[0] != first


async def test_more_info_while_consent_is_asked_shows_the_details_and_keeps_the_choice(app_db, domain):
    oid = _opportunity(app_db)
    tracker = _asked("vertel eens meer over de eerste", "consent", "more_info",
                     slots={**_ready(oid, consent=None), "shown_ids": [oid]})
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots == {"consent": None}
    assert "Van: Buurttuin Oost" in outcome.all_text and "Je meldt je nu aan voor \"Tuinieren\"" in outcome.all_text


async def test_the_consent_question_asked_again_says_where_the_sign_up_stands(app_db, domain):
    slots = _ready(1, consent=None)
    question = (await run(ActionAskConsent(), make_tracker(slots=slots), domain)).texts[-1]
    again = await run(ActionAskConsent(), make_tracker(slots=slots, history=[{"event": "bot", "text": question}]), domain)
    assert again.texts == ["Je meldt je nu aan voor \"Tuinieren\". Ik stuur pas iets door als jij ja zegt.", question]


async def test_signing_up_with_nothing_shown_starts_the_search_first(app_db, domain):
    tracker = make_tracker(text="ik wil me aanmelden", intent="sign_up", active_loop="signup_form")
    outcome = await run(FORM, tracker, domain)
    assert {"event": "followup", "timestamp": None, "name": "search_form"} in outcome.events
    assert outcome.slots["requested_slot"] is None
    assert "nog geen plekken gezien" in outcome.all_text


@pytest.mark.parametrize("intent, text", [
    ("human_handoff", "ik wil met een mens praten"), ("forget_me", "vergeet mij"),
    ("ask_privacy", "wat doen jullie met mijn gegevens?"), ("help", "help"),
])
async def test_with_nothing_shown_a_question_of_its_own_is_left_to_the_forms_rules(app_db, domain, intent, text):
    # After a stale "Aanmelden" button the form asks which place, among nothing; "vergeet mij" must still be heard.
    tracker = make_tracker(text=text, intent=intent, active_loop="signup_form", slots={"requested_slot": "opportunity_id"})
    outcome = await run(FORM, tracker, domain)
    assert outcome.events == [] and outcome.all_text == ""


async def test_with_nothing_shown_a_place_typed_after_the_question_starts_the_search(app_db, domain):
    tracker = make_tracker(text="ik woon in zwolle", intent="inform", active_loop="signup_form",
                           slots={"requested_slot": "opportunity_id"})
    outcome = await run(FORM, tracker, domain)
    assert {"event": "followup", "timestamp": None, "name": "search_form"} in outcome.events
