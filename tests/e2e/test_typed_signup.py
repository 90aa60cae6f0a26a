"""Signing up by typing after results, over Rasa's REST channel against the real stack (issue 16).

Residents type rather than tap: they name a result ("doe maar de moestuin"),
point at it ("die tweede"), or just give their name or address. Before, each
of these showed the same results again.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_conversation import Resident_, _buttons, _text


pytestmark = pytest.mark.e2e


def _results(resident: Resident_, message: str) -> list[dict]:
    replies = resident.say(message)
    assert any(b["title"] == "Meer info" for b in _buttons(replies)), _text(replies)
    return replies


def _is_results(replies: list[dict]) -> bool:
    return any(b["title"] == "Meer info" for b in _buttons(replies))


def _card_titles(replies: list[dict]) -> list[str]:
    return [r["text"].splitlines()[0] for r in replies if any(b["title"] == "Meer info" for b in r.get("buttons") or [])]


def test_naming_the_garden_in_words_signs_up_for_it(stack):
    resident = Resident_(stack)
    results = _results(resident, "ik woon in haarlem en hou van tuinieren")
    assert any("Moestuin" in title for title in _card_titles(results))

    asked = resident.say("doe maar de moestuin")
    assert "Hoe heet je?" in _text(asked) and not _is_results(asked)
    assert "e-mailadres" in _text(resident.say("Pieter"))
    consent = resident.say("pieter@ziggo.nl")
    assert "Moestuin" in _text(consent) and "Pieter" in _text(consent)
    assert "Gelukt" in _text(resident.say("ja"))


def test_signing_up_as_a_language_buddy_picks_that_result(stack):
    resident = Resident_(stack)
    _results(resident, "ik woon in kanaleneiland en wil iets met taal")
    asked = resident.say("ik wil me aanmelden als taalmaatje")
    assert "Hoe heet je?" in _text(asked), _text(asked)
    resident.say("Ahmed")
    assert "Taalmaatje" in _text(resident.say("0612345678"))


@pytest.mark.parametrize("pointing, position", [("die tweede lijkt me wel wat", 2), ("nummer 3", 3), ("de laatste", 3)])
def test_pointing_at_a_result_signs_up_for_that_one(stack, pointing, position):
    resident = Resident_(stack)
    titles = _card_titles(_results(resident, "ik woon in 3512 en wil iets met ouderen doen"))
    assert "Hoe heet je?" in _text(resident.say(pointing))
    resident.say("Sanne")
    consent = _text(resident.say("sanne@example.org"))
    meant = titles[position - 1].split(". ", 1)[1]
    assert meant in consent


def test_a_first_name_after_results_is_kept_and_the_result_asked_with_buttons(stack):
    resident = Resident_(stack)
    shown = _card_titles(_results(resident, "ik zoek iets met eten in rotterdam"))
    assert len(shown) > 1
    asked = resident.say("Marieke")
    assert not _is_results(asked)
    assert "Voor welke plek" in _text(asked) and "Marieke" in _text(asked)
    assert len([b for b in _buttons(asked) if '"opportunity_id"' in b["payload"]]) == len(shown)
    # The name is not asked again.
    assert "Hoe kan het initiatief je bereiken" in _text(resident.say("de eerste"))
    assert "Marieke" in _text(resident.say("marieke@example.nl"))


def test_an_address_after_results_is_kept_and_never_searches_again(stack):
    resident = Resident_(stack)
    _results(resident, "ik woon in enschede en wil iets met taal doen")
    asked = resident.say("marieke@example.nl")
    assert not _is_results(asked) and "Voor welke plek" in _text(asked)
    assert "Hoe heet je?" in _text(resident.say("nummer 2"))
    consent = _text(resident.say("Marieke"))
    assert "marieke@example.nl" in consent and "Is dat goed?" in consent


def test_the_food_bank_named_after_results_starts_a_sign_up_not_a_search(stack):
    resident = Resident_(stack)
    _results(resident, "ik zoek iets met eten in rotterdam")
    asked = resident.say("de voedselbank graag")
    assert not _is_results(asked)
    assert "Hoe heet je?" in _text(asked) or "Voor welke plek" in _text(asked), _text(asked)


def test_more_info_for_a_named_result_then_signing_up_means_that_one(stack):
    resident = Resident_(stack)
    _results(resident, "ik woon in haarlem en hou van tuinieren")
    details = resident.say("vertel meer over de moestuin")
    assert "Moestuin" in _text(details) and not _is_results(details)
    assert "Hoe heet je?" in _text(resident.say("leuk, daar wil ik me voor aanmelden"))
    resident.say("Els")
    assert "Moestuin" in _text(resident.say("els@example.nl"))


def test_a_choice_that_fits_nothing_shows_buttons_and_never_the_same_reply_twice(stack):
    resident = Resident_(stack)
    _results(resident, "ik woon in haarlem en hou van tuinieren")
    first = resident.say("doe maar die bij de kerk")
    second = resident.say("nee, die bij de kerk zei ik")
    assert not _is_results(first) and not _is_results(second)
    assert _buttons(first) and _text(first) != _text(second)
