"""Cleans each message's text at Rasa's entry, before the NLU pipeline, the tracker store or an action sees it.

The cleaning itself is nlu/message_text.py; here it is put in front of
`MessageProcessor.handle_message`, which every channel's message goes through.
"""

from __future__ import annotations

import functools
from typing import Any

from rasa.core.channels.channel import UserMessage

from nlu.message_text import clean
from rasa_addons.processor_hooks import Handler, wrap_handle_message

WRITTEN_FOR_RASA = "3.6.21"


def cleaning(handle: Handler) -> Handler:
    @functools.wraps(handle)
    async def handle_clean_text(self: Any, message: UserMessage, *args: Any, **kwargs: Any) -> Any:
        if isinstance(message.text, str):
            message.text = clean(message.text)
        return await handle(self, message, *args, **kwargs)

    return handle_clean_text


def install() -> None:
    """Puts the cleaning around `MessageProcessor.handle_message`, once."""
    wrap_handle_message(cleaning, "__wrapped_by_incoming_text__")
