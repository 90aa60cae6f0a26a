"""Forms that survive off-script answers: a value for another field, a whole need in one
message, a question in the middle of a form, a greeting with a question, and a place
question answered with something else (issue 16)."""

from __future__ import annotations

import pytest

from actions.conversation import ActionFallback
from actions.need import ActionAskNeedConfirmed, ValidateNeedForm
from actions.search import ValidateSearchForm
from actions.signup import ValidateSignupForm
from doemee import messages
from tests.actions.conftest import make_tracker, run
from tests.actions.test_other_actions import NEED

NEED_FORM = ValidateNeedForm()
SEARCH_FORM = ValidateSearchForm()
REPAIR_CAFE = ("Wij zijn Repair Café Houten en zoeken iemand die op zaterdag kapotte fietsen wil repareren, "
               "in 3991, mail naar info@repaircafehouten.nl")


def _need_answer(text: str, asked: str, intent: str = "inform", **slots) -> dict:
    return dict(text=text, intent=intent, requested_slot=asked, active_loop="need_form", slots=slots)


# --- answers typed into the wrong field ---------------------------------------------------

async def test_an_email_address_is_no_description_and_is_kept_for_the_email_question(app_db, domain):
    outcome = await run(NEED_FORM, make_tracker(**_need_answer("info@buurttuin.nl", "need_description")), domain)
    assert outcome.slots["need_description"] is None
    assert outcome.slots["need_email"] == "info@buurttuin.nl"
    assert "e-mailadres" in outcome.all_text and "bewaar" in outcome.all_text


async def test_an_email_address_as_description_does_not_replace_the_address_already_given(app_db, domain):
    tracker = make_tracker(**_need_answer("ander@buurttuin.nl", "need_description", need_email="tuin@example.org"))
    outcome = await run(NEED_FORM, tracker, domain)
    assert outcome.slots["need_description"] is None
    assert "need_email" not in outcome.slots
    assert "e-mailadres" in outcome.all_text and "bewaar" not in outcome.all_text


async def test_a_postcode_typed_as_description_is_noticed_and_used_for_the_postcode(app_db, domain):
    outcome = await run(NEED_FORM, make_tracker(**_need_answer("3991", "need_description")), domain)
    assert outcome.slots["need_description"] is None
    assert outcome.slots["need_postcode"] == "3991"
    assert "postcode" in outcome.all_text and "kort" not in outcome.all_text


@pytest.mark.parametrize("field", ["need_initiative", "need_title"])
async def test_a_phone_number_is_no_name_or_title(app_db, domain, field):
    outcome = await run(NEED_FORM, make_tracker(**_need_answer("06 12345678", field)), domain)
    assert outcome.slots[field] is None
    assert "telefoonnummer" in outcome.all_text


async def test_a_postcode_typed_as_the_category_is_kept_for_the_postcode(app_db, domain):
    outcome = await run(NEED_FORM, make_tracker(**_need_answer("3511 AB", "need_category")), domain)
    assert outcome.slots["need_category"] is None
    assert outcome.slots["need_postcode"] == "3511 AB"


# --- the whole need in one message, and the summary -------------------------------------

async def test_one_message_fills_what_it_says_and_leaves_the_rest_to_ask(app_db, domain):
    tracker = make_tracker(text=REPAIR_CAFE, intent="post_need", active_loop="need_form")
    outcome = await run(NEED_FORM, tracker, domain)
    assert outcome.slots["need_initiative"] == "Repair Café Houten"
    assert outcome.slots["need_postcode"] == "3991"
    assert outcome.slots["need_email"] == "info@repaircafehouten.nl"
    assert "fietsen" in outcome.slots["need_title"].lower()
    assert "fietsen wil repareren" in outcome.slots["need_description"]
    # Not said in so many words: asked, not guessed.
    assert "need_category" not in outcome.slots and "need_commitment" not in outcome.slots
    assert messages.NEED_NOTED in outcome.texts


async def test_a_short_start_takes_nothing_and_says_nothing_extra(app_db, domain):
    outcome = await run(NEED_FORM, make_tracker(text="ik zoek vrijwilligers", intent="post_need",
                                                active_loop="need_form"), domain)
    assert not any(outcome.slots.values()) and outcome.texts == []


async def test_the_summary_shows_every_answer_with_save_and_change_buttons(app_db, domain):
    outcome = await run(ActionAskNeedConfirmed(), make_tracker(slots=NEED), domain)
    for shown in ("Buurttuin Oost", "Hulp in de moestuin", "3511", "tuin@example.org", "Natuur, groen en tuinieren"):
        assert shown in outcome.all_text
    assert [b["payload"] for b in outcome.buttons] == ["/affirm", "/deny"]


async def test_yes_to_the_summary_confirms_the_need(app_db, domain):
    outcome = await run(NEED_FORM, make_tracker(**_need_answer("ja klopt", "need_confirmed", "affirm", **NEED)), domain)
    assert outcome.slots["need_confirmed"] is True


async def test_no_to_the_summary_asks_what_to_change_and_keeps_every_answer(app_db, domain):
    outcome = await run(NEED_FORM, make_tracker(**_need_answer("nee", "need_confirmed", "deny", **NEED)), domain)
    # A slot event keeps the form going (no rule stops it), and no answer is dropped.
    assert outcome.slots == {"need_correcting": "asked"}
    asked = await run(ActionAskNeedConfirmed(), make_tracker(slots={**NEED, "need_correcting": "asked"}), domain)
    assert asked.texts == [messages.ASK_NEED_FIX]
    assert "titel" in [b["payload"] for b in asked.buttons]


async def test_naming_a_field_reopens_only_that_field(app_db, domain):
    tracker = make_tracker(**_need_answer("titel", "need_confirmed", **NEED, need_correcting="asked"))
    outcome = await run(NEED_FORM, tracker, domain)
    assert outcome.slots == {"need_title": None, "need_correcting": None, "need_confirmed": None}


async def test_a_new_address_in_the_no_replaces_the_old_one(app_db, domain):
    tracker = make_tracker(**_need_answer("nee, het moet info@nieuw.nl zijn", "need_confirmed", "deny", **NEED))
    outcome = await run(NEED_FORM, tracker, domain)
    assert outcome.slots["need_email"] == "info@nieuw.nl"
    assert outcome.slots["need_confirmed"] is None


async def test_an_unclear_answer_to_what_to_change_is_asked_with_other_words(app_db, domain):
    tracker = make_tracker(**_need_answer("hmm tja", "need_confirmed", **NEED, need_correcting="asked"))
    outcome = await run(NEED_FORM, tracker, domain)
    assert outcome.slots == {"need_correcting": "unclear"}
    asked = await run(ActionAskNeedConfirmed(), make_tracker(slots={**NEED, "need_correcting": "unclear"}), domain)
    assert asked.texts == [messages.NEED_FIX_UNCLEAR]


# --- a question in the middle of a form ---------------------------------------------------

WEATHER = "wat voor weer wordt het morgen?"


@pytest.mark.parametrize(("form", "loop", "asked"), [
    (SEARCH_FORM, "search_form", "interests"),
    (SEARCH_FORM, "search_form", "location"),
    (NEED_FORM, "need_form", "need_description"),
    (NEED_FORM, "need_form", "need_category"),
    (ValidateSignupForm(), "signup_form", "first_name"),
])
async def test_an_off_topic_question_is_no_answer_to_the_form(app_db, domain, form, loop, asked):
    tracker = make_tracker(text=WEATHER, intent="out_of_scope", requested_slot=asked, active_loop=loop)
    outcome = await run(form, tracker, domain)
    # No slot event: Rasa rejects the form, the out_of_scope rule answers and the form asks again.
    assert outcome.events == [] and outcome.messages == []


@pytest.mark.parametrize(("asked", "entities"), [("location", {"place": "Deventer"}), ("interests", {"interest": "groen"})])
async def test_an_off_topic_question_naming_a_place_or_interest_is_no_answer_either(app_db, domain, asked, entities):
    tracker = make_tracker(text="hoe is het weer morgen in Deventer in de tuin?", intent="out_of_scope",
                           entities=entities, requested_slot=asked, active_loop="search_form")
    outcome = await run(SEARCH_FORM, tracker, domain)
    assert outcome.events == [] and outcome.messages == []


async def test_a_description_the_nlu_finds_off_topic_is_still_a_description(app_db, domain):
    tracker = make_tracker(**_need_answer("Samen wieden en oogsten in de buurttuin", "need_description", "out_of_scope"))
    outcome = await run(NEED_FORM, tracker, domain)
    assert outcome.slots["need_description"] == "Samen wieden en oogsten in de buurttuin"


# --- a greeting that carries a question -------------------------------------------------

async def test_a_greeting_with_a_question_about_the_bot_gets_the_help_answer(app_db, domain):
    tracker = make_tracker(text="hallo, wat kun je allemaal?", intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.5}, {"name": "greet", "confidence": 0.51},
        {"name": "help", "confidence": 0.46},
    ]
    outcome = await run(ActionFallback(), tracker, domain)
    assert [m.get("response") for m in outcome.messages] == ["utter_help"]


async def test_an_unclear_message_without_a_greeting_still_asks_to_rephrase(app_db, domain):
    tracker = make_tracker(text="wat kun je allemaal?", intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.5}, {"name": "help", "confidence": 0.46},
    ]
    outcome = await run(ActionFallback(), tracker, domain)
    assert outcome.texts == [messages.FALLBACK_FIRST]


# --- the place question answered with something else ------------------------------------

async def _lombok_candidates(domain) -> list[dict]:
    first = await run(SEARCH_FORM, make_tracker(text="lombok", requested_slot="location", active_loop="search_form",
                                                 entities={"place": "Lombok"}), domain)
    candidates = first.slots["location_candidates"]
    assert len(candidates) >= 2
    return candidates


async def test_signing_up_for_the_first_while_a_place_is_asked_picks_the_first_place(app_db, domain):
    candidates = await _lombok_candidates(domain)
    tracker = make_tracker(text="aanmelden voor de eerste", intent="sign_up", requested_slot="location",
                           active_loop="search_form", slots={"location_candidates": candidates})
    outcome = await run(SEARCH_FORM, tracker, domain)
    assert outcome.slots["location"] == candidates[0]["name"]
    assert outcome.slots["geo"]["lat"] == candidates[0]["lat"]


async def test_asking_about_results_while_a_place_is_asked_keeps_the_place_question_open(app_db, domain):
    candidates = await _lombok_candidates(domain)
    tracker = make_tracker(text="vertel meer over die klus", intent="more_info", requested_slot="location",
                           active_loop="search_form", slots={"location_candidates": candidates})
    outcome = await run(SEARCH_FORM, tracker, domain)
    assert outcome.slots == {"location_candidates": candidates}
    assert outcome.texts == [messages.LOCATION_CHOICE_PENDING]


async def test_signing_up_after_results_is_left_to_the_sign_up(app_db, domain):
    candidates = await _lombok_candidates(domain)
    tracker = make_tracker(text="aanmelden voor de eerste", intent="sign_up", requested_slot="location",
                           active_loop="search_form", slots={"location_candidates": candidates, "shown_ids": [4, 5]})
    outcome = await run(SEARCH_FORM, tracker, domain)
    assert outcome.events == []


# --- an unclear message that is still a search ----------------------------------------------

def _unclear(text: str, entities: dict, best: tuple[str, str], active_loop: str | None = None):
    tracker = make_tracker(text=text, intent="nlu_fallback", entities=entities, active_loop=active_loop)
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.5}, {"name": best[0], "confidence": 0.49},
        {"name": best[1], "confidence": 0.47},
    ]
    return tracker


async def test_an_unclear_message_with_a_place_and_an_interest_starts_the_search(app_db, domain):
    tracker = _unclear("ik woon in groningen, iets met taal of ouderen",
                       {"place": "Groningen", "interest": "taal"}, ("inform", "search_opportunities"))
    outcome = await run(ActionFallback(), tracker, domain)
    assert outcome.messages == []
    assert [e.get("name") for e in outcome.events if e.get("event") == "followup"] == ["search_form"]


async def test_an_unclear_question_that_names_a_place_is_no_search(app_db, domain):
    tracker = _unclear("wat is het weer in deventer?", {"place": "Deventer"}, ("out_of_scope", "inform"))
    outcome = await run(ActionFallback(), tracker, domain)
    assert outcome.texts == [messages.FALLBACK_FIRST]


async def test_an_unclear_message_with_a_place_but_no_search_in_sight_asks_to_rephrase(app_db, domain):
    tracker = _unclear("mijn oma woont in zwolle", {"place": "Zwolle"}, ("out_of_scope", "greet"))
    outcome = await run(ActionFallback(), tracker, domain)
    assert outcome.texts == [messages.FALLBACK_FIRST]


async def test_an_unclear_message_inside_another_form_never_starts_the_search(app_db, domain):
    tracker = _unclear("ik woon in zwolle, iets met taal", {"place": "Zwolle"}, ("inform", "search_opportunities"),
                       active_loop="signup_form")
    outcome = await run(ActionFallback(), tracker, domain)
    assert not [e for e in outcome.events if e.get("event") == "followup"]
