"""Keeps what residents type out of Rasa's logs.

Rasa 3.6 logs message texts and entity values through structlog: at debug
level on every parse, and as a warning whenever a message starts with "/" but
is no valid payload. Its own `_anonymizer` only acts when Rasa Pro supplies an
anonymisation pipeline. This processor goes first in structlog's chain and
replaces the values of the keys Rasa marks as personal.
"""

from __future__ import annotations

import functools
from typing import Any, Dict

import structlog

WRITTEN_FOR_RASA = "3.6.21"
REDACTED = "[weggelaten]"
# The keys rasa.utils.log_utils._anonymizer lists in Rasa 3.6.21.
PERSONAL_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
    "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
    "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
    "json_message",
})


def redact(_: Any, __: str, event_dict: Dict[str, Any]) -> Dict[str, Any]:
    for key in PERSONAL_KEYS.intersection(event_dict):
        event_dict[key] = REDACTED
    return event_dict


def install() -> None:
    """Puts `redact` first in structlog's processors, now and after every later `structlog.configure`.

    Rasa's command line configures structlog itself once it starts, after the
    patches went in (rasa_addons.serve), and that replaces the processors; so
    the configuration call itself keeps `redact` in front. In place, so loggers
    already cached use it too.
    """
    processors = structlog.get_config()["processors"]
    if redact not in processors:
        processors.insert(0, redact)
    if getattr(structlog.configure, "__keeps_redaction__", False):
        return
    configure = structlog.configure

    @functools.wraps(configure)
    def configure_keeping_redaction(*args: Any, **kwargs: Any) -> None:
        if kwargs.get("processors") is not None and redact not in kwargs["processors"]:
            kwargs["processors"] = [redact, *kwargs["processors"]]
        configure(*args, **kwargs)

    configure_keeping_redaction.__keeps_redaction__ = True  # type: ignore[attr-defined]
    structlog.configure = configure_keeping_redaction
