"""The pages behind the one-click links in lifecycle and follow-up mails.

An initiative renews or closes a listing from the mail that warns it is
about to end (doemee.lifecycle); a resident answers "heeft het initiatief
contact met je opgenomen?" from their mail (doemee.followup). Opening a
link (GET, as mail scanners do) only shows a page with one button; the
button (POST, the token still in the address) acts. Any token (cut off,
altered, forged, expired, used before) gets a plain Dutch page and changes
nothing. Tokens are never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.web.templating import render
from doemee import followup, lifecycle, messages
from doemee import initiative_messages as initiative_texts
from doemee.initiative_links import REQUEST_PATH
from doemee.lifecycle import Action, LinkOutcome
from doemee.mail_links import LinkState
from doemee.storage.models import utcnow

log = logging.getLogger("doemee.web")

HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
STATUS = {LinkState.OPEN: 200, LinkState.DONE: 200, LinkState.ALREADY: 200, LinkState.INVALID: 400,
          LinkState.EXPIRED: 410}


def routes() -> list[Route]:
    async def renew_page(request: Request) -> Response:
        return await _listing(request, Action.RENEW, lifecycle.link_state, _clock(request))

    async def renew(request: Request) -> Response:
        return await _listing(request, Action.RENEW, lifecycle.use_link, _clock(request))

    async def close_page(request: Request) -> Response:
        return await _listing(request, Action.CLOSE, lifecycle.link_state, _clock(request))

    async def close(request: Request) -> Response:
        return await _listing(request, Action.CLOSE, lifecycle.use_link, _clock(request))

    async def answer_page(request: Request) -> Response:
        return await _answer(request, followup.link_state, _clock(request), asking=True)

    async def answer(request: Request) -> Response:
        return await _answer(request, followup.answer_by_link, _clock(request), asking=False)

    return [
        Route(lifecycle.RENEW_PATH, renew_page, methods=["GET"]),
        Route(lifecycle.RENEW_PATH, renew, methods=["POST"]),
        Route(lifecycle.CLOSE_PATH, close_page, methods=["GET"]),
        Route(lifecycle.CLOSE_PATH, close, methods=["POST"]),
        Route(followup.ANSWER_PATH, answer_page, methods=["GET"]),
        Route(followup.ANSWER_PATH, answer, methods=["POST"]),
    ]


async def _listing(request: Request, action: Action, use: Callable[..., LinkOutcome],
                   clock: Callable[[], datetime]) -> Response:
    title = initiative_texts.LIFECYCLE_PAGE_TITLE
    outcome = await _run(request, lambda session, token, settings: use(session, token, action, settings, clock()))
    if outcome is None:
        return _page(title, initiative_texts.LIFECYCLE_BUSY, 503)
    if isinstance(outcome, Response):
        return outcome
    state = outcome.state
    help_link = None
    if state in (LinkState.INVALID, LinkState.EXPIRED) or outcome.refused:
        help_link = REQUEST_PATH
    if state is LinkState.OPEN:
        if action is Action.RENEW:
            assert outcome.last_day is not None
            text = initiative_texts.lifecycle_renew_question(outcome.title, outcome.last_day)
            button = initiative_texts.LIFECYCLE_RENEW_BUTTON
        else:
            text, button = initiative_texts.lifecycle_close_question(outcome.title), initiative_texts.LIFECYCLE_CLOSE_BUTTON
        return _page(title, text, 200, action=_same_link(request), button=button)
    return _page(title, _listing_text(action, outcome), STATUS[state], help_link=help_link,
                 help_text=initiative_texts.LIFECYCLE_ASK_LINK)


def _listing_text(action: Action, outcome: LinkOutcome) -> str:
    state = outcome.state
    if state is LinkState.EXPIRED:
        return initiative_texts.LIFECYCLE_LINK_EXPIRED
    if state is LinkState.INVALID:
        return initiative_texts.LIFECYCLE_LINK_INVALID
    if outcome.refused:
        return initiative_texts.LIFECYCLE_CANNOT
    if state is LinkState.DONE and action is Action.RENEW and outcome.last_day is not None:
        return initiative_texts.lifecycle_renewed(outcome.title, outcome.last_day)
    if state is LinkState.DONE:
        return initiative_texts.LIFECYCLE_CLOSED
    return initiative_texts.LIFECYCLE_ALREADY_RENEWED if action is Action.RENEW else initiative_texts.LIFECYCLE_ALREADY_CLOSED


async def _answer(request: Request, use: Callable[..., followup.LinkAnswer], clock: Callable[[], datetime],
                  asking: bool) -> Response:
    title = messages.FOLLOWUP_PAGE_TITLE
    outcome = await _run(request, lambda session, token, settings: use(session, token, settings, clock()))
    if outcome is None:
        return _page(title, messages.FOLLOWUP_BUSY, 503)
    if isinstance(outcome, Response):
        return outcome
    if outcome.state is LinkState.EXPIRED:
        return _page(title, messages.FOLLOWUP_LINK_EXPIRED, 410)
    if outcome.state is not LinkState.OPEN and outcome.state is not LinkState.DONE:
        return _page(title, messages.FOLLOWUP_LINK_INVALID, 400)
    if asking:
        return _page(title, outcome.text, 200, action=_same_link(request), button=messages.FOLLOWUP_SEND_BUTTON)
    return _page(title, outcome.text, 200)


def _clock(request: Request) -> Callable[[], datetime]:
    """The pages' now: `app.state.clock` when a test set one."""
    return getattr(request.app.state, "clock", utcnow)


async def _run(request: Request, work: Callable[[Session, str, Any], Any]) -> Any:
    """The outcome of `work`, a rate-limit page, or None when the database is away."""
    gateway = request.app.state.gateway
    ip = request.client.host if request.client else "unknown"
    if not await gateway.per_ip.allow(ip):
        return _page(messages.FOLLOWUP_PAGE_TITLE, messages.WEB_RATE_LIMITED, 429,
                     headers={"Retry-After": str(await gateway.per_ip.retry_after(ip))})
    token = request.query_params.get("token") or ""
    settings = gateway.config.mail
    try:
        return await gateway.db().run_sync(lambda session: work(session, token, settings))
    except SQLAlchemyError as error:
        log.error("one-click link unavailable: %s", type(error).__name__)
        return None


def _same_link(request: Request) -> str:
    """The button POSTs to the very link that was opened, the token still in the address."""
    return f"{request.url.path}?{urlencode({'token': request.query_params.get('token') or ''})}"


def _page(
    title: str, text: str, status: int, *, action: str | None = None, button: str | None = None,
    help_link: str | None = None, help_text: str = "", headers: dict[str, str] | None = None,
) -> HTMLResponse:
    html = render("one_click.html", title=title, text=text, action=action, button=button,
                  help_link=help_link, help_text=help_text)
    return HTMLResponse(html, status_code=status, headers={**HEADERS, **(headers or {})})
