"""The forms' questions: one `action_ask_<slot>` per slot, text from doemee.messages.

Button payloads are plain words where the answer is text (the validation
reads the text), and `/intent{...}` where an entity says it exactly.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.render import payload
from doemee import messages

Button = dict[str, str]


def _interest_buttons() -> list[Button]:
    buttons = [{"title": title, "payload": payload("inform", interest=slug)} for title, slug in messages.INTEREST_BUTTONS]
    return buttons + [{"title": messages.BUTTON_NO_PREFERENCE, "payload": messages.BUTTON_NO_PREFERENCE.lower()}]


def _word_buttons(pairs: tuple[tuple[str, str], ...]) -> list[Button]:
    return [{"title": title, "payload": word} for title, word in pairs]


QUESTIONS: dict[str, tuple[str, list[Button]]] = {
    "interests": (messages.ASK_INTERESTS, _interest_buttons()),
    # first_name: actions/signup.py (worded after a reason when asked again).
    "contact": (messages.ASK_CONTACT, []),
    "need_initiative": (messages.ASK_NEED_INITIATIVE, []),
    "need_title": (messages.ASK_NEED_TITLE, []),
    "need_description": (messages.ASK_NEED_DESCRIPTION, []),
    "need_category": (messages.ASK_NEED_CATEGORY, _word_buttons(messages.NEED_CATEGORY_BUTTONS)),
    "need_postcode": (messages.ASK_NEED_POSTCODE, []),
    "need_commitment": (messages.ASK_NEED_COMMITMENT, _word_buttons(messages.COMMITMENT_BUTTONS)),
    "need_email": (messages.ASK_NEED_EMAIL, []),
    "alert_email": (messages.ASK_ALERT_EMAIL, []),
    # question_text and question_consent: actions/handoff.py.
    "question_contact": (messages.ASK_QUESTION_CONTACT, []),
    "forget_confirmed": (messages.ASK_FORGET, [
        {"title": messages.BUTTON_FORGET_YES, "payload": payload("affirm")},
        {"title": messages.BUTTON_FORGET_NO, "payload": payload("deny")},
    ]),
}


class AskQuestion(Action, ABC):
    """Asks the form question for one slot; one subclass per slot below."""

    @property
    @abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        text, buttons = QUESTIONS[self.slot]
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


def _define(slot: str) -> type[AskQuestion]:
    """A module-level class per slot (the action server pickles actions into its workers)."""
    name = "Ask" + "".join(part.title() for part in slot.split("_"))
    cls = type(name, (AskQuestion,), {"slot": slot, "__module__": __name__, "__qualname__": name})
    globals()[name] = cls
    return cls


for _slot in QUESTIONS:
    _define(_slot)
