import json

from sqlalchemy import select

from actions.search import ActionAskLocation, ActionMoreInfo, ActionMoreResults, ActionShowResults, ValidateSearchForm
from doemee import messages
from doemee.storage.models import SearchLog
from tests.actions.conftest import make_tracker, run

FORM = ValidateSearchForm()


async def test_place_and_interest_in_one_message_fill_the_whole_form(app_db, domain):
    tracker = make_tracker(
        text="ik woon in 3512 en wil iets met ouderen doen", intent="search_opportunities",
        entities={"postcode": "3512", "interest": "ouderen"},
    )
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots["location"] == "3512"
    assert outcome.slots["geo"]["pc4"] == "3512"
    assert outcome.slots["interests"] == ["ouderen"]
    assert {"event": "followup", "name": "action_show_results"} in [
        {k: e.get(k) for k in ("event", "name")} for e in outcome.events
    ]


async def test_a_form_still_missing_a_slot_names_no_next_action(app_db, domain):
    tracker = make_tracker(text="ik woon in 3512", intent="search_opportunities", entities={"postcode": "3512"})
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots["geo"]["pc4"] == "3512"
    assert not [e for e in outcome.events if e.get("event") == "followup"]


async def test_an_unknown_place_gets_a_dutch_ask_back(app_db, domain):
    tracker = make_tracker(text="blablastad", requested_slot="location", active_loop="search_form")
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots["location"] is None
    assert "ken ik niet" in outcome.all_text


async def test_an_ambiguous_place_is_asked_back_with_buttons_and_a_button_resolves_it(app_db, domain):
    first = await run(FORM, make_tracker(text="lombok", requested_slot="location", active_loop="search_form",
                                         entities={"place": "Lombok"}), domain)
    candidates = first.slots["location_candidates"]
    assert first.slots["location"] is None and len(candidates) >= 2

    asked = await run(ActionAskLocation(), make_tracker(slots={"location_candidates": candidates}), domain)
    assert asked.texts[0].startswith("Bedoel je ") and "Lombok in Utrecht" in asked.texts[0]
    payload = asked.buttons[0]["payload"]
    chosen = json.loads(payload[len("/inform"):])["place"]

    second = await run(FORM, make_tracker(text="", entities={"place": chosen}, requested_slot="location",
                                          active_loop="search_form",
                                          slots={"location_candidates": candidates}), domain)
    assert second.slots["location"] == "Lombok"
    assert second.slots["geo"]["municipality_code"] == "0344"
    assert second.slots["location_candidates"] is None


async def test_a_shared_telegram_location_is_accepted(app_db, domain):
    tracker = make_tracker(text="/inform", requested_slot="location", active_loop="search_form",
                           metadata={"location": {"latitude": 52.0907, "longitude": 5.1214}, "channel": "telegram"})
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots["geo"]["pc4"]
    assert outcome.slots["location"] == "Utrecht"


async def test_no_preference_is_a_valid_answer_for_interests(app_db, domain):
    tracker = make_tracker(text="maakt niet uit", requested_slot="interests", active_loop="search_form",
                           slots={"location": "3512"})
    assert (await run(FORM, tracker, domain)).slots["interests"] == ["geen_voorkeur"]


async def test_a_word_that_is_no_interest_is_asked_again(app_db, domain):
    tracker = make_tracker(text="qwerty", requested_slot="interests", active_loop="search_form")
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots["interests"] is None
    assert "ken ik nog niet" in outcome.all_text


async def test_asking_for_help_never_becomes_a_place(app_db, domain):
    tracker = make_tracker(text="wat kan ik hier?", intent="help", requested_slot="location", active_loop="search_form")
    outcome = await run(FORM, tracker, domain)
    assert "location" not in outcome.slots


async def test_something_else_forgets_the_interests(app_db, domain):
    tracker = make_tracker(text="iets anders", intent="change_search", slots={"location": "3512", "interests": ["ouderen"]})
    assert (await run(FORM, tracker, domain)).slots["interests"] is None


def _search_slots(pc4="3512", interests=("ouderen",), times=()):
    from doemee.geo.index import get_geo_index

    location = get_geo_index().postcode(pc4)
    return {
        "location": pc4, "interests": list(interests), "times": list(times),
        "geo": {"name": location.name, "pc4": location.pc4, "municipality_code": location.municipality_code,
                "lat": location.lat, "lon": location.lon},
    }


async def test_results_show_three_cards_with_sign_up_and_more_info_buttons(demo_db, domain):
    outcome = await run(ActionShowResults(), make_tracker(slots=_search_slots(interests=())), domain)
    cards = [m for m in outcome.messages if m.get("buttons") and len(m["buttons"]) == 2]
    assert len(cards) == 3
    assert outcome.texts[0].startswith("Ik vond")
    assert [b["title"] for b in cards[0]["buttons"]] == ["Aanmelden", "Meer info"]
    assert cards[0]["buttons"][0]["payload"].startswith('/sign_up{"opportunity_id": "')
    assert "km" in cards[0]["text"]
    assert outcome.buttons[-1]["payload"] == "/more_results"
    assert len(outcome.slots["shown_ids"]) == 3
    assert outcome.events[-1] == {"event": "followup", "timestamp": None, "name": "action_listen"}


async def test_each_search_is_recorded_without_personal_data(demo_db, domain):
    await run(ActionShowResults(), make_tracker(slots=_search_slots(), sender="secret-sender"), domain)
    with demo_db.session() as session:
        log = session.scalars(select(SearchLog)).one()
    assert (log.pc4, log.interests) == ("3512", "ouderen")
    assert "secret" not in repr(vars(log))


async def test_when_nothing_fits_nearby_the_bot_says_so_and_offers_what_is_further(app_db, domain):
    from tests.domain.factories import make_opportunity

    with app_db.session() as session:
        make_opportunity(session, lat=53.2194, lon=6.5665, category="ouderen")  # Groningen
    outcome = await run(ActionShowResults(), make_tracker(slots=_search_slots()), domain)
    assert outcome.texts[0].startswith("Eerlijk gezegd")
    assert len(outcome.slots["shown_ids"]) == 1


async def test_more_shows_the_next_three(demo_db, domain):
    first = await run(ActionShowResults(), make_tracker(slots=_search_slots(interests=())), domain)
    more = await run(ActionMoreResults(), make_tracker(slots={**_search_slots(interests=()), "result_offset": 0}), domain)
    assert more.slots["result_offset"] == 3
    assert set(more.slots["shown_ids"]).isdisjoint(first.slots["shown_ids"])
    assert "4." in more.all_text


async def test_more_info_describes_the_opportunity_without_its_contact(demo_db, domain):
    shown = (await run(ActionShowResults(), make_tracker(slots=_search_slots()), domain)).slots["shown_ids"]
    outcome = await run(ActionMoreInfo(), make_tracker(text="meer over de tweede", intent="more_info",
                                                       slots={"shown_ids": shown}), domain)
    assert "@" not in outcome.all_text
    assert outcome.buttons[0]["payload"] == f'/sign_up{{"opportunity_id": "{shown[1]}"}}'


async def test_naming_the_town_picks_one_of_the_ambiguous_places(app_db, domain):
    first = await run(FORM, make_tracker(text="lombok", requested_slot="location", active_loop="search_form",
                                         entities={"place": "Lombok"}), domain)
    candidates = first.slots["location_candidates"]
    for answer in ("die in utrecht", "de eerste"):
        picked = await run(FORM, make_tracker(text=answer, requested_slot="location", active_loop="search_form",
                                              slots={"location_candidates": candidates}), domain)
        assert picked.slots["geo"]["municipality_code"] == "0344", answer


async def test_a_place_resolved_earlier_is_not_asked_again_when_the_search_is_refined(app_db, domain):
    geo = {"name": "Lombok", "pc4": "3531", "municipality_code": "0344", "lat": 52.09, "lon": 5.10}
    tracker = make_tracker(text="liever in het weekend", entities={"time": "weekend"},
                           slots={"location": "Lombok", "geo": geo, "interests": ["groen"]})
    tracker.events.append({"event": "slot", "name": "location", "value": "Lombok"})
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots["location"] == "Lombok"
    assert "location_candidates" not in outcome.slots or outcome.slots["location_candidates"] is None
    assert outcome.messages == []


async def test_more_is_never_taken_for_a_place(app_db, domain):
    tracker = make_tracker(text="meer", intent="more_results", requested_slot="location", active_loop="search_form")
    assert "location" not in (await run(FORM, tracker, domain)).slots


async def test_no_preference_said_with_the_place_in_a_first_message_fills_both(app_db, domain):
    tracker = make_tracker(text="ik woon in 3512, alles is goed", entities={"postcode": "3512"})
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots["location"] == "3512"
    assert outcome.slots["interests"] == ["geen_voorkeur"]


async def test_no_preference_without_a_place_in_a_first_message_is_no_answer_yet(app_db, domain):
    tracker = make_tracker(text="alles is goed", intent="search_opportunities")
    assert "interests" not in (await run(FORM, tracker, domain)).slots


async def test_an_initiative_looking_for_volunteers_fills_nothing_of_the_search(app_db, domain):
    tracker = make_tracker(text="wij zoeken vrijwilligers voor ons buurthuis", intent="post_need",
                           entities={"interest": "ontmoeting"}, requested_slot="location", active_loop="search_form")
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots == {} and outcome.messages == []


async def test_something_else_while_the_place_is_asked_says_why_the_place_is_needed(app_db, domain):
    tracker = make_tracker(text="iets anders", intent="change_search", requested_slot="location",
                           active_loop="search_form")
    outcome = await run(FORM, tracker, domain)
    assert outcome.texts == [messages.SOMETHING_ELSE_NEEDS_PLACE]
    assert outcome.slots["location"] is None


async def test_something_else_while_the_interest_is_asked_invites_own_words(app_db, domain):
    tracker = make_tracker(text="iets anders", intent="change_search", requested_slot="interests",
                           active_loop="search_form", slots={"location": "3512"})
    outcome = await run(FORM, tracker, domain)
    assert outcome.texts == [messages.SOMETHING_ELSE_INTERESTS]
    assert outcome.slots["interests"] is None


async def test_something_else_while_choosing_a_place_drops_the_places_offered(app_db, domain):
    first = await run(FORM, make_tracker(text="lombok", requested_slot="location", active_loop="search_form",
                                         entities={"place": "Lombok"}), domain)
    tracker = make_tracker(text="iets anders", intent="change_search", requested_slot="location",
                           active_loop="search_form", slots={"location_candidates": first.slots["location_candidates"]})
    outcome = await run(FORM, tracker, domain)
    assert outcome.texts == [messages.SOMETHING_ELSE_NONE_OF_THESE]
    assert outcome.slots["location_candidates"] is None


async def test_something_else_after_results_asks_the_interest_without_comment(app_db, domain):
    tracker = make_tracker(text="iets anders", intent="change_search", slots={"location": "3512", "interests": ["ouderen"]})
    assert (await run(FORM, tracker, domain)).messages == []


async def test_an_unknown_place_where_the_resident_lives_is_said_to_be_unknown(app_db, domain):
    tracker = make_tracker(text="ik woon in blablastad en wil koken", intent="search_opportunities",
                           entities={"interest": "voedsel"})
    outcome = await run(FORM, tracker, domain)
    assert outcome.slots["location"] is None
    assert outcome.slots["interests"] == ["voedsel"]
    assert outcome.texts == [messages.GEO_UNKNOWN_PLACE]


async def test_living_in_a_neighbourhood_of_no_name_is_no_place(app_db, domain):
    tracker = make_tracker(text="ik woon in de buurt en wil koken", intent="search_opportunities",
                           entities={"interest": "voedsel"})
    outcome = await run(FORM, tracker, domain)
    assert "location" not in outcome.slots and outcome.messages == []
