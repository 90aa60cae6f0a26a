"""Button payloads typed by hand, through the real Rasa: friendly answers, and the conversation still works.

Rasa's RegexMessageHandler, its slot mapping for `times` and the action
server all see these exactly as a resident could send them.
"""

from __future__ import annotations

import pytest

from doemee import messages
from tests.e2e.test_conversation import Resident_, _buttons, _text

pytestmark = pytest.mark.e2e

FORGED = [
    '/search_opportunities{"postcode": "\'; --", "interest": "<script>"}',
    '/search_opportunities{"time": {"a": 1}}',
    '/inform{"interest": {"a": 1}, "place": [["<b>x</b>"]]}',
    '/search_opportunities{"time": 5, "postcode": null}',
    '/sign_up{"opportunity_id": "999999999999999999999"}',
    '/sign_up{"opportunity_id": ["1"]}',
    '/more_info{"opportunity_id": -1}',
    '/search_opportunities{"postcode": ',
    '/inform{"place": "' + "x" * 20_000 + '"}',
]


def test_forged_payloads_get_friendly_answers_and_a_search_still_works(stack):
    resident = Resident_(stack)
    for payload in FORGED:
        replies = resident.say(payload)
        said = _text(replies)
        assert replies, payload
        assert messages.SORRY_TECHNICAL not in said, payload
        assert not any(bad in said for bad in ("<", "None", "script")), (payload, said)
    asked = _text(resident.say('/search_opportunities{"interest": "<script>"}'))
    assert messages.INTERESTS_UNKNOWN in asked or "Waar woon je" in asked

    results = resident.say("ik woon in 3512 en wil iets met ouderen doen")
    assert "Ik vond" in _text(results) or "Eerlijk gezegd" in _text(results)
    assert len([b for b in _buttons(results) if b["title"] == "Aanmelden"]) == 3
