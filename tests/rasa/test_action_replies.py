"""The reply check accepts and rejects exactly what Rasa's own check does, and takes its fast path for good replies."""


import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted, ActiveLoop, BotUttered, FollowupAction, Restarted, SessionStarted, SlotSet, UserUttered,
)

from rasa_addons.action_replies import _valid_event_by_event

GOOD = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "geo", "value": {"pc4": "3511"}},
                {"event": "followup", "name": "action_show_results"}],
     "responses": [{"text": "Ik vond 3 kansen.", "buttons": [{"title": "Aanmelden", "payload": "/sign_up"}]}]},
    {"events": [e.as_dict() for e in (
        SlotSet("interests", ["groen"]), SlotSet("requested_slot", None), ActiveLoop("search_form"), ActiveLoop(None),
        BotUttered("Waar woon je?", {"buttons": []}), ActionExecuted("action_show_results", policy="RulePolicy", confidence=1.0),
        FollowupAction("action_listen"), SessionStarted(), Restarted(),
        UserUttered("hoi", {"name": "greet", "confidence": 0.9}, [{"entity": "place", "value": "Utrecht", "start": 0, "end": 7}]),
    )]},
    {"responses": [{"text": "Alleen tekst."}]},
]
BAD = [
    {"events": [{"event": "slot"}]},
    {"events": "geen lijst"},
    {"events": [], "responses": ["geen object"]},
    {"events": [{"event": "slot", "name": 3, "value": "x"}]},
    {"events": [{"event": "geen_soort"}]},
    {"events": [{"name": "interests", "value": "groen"}]},
    {"events": [{"event": 7}]},
    {"events": [{"event": "action", "name": "action_listen", "timestamp": "nu"}]},
    {"events": [{"event": "bot", "text": "hoi"}, "geen object"]},
    {"events": None},
    {"events": [], "responses": "geen lijst"},
]


@pytest.mark.parametrize("reply", GOOD)
def test_a_valid_reply_passes(reply):
    jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    assert RemoteAction("action_show_results", None)._validate_action_result(reply) is True
    assert _valid_event_by_event(reply), "a good reply should not need the whole schema"


@pytest.mark.parametrize("reply", BAD)
def test_an_invalid_reply_is_rejected_with_the_error_rasa_would_give(reply):
    with pytest.raises(jsonschema.ValidationError) as rasa_own:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as ours:
        RemoteAction("action_show_results", None)._validate_action_result(reply)
    assert ours.value.message.startswith(rasa_own.value.message)
    assert not _valid_event_by_event(reply)
    assert "custom-actions" in ours.value.message
