"""The pages behind the links in alert mails: confirm the address, or stop the mails.

Mail scanners open every link in a mail, so opening a link (GET) only shows
a page with one button; the button (POST) does it. Mail programs that offer
"unsubscribe" themselves POST to the same link (RFC 8058 one-click), so the
token travels in the address, not in a form body. Whatever the token (cut
off, altered, forged, expired, used before) the resident gets a plain Dutch
page, never an error trace. The token is never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urlencode

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.web.templating import render
from doemee import email_alerts, messages
from doemee.email_alerts import CONFIRM_PATH, UNSUBSCRIBE_PATH, Link

log = logging.getLogger("doemee.web")

# Pages whose address holds a token: never cached, never sent on as a referrer, never indexed.
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
STATUS = {Link.OPEN: 200, Link.DONE: 200, Link.ALREADY: 200, Link.INVALID: 400, Link.EXPIRED: 410, Link.GONE: 410}
CONFIRM_TEXT = {
    Link.DONE: messages.ALERT_CONFIRMED,
    Link.ALREADY: messages.ALERT_CONFIRMED_BEFORE,
    Link.EXPIRED: messages.ALERT_LINK_EXPIRED,
    Link.INVALID: messages.ALERT_LINK_INVALID,
    Link.GONE: messages.ALERT_LINK_GONE,
}
UNSUBSCRIBE_TEXT = {
    Link.DONE: messages.ALERT_UNSUBSCRIBED,
    Link.ALREADY: messages.ALERT_UNSUBSCRIBED_BEFORE,
    Link.INVALID: messages.ALERT_LINK_INVALID,
}


class Question(NamedTuple):
    """What opening a link asks; only the button's POST acts, so a scanner opening it changes nothing."""

    path: str
    text: str
    button: str


CONFIRM_QUESTION = Question(CONFIRM_PATH, messages.ALERT_CONFIRM_QUESTION, messages.ALERT_CONFIRM_BUTTON)
UNSUBSCRIBE_QUESTION = Question(UNSUBSCRIBE_PATH, messages.ALERT_UNSUBSCRIBE_QUESTION, messages.ALERT_UNSUBSCRIBE_BUTTON)


def routes() -> list[Route]:
    return [
        Route(CONFIRM_PATH, confirm_page, methods=["GET"]),
        Route(CONFIRM_PATH, confirm, methods=["POST"]),
        Route(UNSUBSCRIBE_PATH, unsubscribe_page, methods=["GET"]),
        Route(UNSUBSCRIBE_PATH, unsubscribe, methods=["POST"]),
    ]


async def confirm_page(request: Request) -> Response:
    return await _answer(request, email_alerts.confirmation_state, CONFIRM_TEXT, CONFIRM_QUESTION)


async def confirm(request: Request) -> Response:
    return await _answer(request, email_alerts.confirm, CONFIRM_TEXT)


async def unsubscribe_page(request: Request) -> Response:
    return await _answer(request, email_alerts.unsubscribe_state, UNSUBSCRIBE_TEXT, UNSUBSCRIBE_QUESTION)


async def unsubscribe(request: Request) -> Response:
    return await _answer(request, email_alerts.unsubscribe, UNSUBSCRIBE_TEXT)


async def _answer(
    request: Request,
    use: Callable[..., Link],
    texts: dict[Link, str],
    question: Question | None = None,
) -> Response:
    gateway = request.app.state.gateway
    ip = request.client.host if request.client else "unknown"
    if not await gateway.per_ip.allow(ip):
        return _page(messages.WEB_RATE_LIMITED, 429, {"Retry-After": str(await gateway.per_ip.retry_after(ip))})
    token = request.query_params.get("token") or ""
    settings = gateway.config.mail

    def work(session: Session) -> Link:
        return use(session, token, settings)

    try:
        outcome = await gateway.db().run_sync(work)
    except SQLAlchemyError as error:
        log.error("alert link unavailable: %s", type(error).__name__)
        return _page(messages.ALERT_PAGE_BUSY, 503)
    if outcome is Link.OPEN and question is not None:
        # The button POSTs to the very link that was opened, the token still in the address.
        action = f"{question.path}?{urlencode({'token': token})}"
        return _page(question.text, 200, action=action, button=question.button)
    return _page(texts.get(outcome, messages.ALERT_LINK_INVALID), STATUS[outcome])


def _page(
    text: str,
    status: int,
    headers: dict[str, str] | None = None,
    *,
    action: str | None = None,
    button: str | None = None,
) -> HTMLResponse:
    html = render("alert.html", text=text, action=action, button=button)
    return HTMLResponse(html, status_code=status, headers={**HEADERS, **(headers or {})})
