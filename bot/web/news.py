"""A widget resident's alerts, shown as a bot message when they come back.

The widget cannot be pushed to, so when it opens it asks the gateway for
news; `doemee.alerts.news_for` decides what is new (the same matching and
once-a-day rule as Telegram) and marks it shown. The replies have the
shape of the chat API's, so the widget renders them like any answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from doemee import messages
from doemee.alerts import DueAlert

# What the buttons send back through the chat, as the actions' own buttons do.
SIGN_UP_INTENT = "/sign_up"
STOP_PAYLOAD = "/unsubscribe_alerts"
MAX_TITLE_IN_BUTTON = 40


def sign_up_payload(opportunity_id: int) -> str:
    return SIGN_UP_INTENT + json.dumps({"opportunity_id": str(opportunity_id)})


def news_replies(alerts: Iterable[DueAlert]) -> list[dict]:
    """One message per alert: the new places, an "Aanmelden" button for each, and a way to stop."""
    replies: list[dict] = []
    for alert in alerts:
        text = messages.web_news(alert.matches)
        buttons = [
            {"title": messages.NEWS_SIGN_UP.format(title=_short(m.opportunity.title)),
             "payload": sign_up_payload(m.opportunity.id)}
            for m in alert.matches
        ]
        buttons.append({"title": messages.WEB_NEWS_STOP, "payload": STOP_PAYLOAD})
        replies.append({"text": text, "buttons": buttons})
    return replies


def _short(title: str) -> str:
    return title if len(title) <= MAX_TITLE_IN_BUTTON else title[: MAX_TITLE_IN_BUTTON - 1].rstrip() + "…"
