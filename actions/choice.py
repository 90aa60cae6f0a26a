"""Which shown opportunity a resident means: a button's id, or "de eerste"."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.tracker import chosen_position, entity_values, int_or_none, latest_text


def chosen_opportunity(tracker: Tracker) -> int | None:
    for value in entity_values(tracker, "opportunity_id"):
        opportunity_id = int_or_none(value)
        if opportunity_id is not None:
            return opportunity_id
    shown = [int(i) for i in (tracker.get_slot("shown_ids") or []) if int_or_none(i) is not None]
    position = chosen_position(latest_text(tracker), len(shown))
    return shown[position - 1] if position else None
