"""The training data keeps the contract: intents, amounts, normalised entity values."""

from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from doemee.categories import SLUGS
from doemee.geo.postcodes import normalise_postcode
from nlu.interests import find_interests
from nlu.places import find_places, gazetteer
from nlu.postcodes import find_postcodes
from nlu.times import VALUES, find_times

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_INTENTS = {
    "greet", "goodbye", "thank", "affirm", "deny", "help", "bot_challenge", "search_opportunities",
    "inform", "more_results", "sign_up", "post_need", "subscribe_alerts", "unsubscribe_alerts",
    "forget_me", "human_handoff", "out_of_scope",
}


@pytest.fixture(scope="module")
def data():
    return load_data(str(ROOT / "data" / "nlu"))


def test_every_contract_intent_has_at_least_40_examples(data):
    counts = data.number_of_examples_per_intent
    assert CONTRACT_INTENTS <= set(counts)
    assert {i: n for i, n in counts.items() if n < 40} == {}


def test_inform_and_search_have_far_more_examples(data):
    counts = data.number_of_examples_per_intent
    assert counts["inform"] >= 200
    assert counts["search_opportunities"] >= 150


def test_every_entity_value_is_normalised_as_the_contract_says(data):
    places = set(gazetteer().values.values())
    valid = {
        "postcode": lambda v: normalise_postcode(v) == v,
        "place": lambda v: v in places,
        "interest": lambda v: v in SLUGS,
        "time": lambda v: v in VALUES,
    }
    wrong = [
        (e["entity"], e["value"])
        for example in data.nlu_examples
        for e in example.get("entities") or []
        if not valid[e["entity"]](e["value"])
    ]
    assert wrong == []


def test_the_rule_extractors_reproduce_every_annotation(data):
    expected, found = set(), set()
    for example in data.nlu_examples:
        text = example.get("text")
        expected |= {(text, e["start"], e["end"], e["entity"], e["value"]) for e in example.get("entities") or []}
        for finder in (find_postcodes, find_places, find_interests, find_times):
            found |= {(text, s.start, s.end, s.entity, s.value) for s in finder(text)}
    assert sorted(expected ^ found) == []
