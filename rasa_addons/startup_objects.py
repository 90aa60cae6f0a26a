"""Keeps the objects Rasa loads at start-up out of the garbage collector's full passes.

The loaded model leaves some 900,000 objects that live as long as the server.
Python's full collection walks all of them: about 0.6 s during which no
message moves, once every hundred or so messages, so under load every queued
resident waited that long. Freezing them when the first message arrives (the
model is loaded by then) makes a full pass walk only what came after.
"""

from __future__ import annotations

import functools
import gc
from typing import Any

from rasa_addons.processor_hooks import Handler, wrap_handle_message

WRITTEN_FOR_RASA = "3.6.21"


def frozen_on_first_call(handle: Handler) -> Handler:
    """`handle` that first moves every object alive into the collector's permanent generation, once."""
    frozen = False

    @functools.wraps(handle)
    async def handle_after_freeze(*args: Any, **kwargs: Any) -> Any:
        nonlocal frozen
        if not frozen:
            frozen = True
            gc.freeze()
        return await handle(*args, **kwargs)

    return handle_after_freeze


def install() -> None:
    """Wraps Rasa's per-message entry point, once."""
    wrap_handle_message(frozen_on_first_call, "__freezes_startup__")
