"""Cleans each message's text at Rasa's entry, before the NLU pipeline, the tracker store or an action sees it.

The cleaning itself is nlu/message_text.py; here it is put in front of
`MessageProcessor.handle_message`, which every channel's message goes through,
together with the one rule about Rasa's own intents below.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.constants import DEFAULT_INTENTS

from nlu.message_text import clean
from rasa_addons.processor_hooks import Handler, wrap_handle_message

WRITTEN_FOR_RASA = "3.6.21"

# "/restart", "/back" or "/session_start" typed by a resident would steer Rasa itself: wipe a
# half-filled sign-up, rewind the conversation, or answer nothing at all. None of DoeMee's
# buttons sends them, so typed they are read as words.
_RASA_OWN_INTENT = re.compile(r"^\s*/(?=(?:%s)(?:[\s{@]|$))" % "|".join(map(re.escape, DEFAULT_INTENTS)),
                              re.IGNORECASE)


def as_resident_text(text: str) -> str:
    return _RASA_OWN_INTENT.sub("", clean(text), count=1)


def cleaning(handle: Handler) -> Handler:
    @functools.wraps(handle)
    async def handle_clean_text(self: Any, message: UserMessage, *args: Any, **kwargs: Any) -> Any:
        if isinstance(message.text, str):
            message.text = as_resident_text(message.text)
        return await handle(self, message, *args, **kwargs)

    return handle_clean_text


def install() -> None:
    """Puts the cleaning around `MessageProcessor.handle_message`, once."""
    wrap_handle_message(cleaning, "__wrapped_by_incoming_text__")
