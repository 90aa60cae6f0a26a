"""`manage_link_form`: an initiative asks for its manage link and is asked for its contact address.

The form only gathers the address, so an address typed as the answer is
never taken for a search or a sign-up. The link itself goes by mail and
the answer never says whether the address is known (doemee.initiative_links).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import apologise_on_failure
from actions.tracker import HANDLED_IN_FORMS, asks_something_else, latest_intent, latest_text
from doemee import initiative_messages as text
from doemee.initiative_links import request_manage_link
from doemee.residents import parse_contact
from doemee.storage.database import get_database

MANAGE_EMAIL = "manage_email"
MAX_ADDRESS = 254


def _address(value: Any) -> str | None:
    contact = parse_contact(str(value or ""))
    return contact.value if contact is not None and contact.kind == "email" else None


class ValidateManageLinkForm(FormValidationAction):
    """Takes an address from the request itself or from the answer; a wrong one is asked again."""

    def name(self) -> str:
        return "validate_manage_link_form"

    @apologise_on_failure(lambda tracker: [SlotSet(MANAGE_EMAIL, None)])
    async def run(self, dispatcher, tracker, domain):
        return await super().run(dispatcher, tracker, domain)

    async def extract_manage_email(self, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        said = latest_text(tracker)
        if _address(said) is not None:
            return {MANAGE_EMAIL: said[:MAX_ADDRESS]}
        asked = tracker.get_slot("requested_slot") == MANAGE_EMAIL
        # Whatever the form's rules do not answer is taken as the answer, so a wrong one is asked again.
        if asked and said and latest_intent(tracker) not in HANDLED_IN_FORMS and not asks_something_else(tracker):
            return {MANAGE_EMAIL: said[:MAX_ADDRESS]}
        return {}

    async def validate_manage_email(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        address = _address(value)
        if address is None:
            dispatcher.utter_message(text=text.REQUEST_BAD_EMAIL_CHAT)
        return {MANAGE_EMAIL: address}


class ActionAskManageEmail(Action):
    def name(self) -> str:
        return "action_ask_manage_email"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        dispatcher.utter_message(text=text.REQUEST_ASK_EMAIL_CHAT)
        return []


class ActionSendManageLink(Action):
    """Mails the link to every initiative with this contact address; the same answer whatever happened."""

    def name(self) -> str:
        return "action_send_manage_link"

    @apologise_on_failure(lambda tracker: [SlotSet(MANAGE_EMAIL, None)])
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        address = _address(tracker.get_slot(MANAGE_EMAIL))
        if address is not None:
            now = datetime.now(timezone.utc)
            await get_database().run_sync(lambda session: request_manage_link(session, address, now))
        dispatcher.utter_message(text=text.REQUEST_ANSWER_CHAT)
        return [SlotSet(MANAGE_EMAIL, None)]
