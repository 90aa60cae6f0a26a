"""An initiative posts a need: the form takes what one message already says, asks the rest,
confirms a summary, and the need is stored as a concept."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.render import payload
from actions.safety import apologise_on_failure
from actions.tracker import (
    INTERRUPTIONS, asks_something_else, centre_slug, entity_values, is_answer, latest_intent, latest_text,
    only_a_place,
)
from doemee import messages
from doemee.categories import LABELS
from doemee.geo.index import get_geo_index
from doemee.needs import FIELDS, FREE_TEXT, NeedDraft, NeedRejected, check_field, post_need, read_need
from doemee.storage.database import get_database

CONFIRMED = "need_confirmed"
# "asked" while the initiative picks what to change, "unclear" after an answer that named nothing,
# AGAIN after a first answer to the summary that was neither yes, no nor a change.
CORRECTING = "need_correcting"
AGAIN = "again"
# Fields a correction may set directly ("nee, het adres is info@club.nl"): their values
# cannot be mistaken for something else. Free text is asked again instead.
_DIRECT = ("need_email", "need_postcode", "need_category", "need_commitment")
_FIELD_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), field) for pattern, field in (
        (r"e-?mail|mailadres", "need_email"),
        (r"initiatief|club|organisatie|naam", "need_initiative"),
        (r"titel", "need_title"),
        (r"omschrijving|beschrijving|wat de vrijwilliger|taak", "need_description"),
        (r"onderwerp|categorie|soort", "need_category"),
        (r"postcode|plaats|\badres", "need_postcode"),
        (r"hoe vaak|frequentie", "need_commitment"),
    )
)
_SAVE = re.compile(r"^\s*(ja|jazeker|klopt|opslaan|ja,? opslaan|prima|goed|is goed|ok|oké|akkoord|👍)\W*$",
                   re.IGNORECASE)


# Someone who speaks of their own search ("ik zoek eigenlijk zelf vrijwilligerswerk"), or moves
# around search results: initiatives say "wij" and "ons".
_FIRST_PERSON = re.compile(r"\b(ik|mij|me|mijn|zelf)\b", re.IGNORECASE)
_NAVIGATING = re.compile(
    r"\b(ik|mij|me|mijn|zelf|laat|vertel|toon|nog meer|iets anders|aanmelden|inschrijven)\b|^\W*anders\W*$",
    re.IGNORECASE,
)
_RESULT_INTENTS = frozenset({"more_results", "more_info", "sign_up", "change_search"})
# "Wij zoeken vrijwilligers (voor ons buurthuis)": what the form already knows, said again.
_WANTS_VOLUNTEERS = re.compile(
    r"\b(zoek|zoeken|zoekt|nodig|vragen|werven)\b.{0,20}\b(vrijwilligers?|mensen|hulp|iemand|handen)\b",
    re.IGNORECASE,
)


def wants_own_search(tracker: Tracker) -> bool:
    """Whether the message asks for a search of the person's own, not an answer for the need.

    The form then steps aside (no slot set) and the rule "search instead of
    need_form" starts the search: the person is a resident after all.
    """
    text = latest_text(tracker)
    if not _FIRST_PERSON.search(text):
        return False
    intent = latest_intent(tracker)
    return intent == "search_opportunities" or (
        intent == "inform" and bool(entity_values(tracker, "place") or entity_values(tracker, "postcode")))


def refused_free_text(tracker: Tracker, field: str) -> str | None:
    """Why a typed answer to an initiative's name, title or description is no answer, or None.

    Free text takes anything, so "laat er nog meer zien", "wij zoeken
    vrijwilligers" or "Zwolle" would become a title. Only messages that
    plainly mean something else are refused; a description the NLU calls a
    post_need ("we zoeken iemand die ...") still counts when it describes work.
    """
    text = latest_text(tracker)
    intent = latest_intent(tracker)
    if intent in _RESULT_INTENTS and _NAVIGATING.search(text):
        return messages.NEED_BUSY
    if intent == "post_need" and _WANTS_VOLUNTEERS.search(text) and field not in read_need(text, get_geo_index()):
        return messages.NEED_ALREADY_POSTING
    place = only_a_place(tracker) if field != "need_description" else None
    return messages.need_place_answer(place) if place is not None else None


def _field_named(text: str) -> str | None:
    for pattern, field in _FIELD_WORDS:
        if pattern.search(text):
            return field
    return None


def _field_methods(field: str):
    async def extract(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if is_answer(tracker, field):
            return {} if wants_own_search(tracker) else {field: latest_text(tracker)[:6000]}
        if tracker.get_slot("requested_slot") is None and tracker.get_slot(field) is None:
            # The message that started the form: take what it already says.
            found = read_need(latest_text(tracker), get_geo_index()).get(field)
            return {field: found} if found else {}
        return {}

    async def validate(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if field in FREE_TEXT and is_answer(tracker, field):
            refused = refused_free_text(tracker, field)
            if refused is not None:
                dispatcher.utter_message(text=refused)
                return {field: None}
        still_open = frozenset(f for f in FIELDS if f != field and tracker.get_slot(f) is None)
        checked = check_field(field, str(value or ""), get_geo_index(), still_open)
        if checked.problem:
            dispatcher.utter_message(text=checked.problem)
        result: dict[str, Any] = {field: checked.value}
        if checked.elsewhere is not None:
            other, other_value = checked.elsewhere
            result[other] = other_value
        return result

    return extract, validate


class ValidateNeedForm(FormValidationAction):
    """Checks each answer as it comes, so the initiative fixes one thing at a time."""

    def name(self) -> str:
        return "validate_need_form"

    @apologise_on_failure(lambda tracker: [SlotSet(tracker.get_slot("requested_slot") or FIELDS[0], None)])
    async def run(self, dispatcher, tracker, domain):
        asked = tracker.get_slot("requested_slot")
        if asked == CONFIRMED:
            return self._confirm(dispatcher, tracker)
        events = await super().run(dispatcher, tracker, domain)
        if asked is None:
            if any(e.get("event") == "slot" and e.get("value") for e in events):
                dispatcher.utter_message(text=messages.NEED_NOTED)
            # A form stopped halfway may have left its summary state behind.
            events += [SlotSet(slot, None) for slot in (CONFIRMED, CORRECTING) if tracker.get_slot(slot) is not None]
        return events

    @staticmethod
    def _confirm(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        """The answer to the summary, or to "what do you want to change?".

        Handled here rather than by a rule: a "nee" must not stop the form
        (what the rule for deny does) but lead to the correction.
        """
        text = latest_text(tracker)
        intent = latest_intent(tracker)
        if wants_own_search(tracker):
            return []
        geo = get_geo_index()
        found = {f: v for f, v in read_need(text, geo).items() if f in _DIRECT}
        if found:
            return [*(SlotSet(f, v) for f, v in found.items()), SlotSet(CORRECTING, None), SlotSet(CONFIRMED, None)]
        named = None if _SAVE.match(text) else _field_named(text)
        if named is not None:
            return [SlotSet(named, None), SlotSet(CORRECTING, None), SlotSet(CONFIRMED, None)]
        if intent == "affirm" or _SAVE.match(text):
            return [SlotSet(CONFIRMED, True), SlotSet(CORRECTING, None)]
        correcting = tracker.get_slot(CORRECTING)
        if intent == "deny" and correcting in (None, AGAIN):
            return [SlotSet(CORRECTING, "asked")]
        if intent in INTERRUPTIONS or intent == "unsubscribe_alerts" or asks_something_else(tracker) or not text:
            return []  # the form steps aside; the rules answer and ask again
        # Something else entirely: first the summary again, then the choice of what to change.
        return [SlotSet(CORRECTING, AGAIN if correcting is None else "unclear")]


for _field in FIELDS:
    _extract, _validate = _field_methods(_field)
    setattr(ValidateNeedForm, f"extract_{_field}", _extract)
    setattr(ValidateNeedForm, f"validate_{_field}", _validate)


def _summary(tracker: Tracker) -> str:
    values = [str(tracker.get_slot(field) or "") for field in FIELDS]
    category = FIELDS.index("need_category")
    values[category] = LABELS.get(values[category], values[category])
    return messages.need_summary([messages.NEED_FIELD_LABELS[field] for field in FIELDS], values)


class ActionAskNeedConfirmed(Action):
    """Shows everything before saving; after a "nee", asks what to change."""

    def name(self) -> str:
        return "action_ask_need_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        correcting = tracker.get_slot(CORRECTING)
        if correcting == AGAIN:
            dispatcher.utter_message(text=messages.NEED_CONFIRM_AGAIN)
            correcting = None
        if correcting:
            buttons = [{"title": messages.NEED_FIELD_LABELS[f], "payload": messages.NEED_FIELD_LABELS[f].lower()}
                       for f in FIELDS]
            buttons.append({"title": messages.BUTTON_NEED_SAVE, "payload": payload("affirm")})
            text = messages.NEED_FIX_UNCLEAR if correcting == "unclear" else messages.ASK_NEED_FIX
            dispatcher.utter_message(text=text, buttons=buttons)
            return []
        dispatcher.utter_message(text=_summary(tracker), buttons=[
            {"title": messages.BUTTON_NEED_SAVE, "payload": payload("affirm")},
            {"title": messages.BUTTON_NEED_CHANGE, "payload": payload("deny")},
        ])
        return []


def _reset() -> list[dict[str, Any]]:
    return [SlotSet(field, None) for field in (*FIELDS, CONFIRMED, CORRECTING)]


class ActionSubmitNeed(Action):
    """Stores the need as a concept and says what happens next."""

    def name(self) -> str:
        return "action_submit_need"

    @apologise_on_failure(lambda tracker: _reset())
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        draft = NeedDraft(*(str(tracker.get_slot(field) or "") for field in FIELDS))
        geo = get_geo_index()
        try:
            slug = centre_slug(tracker)
            posted = await get_database().run_sync(lambda session: post_need(session, geo, draft, centre_slug=slug))
        except NeedRejected as rejected:
            dispatcher.utter_message(text=messages.need_rejected(rejected.problems))
            return _reset()
        dispatcher.utter_message(text=messages.need_saved(posted.title, posted.contact_email))
        return _reset()
