"""Checks the action server's replies against Rasa's schema, without Rasa's per-call cost.

Rasa 3.6 checks every reply with `jsonschema.validate`, which first checks
the schema itself against its meta-schema, on every call: once the largest
single cost of a search turn. A prepared validator removed that, but each
event was still tried against all 23 event schemas of the schema's `oneOf`,
about 2.4 ms for a reply with results. Every one of those schemas fixes the
`event` field to its own name, so only the schema of that name can match: a
reply whose events all name a known kind is checked event by event against
that schema alone, with the same verdict. Anything else, and every reply
that fails, goes through the whole schema, so an error reads exactly as
Rasa's own.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, NamedTuple

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction

WRITTEN_FOR_RASA = "3.6.21"

HINT = (
    ". Failed to validate Action server response from API, make sure your response from the "
    "Action endpoint is valid. For more information about the format visit "
)


class ReplyValidators(NamedTuple):
    whole: Any
    without_events: Any
    by_kind: Dict[str, Any]


@lru_cache(maxsize=1)
def reply_validators() -> ReplyValidators:
    """The whole schema; the schema without the event items; one item schema per event kind."""
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    events = schema["properties"]["events"]
    item = events["items"]
    shell = {**schema, "properties": {**schema["properties"], "events": {k: v for k, v in events.items() if k != "items"}}}
    common = {k: v for k, v in item.items() if k != "oneOf"}
    by_kind = {
        alternative["properties"]["event"]["const"]: cls({**common, "oneOf": [alternative]})
        for alternative in item["oneOf"]
    }
    return ReplyValidators(cls(schema), cls(shell), by_kind)


def _valid_event_by_event(result: Any) -> bool:
    checks = reply_validators()
    events = result.get("events", []) if isinstance(result, dict) else None
    if not isinstance(events, list):
        return False
    if not all(isinstance(e, dict) and isinstance(e.get("event"), str) and e["event"] in checks.by_kind for e in events):
        return False
    return checks.without_events.is_valid(result) and all(checks.by_kind[e["event"]].is_valid(e) for e in events)


def validate_reply(action: RemoteAction, result: Dict[str, Any]) -> bool:
    if _valid_event_by_event(result):
        return True
    error = exceptions.best_match(reply_validators().whole.iter_errors(result))
    if error is not None:
        from rasa.shared.constants import DOCS_BASE_URL

        error.message += f"{HINT}{DOCS_BASE_URL}/custom-actions"
        raise error
    return True


def install() -> None:
    """Replaces Rasa's per-call check; Rasa loads this package with the tracker store, before any action."""
    RemoteAction._validate_action_result = validate_reply  # type: ignore[method-assign]
