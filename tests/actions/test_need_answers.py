"""What is no answer to an initiative's name, title or description, and the summary's unclear answers (issue 16)."""

from __future__ import annotations

import pytest

from actions.need import AGAIN, ActionAskNeedConfirmed, ValidateNeedForm
from doemee import messages
from tests.actions.conftest import make_tracker, run
from tests.actions.test_other_actions import NEED

NEED_FORM = ValidateNeedForm()
FREE_FIELDS = ["need_initiative", "need_title", "need_description"]


def _answer(text: str, asked: str, intent: str = "inform", entities=None, **slots):
    return make_tracker(text=text, intent=intent, entities=entities, requested_slot=asked, active_loop="need_form",
                        slots=slots)


@pytest.mark.parametrize("field", FREE_FIELDS)
@pytest.mark.parametrize(("text", "intent"), [
    ("laat er nog meer zien", "more_results"),
    ("vertel eens meer over de eerste", "more_info"),
    ("ik wil me aanmelden", "sign_up"),
    ("iets anders", "change_search"),
])
async def test_moving_around_results_is_no_name_title_or_description(app_db, domain, field, text, intent):
    outcome = await run(NEED_FORM, _answer(text, field, intent), domain)
    assert outcome.slots[field] is None
    assert messages.NEED_BUSY in outcome.texts


@pytest.mark.parametrize("field", FREE_FIELDS)
async def test_saying_again_that_volunteers_are_wanted_is_no_answer(app_db, domain, field):
    outcome = await run(NEED_FORM, _answer("wij zoeken vrijwilligers voor ons buurthuis", field, "post_need"), domain)
    assert outcome.slots[field] is None
    assert messages.NEED_ALREADY_POSTING in outcome.texts


async def test_a_description_the_nlu_calls_a_request_for_volunteers_still_describes_the_work(app_db, domain):
    text = "We zoeken iemand die elke week de planten water geeft en het onkruid wiedt."
    outcome = await run(NEED_FORM, _answer(text, "need_description", "post_need"), domain)
    assert outcome.slots["need_description"] == text
    assert outcome.texts == []


@pytest.mark.parametrize("field", ["need_initiative", "need_title"])
async def test_a_place_alone_is_no_name_or_title(app_db, domain, field):
    outcome = await run(NEED_FORM, _answer("Zwolle", field, entities={"place": "Zwolle"}), domain)
    assert outcome.slots[field] is None
    assert outcome.texts == [messages.need_place_answer("Zwolle")]


async def test_a_name_with_a_place_in_it_is_a_name(app_db, domain):
    outcome = await run(NEED_FORM, _answer("Buurthuis Zwolle-Zuid", "need_initiative", entities={"place": "Zwolle"}),
                        domain)
    assert outcome.slots["need_initiative"] == "Buurthuis Zwolle-Zuid"


@pytest.mark.parametrize("field", FREE_FIELDS)
@pytest.mark.parametrize("text", ["ja", "Oké!", "nee hoor"])
async def test_a_yes_or_no_is_no_name_title_or_description(app_db, domain, field, text):
    outcome = await run(NEED_FORM, _answer(text, field, "affirm"), domain)
    assert outcome.slots[field] is None
    assert messages.NEED_NOT_AN_ANSWER[field] in outcome.texts


@pytest.mark.parametrize(("text", "intent", "entities"), [
    ("oh sorry, ik zoek eigenlijk zelf vrijwilligerswerk", "search_opportunities", None),
    ("ik woon in Zwolle en wil iets met kinderen doen", "inform", {"place": "Zwolle"}),
])
@pytest.mark.parametrize("asked", ["need_title", "need_category", "need_confirmed"])
async def test_a_search_of_ones_own_makes_the_form_step_aside(app_db, domain, text, intent, entities, asked):
    """No slot event: Rasa rejects the form and the rule "search instead of need_form" starts the search."""
    outcome = await run(NEED_FORM, _answer(text, asked, intent, entities, **NEED), domain)
    assert outcome.slots == {}
    assert outcome.texts == []


async def test_an_initiative_speaking_of_its_own_place_is_not_searching(app_db, domain):
    outcome = await run(NEED_FORM, _answer("Wij zitten in Zwolle bij het park", "need_description",
                                           entities={"place": "Zwolle"}), domain)
    assert outcome.slots["need_description"] == "Wij zitten in Zwolle bij het park"


async def test_an_unclear_answer_to_the_summary_shows_the_summary_again_then_the_choices(app_db, domain):
    first = await run(NEED_FORM, _answer("06 12345678", "need_confirmed", **NEED), domain)
    assert first.slots == {"need_correcting": AGAIN}
    again = await run(ActionAskNeedConfirmed(), make_tracker(slots={**NEED, "need_correcting": AGAIN}), domain)
    assert again.texts[0] == messages.NEED_CONFIRM_AGAIN
    assert "Zal ik het zo opslaan?" in again.texts[1]
    second = await run(NEED_FORM, _answer("Sanne", "need_confirmed", **NEED, need_correcting=AGAIN), domain)
    assert second.slots == {"need_correcting": "unclear"}


async def test_no_after_the_summary_was_shown_again_still_asks_what_to_change(app_db, domain):
    outcome = await run(NEED_FORM, _answer("nee", "need_confirmed", "deny", **NEED, need_correcting=AGAIN), domain)
    assert outcome.slots == {"need_correcting": "asked"}


async def test_yes_after_the_summary_was_shown_again_saves(app_db, domain):
    outcome = await run(NEED_FORM, _answer("ja", "need_confirmed", "affirm", **NEED, need_correcting=AGAIN), domain)
    assert outcome.slots["need_confirmed"] is True


async def test_a_description_the_nlu_calls_a_need_is_a_description_when_it_asks_for_no_one(app_db, domain):
    text = "Elke donderdag voedselpakketten inpakken in ons magazijn, samen met een vaste ploeg."
    outcome = await run(NEED_FORM, _answer(text, "need_description", "post_need"), domain)
    assert outcome.slots["need_description"] == text
