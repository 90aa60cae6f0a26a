"""Signing up by typing right after results: naming a result, a first name or an address."""

from __future__ import annotations

from actions.choice import ActionAfterResults
from actions.search import ActionMoreInfo
from actions.signup import ActionAskOpportunityId, ValidateSignupForm
from tests.actions.conftest import make_tracker, run
from tests.domain.factories import make_opportunity

AFTER = ActionAfterResults()
FORM = ValidateSignupForm()


def _results(database) -> list[int]:
    """Three shown results as a Haarlem search shows them; two share the food bank."""
    with database.session() as session:
        return [
            make_opportunity(session, title="Moestuinieren in Schalkwijk", initiative="Buurttuin Het Zaadje").id,
            make_opportunity(session, title="Sorteren in het distributiecentrum", category="voedsel",
                             initiative="Voedselbank Haarlem").id,
            make_opportunity(session, title="Bestelbuschauffeur tussen magazijn en uitgiftepunten", category="vervoer",
                             initiative="Voedselbank Haarlem").id,
        ]


def _after_results(text: str, shown: list[int], intent: str = "inform", entities=None, slots=None, history=None):
    return make_tracker(
        text=text, intent=intent, entities=entities,
        slots={"shown_ids": shown, "location": "Haarlem", "interests": ["groen"], "result_offset": 0, **(slots or {})},
        history=history,
    )


async def test_naming_a_result_in_words_starts_its_sign_up(app_db, domain):
    shown = _results(app_db)
    outcome = await run(AFTER, _after_results("doe maar de moestuin", shown, entities={"interest": "groen"}), domain)
    assert outcome.slots["typed_choice"] == "sign_up"
    assert outcome.slots["opportunity_id"] == str(shown[0])
    assert outcome.messages == []


async def test_a_sentence_the_nlu_did_not_understand_still_names_a_result(app_db, domain):
    shown = _results(app_db)
    tracker = _after_results("ik wil me aanmelden als bestelbuschauffeur", shown, intent="nlu_fallback")
    outcome = await run(AFTER, tracker, domain)
    assert (outcome.slots["typed_choice"], outcome.slots["opportunity_id"]) == ("sign_up", str(shown[2]))


async def test_a_position_in_a_sentence_starts_the_sign_up_for_that_result(app_db, domain):
    shown = _results(app_db)
    outcome = await run(AFTER, _after_results("nummer 3 lijkt me wat", shown), domain)
    assert outcome.slots["opportunity_id"] == str(shown[2])


async def test_a_first_name_right_after_results_is_kept_and_the_result_asked(app_db, domain):
    shown = _results(app_db)
    outcome = await run(AFTER, _after_results("Marieke", shown), domain)
    assert outcome.slots == {
        "typed_choice": "sign_up", "opportunity_id": None, "choice_candidates": None, "first_name": "Marieke",
    }


async def test_an_address_right_after_one_result_goes_on_with_that_result(app_db, domain):
    shown = _results(app_db)[:1]
    tracker = _after_results("mijn mail is Marieke@Example.nl", shown, intent="out_of_scope")
    outcome = await run(AFTER, tracker, domain)
    assert outcome.slots["typed_choice"] == "sign_up"
    assert outcome.slots["opportunity_id"] == str(shown[0])
    assert (outcome.slots["contact"], outcome.slots["contact_kind"]) == ("marieke@example.nl", "email")


async def test_a_new_time_searches_again(app_db, domain):
    shown = _results(app_db)
    outcome = await run(AFTER, _after_results("liever in het weekend", shown, entities={"time": "weekend"}), domain)
    assert outcome.slots == {"typed_choice": "search"}


async def test_a_time_rasa_already_put_in_the_slot_from_this_message_still_searches_again(app_db, domain):
    shown = _results(app_db)
    tracker = _after_results("liever in het weekend", shown, entities={"time": "weekend"}, slots={"times": ["weekend"]})
    tracker.events.append({"event": "slot", "name": "times", "value": ["weekend"]})
    outcome = await run(AFTER, tracker, domain)
    assert outcome.slots == {"typed_choice": "search"}


async def test_a_button_of_the_choice_question_starts_that_sign_up(app_db, domain):
    shown = _results(app_db)
    tracker = _after_results('/inform{"opportunity_id": "%d"}' % shown[1], shown, entities={"opportunity_id": str(shown[1])})
    outcome = await run(AFTER, tracker, domain)
    assert (outcome.slots["typed_choice"], outcome.slots["opportunity_id"]) == ("sign_up", str(shown[1]))


async def test_a_new_interest_that_is_only_a_shown_results_category_searches_again(app_db, domain):
    shown = _results(app_db)
    outcome = await run(AFTER, _after_results("iets met vervoer", shown, entities={"interest": "vervoer"}), domain)
    assert outcome.slots == {"typed_choice": "search"}


async def test_two_results_that_fit_equally_are_asked_with_only_their_buttons(app_db, domain):
    shown = _results(app_db)
    outcome = await run(AFTER, _after_results("de voedselbank graag", shown), domain)
    assert outcome.slots["typed_choice"] == "sign_up" and outcome.slots["opportunity_id"] is None
    assert sorted(outcome.slots["choice_candidates"]) == sorted(shown[1:])

    asked = await run(ActionAskOpportunityId(), _after_results("de voedselbank graag", shown, slots=outcome.slots), domain)
    assert "Voor welke plek" in asked.all_text
    assert [b["payload"] for b in asked.buttons] == [f'/inform{{"opportunity_id": "{i}"}}' for i in shown[1:]]


async def test_nothing_that_fits_shows_the_results_as_buttons_and_never_the_same_reply_twice(app_db, domain):
    shown = _results(app_db)
    first = await run(AFTER, _after_results("de bibliotheek graag", shown), domain)
    assert first.slots == {"typed_choice": "answered"}
    assert len(first.buttons) == 3 and all(b["payload"].startswith('/inform{"opportunity_id"') for b in first.buttons)
    said = [{"event": "bot", "text": first.texts[0]}]
    again = await run(AFTER, _after_results("de bieb dan", shown, history=said), domain)
    assert again.texts[0] != first.texts[0] and len(again.buttons) == 3


async def test_the_sign_up_question_after_a_typed_name_greets_by_name_with_buttons(app_db, domain):
    shown = _results(app_db)
    tracker = _after_results("Marieke", shown, slots={"first_name": "Marieke"})
    outcome = await run(ActionAskOpportunityId(), tracker, domain)
    assert "Marieke" in outcome.all_text and "Voor welke plek" in outcome.all_text
    assert [b["title"][:2] for b in outcome.buttons] == ["1.", "2.", "3."]


async def test_the_sign_up_form_reads_a_result_named_in_words(app_db, domain):
    shown = _results(app_db)
    tracker = make_tracker(text="ik wil me aanmelden voor de moestuin", intent="sign_up", slots={"shown_ids": shown})
    assert (await run(FORM, tracker, domain)).slots["opportunity_id"] == str(shown[0])


async def test_the_sign_up_form_keeps_results_that_fit_equally_for_its_question(app_db, domain):
    shown = _results(app_db)
    tracker = make_tracker(text="ik wil me aanmelden bij de voedselbank", intent="sign_up", slots={"shown_ids": shown})
    outcome = await run(FORM, tracker, domain)
    assert "opportunity_id" not in outcome.slots
    assert sorted(outcome.slots["choice_candidates"]) == sorted(shown[1:])


async def test_a_name_asked_for_is_never_read_as_a_result(app_db, domain):
    with app_db.session() as session:
        shown = [make_opportunity(session, title="Rosa's kookclub").id, make_opportunity(session, title="Koor").id]
    tracker = make_tracker(text="Rosa", slots={"shown_ids": shown, "opportunity_id": str(shown[1])},
                           requested_slot="first_name", active_loop="signup_form")
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots.get("first_name") == "Rosa" and "opportunity_id" not in outcome.slots


async def test_more_info_for_a_result_named_in_words_then_signing_up_means_that_one(app_db, domain):
    shown = _results(app_db)
    details = await run(ActionMoreInfo(), make_tracker(text="vertel meer over de moestuin", intent="more_info",
                                                       slots={"shown_ids": shown}), domain)
    assert "Moestuinieren" in details.all_text and details.slots == {"detailed_id": str(shown[0])}

    history = [
        {"event": "user", "text": "vertel meer over de moestuin", "parse_data": {"intent": {"name": "more_info"}}},
        {"event": "action", "name": "action_more_info"},
        {"event": "action", "name": "action_listen"},
    ]
    tracker = make_tracker(text="leuk, daar wil ik me voor aanmelden", intent="sign_up",
                           slots={"shown_ids": shown, "detailed_id": str(shown[0])}, history=history)
    assert (await run(FORM, tracker, domain)).slots["opportunity_id"] == str(shown[0])


async def test_a_new_interest_whose_word_is_in_a_shown_title_searches_again(app_db, domain):
    with app_db.session() as session:
        shown = [make_opportunity(session, title="Voorlezen voor kinderen", category="cultuur").id,
                 make_opportunity(session, title="Moestuinieren in Schalkwijk").id]
    tracker = _after_results("nee toch liever kinderen", shown)
    # As the interest extractor marks it: the typed word and the category it stands for.
    tracker.latest_message["entities"] = [{"entity": "interest", "value": "jeugd", "start": 16, "end": 24}]
    outcome = await run(AFTER, tracker, domain)
    assert outcome.slots == {"typed_choice": "search"}


async def test_searching_again_with_nothing_new_asks_what_to_do_instead_of_the_same_results(app_db, domain):
    shown = _results(app_db)
    outcome = await run(AFTER, _after_results("ik zoek vrijwilligerswerk", shown, intent="search_opportunities"), domain)
    assert outcome.slots == {"typed_choice": "search", "interests": None}


async def test_the_same_details_asked_again_are_not_the_same_reply(app_db, domain):
    shown = _results(app_db)
    tracker = make_tracker(text="vertel meer over de moestuin", intent="more_info", slots={"shown_ids": shown})
    first = await run(ActionMoreInfo(), tracker, domain)
    said = [{"event": "bot", "text": first.texts[0]}]
    again = await run(ActionMoreInfo(), make_tracker(text="en de moestuin?", intent="more_info",
                                                     slots={"shown_ids": shown}, history=said), domain)
    assert "Moestuinieren" in again.all_text and again.texts[0] != first.texts[0]


async def test_a_first_name_after_the_details_of_one_of_several_results_asks_which(app_db, domain):
    shown = _results(app_db)
    history = [{"event": "action", "name": "action_more_info"}, {"event": "action", "name": "action_listen"}]
    outcome = await run(AFTER, _after_results("Sanne", shown, slots={"detailed_id": str(shown[0])}, history=history),
                        domain)
    assert (outcome.slots["opportunity_id"], outcome.slots["first_name"]) == (None, "Sanne")


async def test_a_card_number_on_the_second_page_picks_that_card(app_db, domain):
    shown = _results(app_db)
    outcome = await run(AFTER, _after_results("nummer 5", shown, slots={"result_offset": 3.0}), domain)
    assert outcome.slots["opportunity_id"] == str(shown[1])


async def test_with_nothing_shown_a_typed_message_searches_as_before(app_db, domain):
    outcome = await run(AFTER, _after_results("Marieke", []), domain)
    assert outcome.slots == {"typed_choice": "search"} and outcome.messages == []


async def test_yes_right_after_the_details_signs_up_for_that_result(app_db, domain):
    shown = _results(app_db)
    history = [{"event": "action", "name": "action_more_info"}, {"event": "action", "name": "action_listen"}]
    tracker = make_tracker(text="ja", intent="affirm", slots={"shown_ids": shown, "detailed_id": str(shown[2])},
                           history=history)
    assert (await run(FORM, tracker, domain)).slots["opportunity_id"] == str(shown[2])


async def test_an_address_typed_as_a_request_for_mail_right_after_results_signs_up(app_db, domain):
    shown = _results(app_db)
    tracker = _after_results("mijn mail is j.bakker@outlook.com", shown, intent="subscribe_alerts")
    outcome = await run(AFTER, tracker, domain)
    assert outcome.slots["typed_choice"] == "sign_up"
    assert (outcome.slots["contact"], outcome.slots["contact_kind"]) == ("j.bakker@outlook.com", "email")
    assert outcome.slots["opportunity_id"] is None


async def test_only_a_request_for_news_right_after_results_starts_the_alerts(app_db, domain):
    shown = _results(app_db)
    for text in ("mail me als er iets nieuws is", "stuur me een mail op jan@example.nl als er iets bijkomt"):
        outcome = await run(AFTER, _after_results(text, shown, intent="subscribe_alerts"), domain)
        assert outcome.slots == {"typed_choice": "alerts"}, text


async def test_a_no_with_another_interest_right_after_results_searches_again(app_db, domain):
    shown = _results(app_db)
    tracker = _after_results("nee toch liever met kinderen", shown, intent="deny", entities={"interest": "jeugd"})
    outcome = await run(AFTER, tracker, domain)
    assert outcome.slots["typed_choice"] == "search"
    assert outcome.messages == []


async def test_a_plain_no_right_after_results_asks_what_else(app_db, domain):
    outcome = await run(AFTER, _after_results("nee", _results(app_db), intent="deny"), domain)
    assert outcome.slots["typed_choice"] == "answered"
    assert [m.get("response") for m in outcome.messages] == ["utter_anything_else"]
