"""An initiative posts a need: the form asks each field, the need is stored as a concept."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import apologise_on_failure
from actions.tracker import is_answer, latest_text
from doemee import messages
from doemee.geo.index import get_geo_index
from doemee.needs import FIELDS, NeedDraft, NeedRejected, check_field, post_need
from doemee.storage.database import get_database


def _field_methods(field: str):
    async def extract(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        return {field: latest_text(tracker)[:6000]} if is_answer(tracker, field) else {}

    async def validate(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        checked = check_field(field, str(value or ""), get_geo_index())
        if checked.problem:
            dispatcher.utter_message(text=checked.problem)
        return {field: checked.value}

    return extract, validate


class ValidateNeedForm(FormValidationAction):
    """Checks each answer as it comes, so the initiative fixes one thing at a time."""

    def name(self) -> str:
        return "validate_need_form"

    @apologise_on_failure(lambda tracker: [SlotSet(tracker.get_slot("requested_slot") or FIELDS[0], None)])
    async def run(self, dispatcher, tracker, domain):
        return await super().run(dispatcher, tracker, domain)


for _field in FIELDS:
    _extract, _validate = _field_methods(_field)
    setattr(ValidateNeedForm, f"extract_{_field}", _extract)
    setattr(ValidateNeedForm, f"validate_{_field}", _validate)


def _reset() -> list[dict[str, Any]]:
    return [SlotSet(field, None) for field in FIELDS]


class ActionSubmitNeed(Action):
    """Stores the need as a concept and says what happens next."""

    def name(self) -> str:
        return "action_submit_need"

    @apologise_on_failure(lambda tracker: _reset())
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        draft = NeedDraft(*(str(tracker.get_slot(field) or "") for field in FIELDS))
        geo = get_geo_index()
        try:
            posted = await get_database().run_sync(lambda session: post_need(session, geo, draft))
        except NeedRejected as rejected:
            dispatcher.utter_message(text=messages.need_rejected(rejected.problems))
            return _reset()
        dispatcher.utter_message(text=messages.need_saved(posted.title, posted.contact_email))
        return _reset()
