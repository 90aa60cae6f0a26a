"""Dutch messages with buttons for the chat, built from domain values.

Payloads are Rasa's `/intent{json}` form, so a click works the same on the
REST channel, in the widget and on Telegram.
"""

from __future__ import annotations

import json
from typing import Any

from doemee import messages
from doemee.matching.query import Match, MatchResult

Message = dict[str, Any]
PAGE_SIZE = 3


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def result_card(number: int, match: Match, origin: str) -> Message:
    view = match.opportunity
    text = messages.result_card(
        number, view.title, view.initiative, view.place, match.distance_km, view.remote,
        list(messages.reasons_text(match, origin)),
    )
    oid = str(view.id)
    return {
        "text": text,
        "buttons": [
            {"title": messages.BUTTON_SIGN_UP, "payload": payload("sign_up", opportunity_id=oid)},
            {"title": messages.BUTTON_MORE_INFO, "payload": payload("more_info", opportunity_id=oid)},
        ],
    }


def results(result: MatchResult, origin: str, offset: int) -> list[Message]:
    """The page of results starting at `offset`, introduced honestly, with "Meer" when more exist."""
    query = result.query
    if not result.matches:
        if offset:
            return [{"text": messages.NO_MORE_RESULTS}]
        return [{"text": messages.nothing_at_all(origin)}]
    if offset:
        intro = messages.results_more_intro(offset + 1)
    elif result.only_alternatives:
        intro = messages.nothing_nearby(origin, query.radius_km)
    else:
        intro = messages.results_intro(result.total_within_radius, origin)
    shown: list[Message] = [{"text": intro}]
    shown += [result_card(offset + i + 1, m, origin) for i, m in enumerate(result.matches)]
    more = (
        offset + len(result.matches) < result.total_within_radius
        if not result.only_alternatives
        else len(result.matches) == PAGE_SIZE
    )
    hint: Message = {"text": messages.RESULTS_HINT}
    if more:
        hint["buttons"] = [{"title": messages.BUTTON_MORE, "payload": payload("more_results")}]
    shown.append(hint)
    return shown


def yes_no() -> list[dict[str, str]]:
    return [
        {"title": messages.BUTTON_YES, "payload": payload("affirm")},
        {"title": messages.BUTTON_NO, "payload": payload("deny")},
    ]


def choice_button_title(number: int, title: str, limit: int = 40) -> str:
    """A short button for one shown result, numbered like its card."""
    text = " ".join((title or messages.BUTTON_SIGN_UP).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"{number}. {text}"
