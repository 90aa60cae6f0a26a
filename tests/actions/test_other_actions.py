from sqlalchemy import func, select

from actions.alerts import ActionSubscribeAlerts, ActionUnsubscribeAlerts
from actions.conversation import ActionFallback, ActionHandoff
from actions.need import ActionSubmitNeed, ValidateNeedForm
from actions.privacy import ActionForgetMe, ValidateForgetForm
from actions.search import ActionShowResults
from actions.signup import ActionSubmitSignup
from doemee.settings import get_settings
from doemee.storage.database import get_database
from doemee.storage.models import AlertSubscription, Opportunity, Resident, SignUp
from tests.actions.conftest import make_tracker, run
from tests.actions.test_search import _search_slots
from tests.domain.factories import make_opportunity

NEED = {
    "need_initiative": "Buurttuin Oost", "need_title": "Hulp in de moestuin",
    "need_description": "Samen wieden en oogsten, elke zaterdag.", "need_category": "groen",
    "need_postcode": "3511", "need_commitment": "wekelijks", "need_email": "tuin@example.org",
}


async def test_each_need_answer_is_checked_on_its_own(app_db, domain):
    form = ValidateNeedForm()
    bad = await run(form, make_tracker(text="12", requested_slot="need_postcode", active_loop="need_form"), domain)
    assert bad.slots["need_postcode"] is None and "postcode" in bad.all_text
    good = await run(form, make_tracker(text="tuinieren", requested_slot="need_category", active_loop="need_form"), domain)
    assert good.slots["need_category"] == "groen"
    help_asked = await run(form, make_tracker(text="help", intent="help", requested_slot="need_title", active_loop="need_form"), domain)
    assert "need_title" not in help_asked.slots


async def test_a_posted_need_is_stored_as_a_concept_from_the_chat(app_db, domain):
    outcome = await run(ActionSubmitNeed(), make_tracker(slots=NEED), domain)
    assert "vrijwilligerscentrum kijkt er eerst naar" in outcome.all_text
    with app_db.session() as session:
        stored = session.scalars(select(Opportunity)).one()
    assert (stored.status, stored.source, stored.title) == ("concept", "chat", "Hulp in de moestuin")
    assert all(value is None for value in outcome.slots.values())


async def test_subscribing_stores_the_current_search_once_and_unsubscribing_removes_it(app_db, domain):
    tracker = make_tracker(slots=_search_slots(interests=("groen",), times=("weekend",)), sender="telegram:7",
                           metadata={"channel": "telegram"})
    first = await run(ActionSubscribeAlerts(), tracker, domain)
    await run(ActionSubscribeAlerts(), tracker, domain)
    with app_db.session() as session:
        subscription = session.scalars(select(AlertSubscription)).one()
        assert (subscription.interests, subscription.times, subscription.pc4) == ("groen", "weekend", "3512")
    assert "bericht" in first.all_text
    stopped = await run(ActionUnsubscribeAlerts(), tracker, domain)
    assert "geen berichten meer" in stopped.all_text
    with app_db.session() as session:
        assert session.scalar(select(func.count()).select_from(AlertSubscription)) == 0


async def test_subscribing_before_any_search_asks_for_one(app_db, domain):
    outcome = await run(ActionSubscribeAlerts(), make_tracker(), domain)
    assert "Vertel eerst" in outcome.all_text


async def test_forget_me_deletes_the_resident_and_marks_the_conversation_for_deletion(app_db, domain):
    with app_db.session() as session:
        oid = make_opportunity(session).id
    slots = {"opportunity_id": str(oid), "opportunity_title": "T", "initiative_name": "I", "first_name": "Sanne",
             "contact": "sanne@mail.nl", "contact_kind": "email", "consent": True}
    await run(ActionSubmitSignup(), make_tracker(slots=slots, sender="s9"), domain)
    await run(ActionSubscribeAlerts(), make_tracker(slots=_search_slots(), sender="s9"), domain)

    outcome = await run(ActionForgetMe(), make_tracker(slots={"forget_confirmed": True}, sender="s9"), domain)

    assert outcome.slots["conversation_forgotten"] is True
    with app_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 0
        assert session.scalar(select(func.count()).select_from(AlertSubscription)) == 0
        row = session.scalars(select(SignUp)).one()
        assert (row.first_name, row.contact, row.resident_id) == (None, None, None)


async def test_forget_me_without_confirmation_deletes_nothing(app_db, domain):
    with app_db.session() as session:
        session.add(Resident(channel="rest", sender_id="s10"))
    outcome = await run(ActionForgetMe(), make_tracker(slots={"forget_confirmed": False}, sender="s10"), domain)
    assert "conversation_forgotten" not in outcome.slots
    assert "wis niets" in outcome.all_text
    with app_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 1


async def test_handoff_gives_the_contact_from_settings(app_db, domain, monkeypatch):
    monkeypatch.setenv("DOEMEE_HANDOFF_CONTACT", "het Steunpunt, 010 111 22 33")
    get_settings.cache_clear()
    outcome = await run(ActionHandoff(), make_tracker(intent="human_handoff"), domain)
    assert "het Steunpunt, 010 111 22 33" in outcome.all_text


async def test_the_fallback_asks_to_rephrase_first_and_offers_choices_the_second_time(app_db, domain):
    once = await run(ActionFallback(), make_tracker(text="fjdksl", intent="nlu_fallback"), domain)
    earlier = make_tracker(text="qqq", intent="nlu_fallback").events
    twice = await run(ActionFallback(), make_tracker(text="fjdksl", intent="nlu_fallback", history=earlier), domain)
    assert "anders zeggen" in once.all_text and not once.buttons
    assert [b["payload"] for b in twice.buttons] == ["/search_opportunities", "/help", "/human_handoff"]


async def test_a_database_that_is_down_gives_a_dutch_apology_and_writes_nothing(domain, monkeypatch):
    monkeypatch.setenv("DOEMEE_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    get_settings.cache_clear()
    get_database.cache_clear()
    try:
        results = await run(ActionShowResults(),
                            make_tracker(slots=_search_slots()), domain)
        signup = await run(ActionSubmitSignup(), make_tracker(slots={
            "opportunity_id": "1", "opportunity_title": "T", "initiative_name": "I", "first_name": "Sanne",
            "contact": "sanne@mail.nl", "contact_kind": "email", "consent": True}), domain)
    finally:
        get_settings.cache_clear()
        get_database.cache_clear()
    for outcome in (results, signup):
        assert outcome.texts == ["Sorry, er gaat bij mij nu iets mis. Er is niets opgeslagen. "
                                 "Probeer het over een paar minuten nog eens."]


async def test_every_form_question_is_asked_in_dutch_with_useful_buttons(app_db, domain):
    from actions.questions import QUESTIONS, AskQuestion

    asked = {cls.slot: cls for cls in AskQuestion.__subclasses__()}
    assert set(asked) == set(QUESTIONS)
    for slot, question in asked.items():
        outcome = await run(question(), make_tracker(), domain)
        assert outcome.texts[0].endswith(("?", ".")), slot
        assert f"action_ask_{slot}" in domain["actions"]
    interests = await run(asked["interests"](), make_tracker(), domain)
    assert interests.buttons[-1]["payload"] == "maakt niet uit"


async def test_a_yes_in_words_answers_the_forget_question_whatever_the_intent(app_db, domain):
    for text, intent, meant in (("ja wis maar alles", "forget_me", True), ("nee toch niet", "inform", False)):
        tracker = make_tracker(text=text, intent=intent, requested_slot="forget_confirmed", active_loop="forget_form")
        assert (await run(ValidateForgetForm(), tracker, domain)).slots["forget_confirmed"] is meant, text


async def test_forget_me_again_at_the_forget_question_is_asked_once_more_in_other_words(app_db, domain):
    tracker = make_tracker(text="vergeet mij", intent="forget_me", requested_slot="forget_confirmed",
                           active_loop="forget_form")
    outcome = await run(ValidateForgetForm(), tracker, domain)
    # A slot event keeps the form going (without one Rasa rejected it and nothing answered at all).
    assert outcome.slots == {"forget_confirmed": None}
    assert outcome.texts and "ja" in outcome.all_text
