"""Lets only a few messages be in progress inside Rasa at once; the rest wait their turn.

Rasa runs each message's Python on one thread and switches between messages
wherever one waits for the action server. With 20 conversations at once, a
search (two action calls) was therefore interleaved with every other message
in progress, and only finished when nearly all of them had: its median wait
was 1.5 to 1.9 times a greeting's while its work was 1.3 times as much. With
a few messages in progress, the thread still has work while one waits for
the action server, and a message that has started finishes before the next
ones start. Per conversation, Rasa's own lock keeps messages in order; this
gate sits inside that lock, so a waiting second message of one conversation
never holds a place.
"""

from __future__ import annotations

import asyncio
import functools
import os
from typing import Any, Optional

from rasa_addons.processor_hooks import Handler, wrap_handle_message

WRITTEN_FOR_RASA = "3.6.21"

SETTING = "DOEMEE_RASA_MESSAGES_AT_ONCE"
DEFAULT_AT_ONCE = 2


def messages_at_once(environ: Optional[dict] = None) -> int:
    """The gate's width from the environment; 0 turns the gate off. Bad values fall back to the default."""
    raw = (environ if environ is not None else os.environ).get(SETTING, "").strip()
    try:
        value = int(raw) if raw else DEFAULT_AT_ONCE
    except ValueError:
        return DEFAULT_AT_ONCE
    return value if value >= 0 else DEFAULT_AT_ONCE


def gated(handle: Handler, width: int) -> Handler:
    """`handle` behind a semaphore of `width` places (it binds to the server's loop when first waited on)."""
    places = asyncio.Semaphore(width)

    @functools.wraps(handle)
    async def handle_in_turn(*args: Any, **kwargs: Any) -> Any:
        async with places:
            return await handle(*args, **kwargs)

    return handle_in_turn


def install(environ: Optional[dict] = None) -> None:
    """Puts the gate around `MessageProcessor.handle_message`, once."""
    width = messages_at_once(environ)
    if width:
        wrap_handle_message(lambda handle: gated(handle, width), "__wrapped_by_gate__")
