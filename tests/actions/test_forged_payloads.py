"""Button payloads typed by hand get the answers typed text gets, never the apology for a failure.

A resident (or anyone) can send `/intent{json}` as a chat message. Rasa's
RegexMessageHandler turns its JSON into entities with whatever values it
finds (numbers, dicts, null, nested lists; a top-level list becomes one
entity per item) and fills the `times` slot from the `time` entity itself.
`forged` below does the same, so each test reads like what was sent.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.alerts import ActionSubscribeAlerts
from actions.search import ActionMoreInfo, ActionMoreResults, ActionShowResults, ValidateSearchForm
from actions.signup import ValidateSignupForm
from actions.tracker import MAX_ENTITY_CHARS, clean_entity_value, record_id
from doemee import messages
from doemee.categories import SLUGS
from tests.actions.conftest import make_tracker, run
from tests.actions.test_search import _search_slots
from tests.domain.factories import make_opportunity

ENTITIES = ("postcode", "place", "interest", "time", "opportunity_id")
# Rasa's pattern for `/intent@confidence{entities}rest` (YAMLStoryReader._regex_message_pattern).
_PAYLOAD = re.compile(r"^/(?P<intent>[^{@]+)(?P<confidence>@[0-9.]+)?(?P<entities>{.+})?(?P<rest>.*)")


def forged(payload: str, **state: Any) -> Tracker:
    """The tracker Rasa sends the action server after `payload`, on top of `state` (make_tracker's arguments)."""
    match = _PAYLOAD.match(payload.strip())
    assert match, payload
    try:
        parsed = json.loads(match.group("entities") or "{}")
    except ValueError:  # Rasa warns and goes on without entities
        parsed = {}
    if not isinstance(parsed, dict):
        parsed = {}
    entities = [(name, item) for name, value in parsed.items() if name in ENTITIES
                for item in (value if isinstance(value, list) else [value])]
    slots = dict(state.pop("slots", {}))
    times = [value for name, value in entities if name == "time"]
    if times:
        slots["times"] = times
    return make_tracker(text=payload, intent=match.group("intent").strip(), entities=entities, slots=slots, **state)


BAD_VALUES = [
    '"\'; DROP TABLE opportunity; --"', '"1 OR 1=1"', '"<script>alert(1)</script>"', '"<b>Utrecht</b>"',
    "5", "-1", "3.5", "true", "null", '["1"]', '[["1"]]', '{"a": 1}', '[{"a": [1]}, null]', '""',
    '"' + "x" * 100_000 + '"', '"\\u0000\\u001b[31m\\u202e3512"', '"999999999999999999999"', "999999999999999999999",
    '"\u0661\u0662"', '"1e3"',
]
INTENTS = {"postcode": ("search_opportunities", "inform"), "place": ("search_opportunities", "inform"),
           "interest": ("search_opportunities", "inform"), "time": ("search_opportunities", "change_search"),
           "opportunity_id": ("sign_up", "more_info")}
PAYLOADS = [f"/{intent}{{\"{entity}\": {value}}}" for entity in ENTITIES for value in BAD_VALUES
            for intent in INTENTS[entity]]
PAYLOADS += [
    '/search_opportunities{"postcode": "\'; --", "interest": "<script>"}',
    '/search_opportunities{"postcode": ',
    '/search_opportunities{"postcode": "3512"',
    '/inform["3512"]',
    '/sign_up{}',
    '/more_info{"opportunity_id": {"$gt": 0}}',
]


def _where_it_can_land(shown: list[int]) -> list[tuple[Any, dict[str, Any]]]:
    """Every action a payload can reach, in the states where it reads the message or the slots Rasa filled."""
    search = _search_slots(interests=("groen",))
    return [
        (ValidateSearchForm(), {}),
        (ValidateSearchForm(), {"requested_slot": "location", "active_loop": "search_form"}),
        (ValidateSearchForm(), {"requested_slot": "interests", "active_loop": "search_form",
                                "slots": {"location": search["location"], "geo": search["geo"]}}),
        (ActionShowResults(), {"slots": search}),
        (ActionMoreResults(), {"slots": {**search, "result_offset": 0}}),
        (ActionSubscribeAlerts(), {"slots": search}),
        (ValidateSignupForm(), {"slots": {"shown_ids": shown}}),
        (ValidateSignupForm(), {"slots": {"shown_ids": shown[:1]}}),
        (ActionMoreInfo(), {"slots": {"shown_ids": shown}}),
    ]


def _two_opportunities(database) -> list[int]:
    with database.session() as session:
        return [make_opportunity(session, title=f"Tuin {n}", category="groen").id for n in range(2)]


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p[:60])
async def test_no_forged_payload_makes_an_action_fail_or_echo_markup(app_db, domain, payload):
    for action, state in _where_it_can_land(_two_opportunities(app_db)):
        outcome = await run(action, forged(payload, **state), domain)
        said = outcome.all_text
        where = f"{action.name()} in {state.get('requested_slot') or 'no form'}"
        assert messages.SORRY_TECHNICAL not in said, where
        assert not re.search(r"[<>\x00-\x08\x1b\u202e]|None|script|DROP|xxxxx", said), (where, said)
        json.dumps(outcome.events)  # Rasa must be able to store every event
        interests = outcome.slots.get("interests")
        assert interests is None or set(interests) <= SLUGS | {"geen_voorkeur"}, where
        assert outcome.slots.get("location") is None or len(outcome.slots["location"]) <= MAX_ENTITY_CHARS


async def test_the_forged_search_of_issue_16_asks_for_a_real_place_and_interest(app_db, domain):
    outcome = await run(ValidateSearchForm(), forged('/search_opportunities{"postcode": "\'; --", "interest": "<script>"}'),
                        domain)
    assert outcome.slots["location"] is None and outcome.slots["interests"] is None
    assert outcome.texts == [messages.GEO_UNKNOWN_PLACE, messages.INTERESTS_UNKNOWN]


async def test_a_payload_interest_that_is_no_category_is_answered_like_a_typed_one(app_db, domain):
    typed = await run(ValidateSearchForm(), make_tracker(text="qwerty", requested_slot="interests",
                                                         active_loop="search_form"), domain)
    clicked = await run(ValidateSearchForm(), forged('/inform{"interest": "qwerty"}', requested_slot="interests",
                                                     active_loop="search_form"), domain)
    assert clicked.texts == typed.texts == [messages.INTERESTS_UNKNOWN]
    assert clicked.slots["interests"] is None


async def test_a_payload_interest_in_everyday_words_still_counts(app_db, domain):
    outcome = await run(ValidateSearchForm(), forged('/inform{"interest": "tuinieren"}', requested_slot="interests",
                                                     active_loop="search_form"), domain)
    assert outcome.slots["interests"] == ["groen"]


@pytest.mark.parametrize("value", ['{"a": 1}', "null", '[["3512"]]', "true", '""'])
async def test_a_place_that_is_no_text_is_asked_again(app_db, domain, value):
    outcome = await run(ValidateSearchForm(), forged(f'/inform{{"place": {value}}}', requested_slot="location",
                                                     active_loop="search_form"), domain)
    assert "location" in outcome.slots and outcome.slots["location"] is None  # so the form asks again
    assert outcome.messages == []


async def test_a_postcode_sent_as_a_number_is_a_postcode(app_db, domain):
    outcome = await run(ValidateSearchForm(), forged('/search_opportunities{"postcode": 3512}'), domain)
    assert outcome.slots["geo"]["pc4"] == "3512"


@pytest.mark.parametrize("value", ['"999999999999999999999"', "999999999999999999999", '"-1"', '"0"', '["x"]',
                                   '{"a": 1}', "null", '"1e3"', '"\u0661\u0662"'])
async def test_an_id_no_opportunity_can_have_gets_not_available(app_db, domain, value):
    shown = _two_opportunities(app_db)
    signing = await run(ValidateSignupForm(), forged(f'/sign_up{{"opportunity_id": {value}}}',
                                                     slots={"shown_ids": shown[:1]}), domain)
    assert signing.slots["opportunity_id"] is None  # never the one result that was shown
    assert signing.texts == [messages.OPPORTUNITY_GONE]
    reading = await run(ActionMoreInfo(), forged(f'/more_info{{"opportunity_id": {value}}}',
                                                 slots={"shown_ids": shown}), domain)
    assert reading.texts == [messages.OPPORTUNITY_GONE]


async def test_an_id_in_a_list_is_that_id(app_db, domain):
    oid = _two_opportunities(app_db)[0]
    outcome = await run(ValidateSignupForm(), forged(f'/sign_up{{"opportunity_id": ["{oid}"]}}'), domain)
    assert outcome.slots["opportunity_id"] == str(oid)


@pytest.mark.parametrize("value", ['{"a": 1}', '[["avond"]]', "5", "null", '"<script>"'])
async def test_a_forged_time_breaks_neither_this_search_nor_later_ones(demo_db, domain, value):
    tracker = forged(f'/search_opportunities{{"time": {value}}}', slots=_search_slots(interests=()))
    assert tracker.get_slot("times")  # what Rasa's slot mapping leaves for the actions
    shown = await run(ActionShowResults(), tracker, domain)
    assert shown.texts[0].startswith("Ik vond")
    later = forged("/more_results", slots={**_search_slots(interests=()), "times": tracker.get_slot("times"),
                                           "result_offset": 0})
    assert "4." in (await run(ActionMoreResults(), later, domain)).all_text
    alert = await run(ActionSubscribeAlerts(), later, domain)
    assert alert.all_text.startswith("Goed!")


@pytest.mark.parametrize("payload", ["/search_opportunities", '/search_opportunities{"time": {"a": 1}}',
                                     '/inform{"interest": null}', '/change_search{"postcode": [[1]]}'])
async def test_a_payload_that_answers_nothing_keeps_the_search_form_asking(app_db, domain, payload):
    """Without a slot event Rasa rejects the form and, finding no other rule, answers nothing at all."""
    outcome = await run(ValidateSearchForm(), forged(payload, requested_slot="location", active_loop="search_form"),
                        domain)
    assert "location" in outcome.slots and outcome.slots["location"] is None


async def test_a_sign_up_payload_that_answers_nothing_keeps_the_signup_form_asking(app_db, domain):
    oid = _two_opportunities(app_db)[0]
    tracker = forged("/sign_up{}", requested_slot="first_name", active_loop="signup_form",
                     slots={"opportunity_id": str(oid), "shown_ids": [oid, oid + 1]})
    outcome = await run(ValidateSignupForm(), tracker, domain)
    assert "first_name" in outcome.slots and outcome.slots["first_name"] is None


async def test_a_typed_answer_needs_no_help_to_keep_the_form_going(app_db, domain):
    tracker = make_tracker(text="3512", intent="inform", requested_slot="location", active_loop="search_form")
    outcome = await run(ValidateSearchForm(), tracker, domain)
    assert [e["name"] for e in outcome.events if e.get("event") == "slot"].count("location") == 1


async def test_a_payload_with_broken_json_is_the_intent_alone(app_db, domain):
    outcome = await run(ValidateSearchForm(), forged('/search_opportunities{"postcode": '), domain)
    assert outcome.messages == [] and outcome.slots == {}  # the form asks where the resident lives


@pytest.mark.parametrize(("value", "cleaned"), [
    ("3512 AB", "3512 AB"), (3512, "3512"), ("  Utrecht\n", "Utrecht"), ("Utr\x00echt\u202e", "Utr echt"),
    ("ｕｔｒｅｃｈｔ", "utrecht"), ("x" * 10_000, "x" * MAX_ENTITY_CHARS), pytest.param(10**5000, None, id="5000 digits"),
    (None, None), (True, None), (3.5, None), ({"a": 1}, None), (["1"], None), ("", None), ("\x00", None),
])
def test_entity_values_become_short_printable_text_or_nothing(value, cleaned):
    assert clean_entity_value(value) == cleaned


@pytest.mark.parametrize(("value", "expected"), [
    ("12", 12), (12, 12), (" 12 ", 12), ("2147483647", 2**31 - 1),
    ("2147483648", None), ("999999999999999999999", None), (10**30, None), ("0", None), ("-1", None), (-1, None),
    ("1e3", None), ("1_000", None), ("\u0661\u0662", None), ("１２", None), (True, None), (1.0, None), (None, None),
])
def test_record_ids_are_plain_digits_every_database_can_hold(value, expected):
    assert record_id(value) == expected
