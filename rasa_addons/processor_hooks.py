"""Wraps Rasa's per-message entry point, each wrapper once however often it is installed."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.processor import MessageProcessor

Handler = Callable[..., Awaitable[Any]]


def wrap_handle_message(wrap: Callable[[Handler], Handler], marker: str) -> None:
    """Puts `wrap` around `MessageProcessor.handle_message` unless a layer already carries `marker`.

    `functools.wraps` copies the markers of inner layers outwards, so the outermost layer shows them all.
    """
    current = MessageProcessor.handle_message
    if getattr(current, marker, False):
        return
    wrapped = wrap(current)
    setattr(wrapped, marker, True)
    MessageProcessor.handle_message = wrapped  # type: ignore[method-assign]
