"""The follow-up question in the widget: asked with the news at the next visit, answered by its buttons.

The widget cannot be pushed to. When it opens it asks /api/news, which now
also carries a pending "heeft <initiatief> contact met je opgenomen?"
(doemee.followup.pending_question) with three buttons. A button sends its
payload through /api/chat like any button; the gateway answers it from the
domain itself, without Rasa, so no intent or training data is needed. The
sign-up must be this sender's own: any other id, or a payload that does not
parse, gets one friendly Dutch line.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.orm import Session

from bot.web.news import sign_up_payload
from doemee import followup, messages
from doemee.followup import Answered, Question
from doemee.storage.models import FollowUpAnswer

PAYLOAD = "/followup_answer"
MAX_TITLE_IN_BUTTON = 40


def payload(sign_up_id: int, choice: FollowUpAnswer) -> str:
    return PAYLOAD + json.dumps({"sign_up_id": str(sign_up_id), "answer": choice.value})


def is_answer(message: str) -> bool:
    return message.startswith(PAYLOAD)


def question_replies(question: Question | None) -> list[dict]:
    if question is None:
        return []
    buttons = [{"title": label, "payload": payload(question.sign_up_id, choice)} for choice, label in followup.CHOICES]
    return [{"text": question.text, "buttons": buttons}]


def answer(session: Session, channel: str, sender: str, message: str, now: datetime) -> list[dict]:
    """The replies to a pressed follow-up button, in the chat API's shape."""
    parsed = _parse(message)
    done = followup.answer_as(session, channel, sender, parsed[0], parsed[1], now) if parsed else None
    return answer_replies(done)


def answer_replies(done: Answered | None) -> list[dict]:
    if done is None:
        return [{"text": messages.FOLLOWUP_UNKNOWN}]
    buttons = [
        {"title": messages.NEWS_SIGN_UP.format(title=_short(m.opportunity.title)), "payload": sign_up_payload(m.opportunity.id)}
        for m in done.alternatives
    ]
    return [{"text": done.text, "buttons": buttons}] if buttons else [{"text": done.text}]


def _parse(message: str) -> tuple[int, FollowUpAnswer] | None:
    try:
        data = json.loads(message[len(PAYLOAD):])
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("sign_up_id"), str):
        return None
    try:
        choice = FollowUpAnswer(data.get("answer"))
    except ValueError:
        return None
    number = data["sign_up_id"]
    return (int(number), choice) if number.isascii() and number.isdigit() and len(number) < 11 else None


def _short(title: str) -> str:
    return title if len(title) <= MAX_TITLE_IN_BUTTON else title[: MAX_TITLE_IN_BUTTON - 1].rstrip() + "…"
