"""Off-script answers over Rasa's REST channel against the real stack (issue 16):
a whole need in one message, and an off-topic question in the middle of the search."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from doemee import messages
from doemee.storage.models import Opportunity
from tests.e2e.test_conversation import Resident_, _database, _text

pytestmark = pytest.mark.e2e

REPAIR_CAFE = ("Wij zijn Repair Café Houten en zoeken iemand die op zaterdag kapotte fietsen wil repareren, "
               "in 3991, mail naar info@repaircafehouten.nl")


def test_a_need_in_one_message_is_asked_only_what_is_missing_and_saved_after_yes(stack):  # noqa: F811
    resident = Resident_(stack)
    first = _text(resident.say(REPAIR_CAFE))
    assert messages.NEED_NOTED in first
    assert messages.ASK_NEED_CATEGORY in first
    assert messages.ASK_NEED_INITIATIVE not in first and messages.ASK_NEED_EMAIL not in first

    assert messages.ASK_NEED_COMMITMENT in _text(resident.say("klussen"))
    summary = _text(resident.say("elke week"))
    for shown in ("Klopt dit?", "Repair Café Houten", "3991", "info@repaircafehouten.nl", "Klussen en repareren"):
        assert shown in summary

    saved = _text(resident.say("/affirm"))
    assert "opgeslagen" in saved
    with _database(stack).session() as session:
        stored = session.scalars(select(Opportunity).where(Opportunity.contact_email == "info@repaircafehouten.nl")).one()
        assert (stored.status, stored.source, stored.pc4) == ("concept", "chat", "3991")
        assert stored.initiative.name == "Repair Café Houten" and stored.category == "klussen"
        assert stored.time_commitment == "wekelijks"


def test_an_off_topic_question_in_the_search_is_answered_and_the_interest_asked_again(stack):  # noqa: F811
    resident = Resident_(stack)
    assert messages.ASK_INTERESTS in _text(resident.say("ik zoek vrijwilligerswerk in 3512"))

    answer = _text(resident.say("wat voor weer wordt het morgen?"))
    assert "Daar kan ik je niet mee helpen" in answer
    assert messages.ASK_INTERESTS in answer
    assert messages.INTERESTS_UNKNOWN not in answer

    results = _text(resident.say("iets met ouderen"))
    assert "Ik vond" in results or "Eerlijk gezegd" in results
