"""The front door of the initiative pages: forms, CSRF, the manage link, headers.

There is no login: the manage link is the key. `manage_page` checks it on
every request and hands the handler the initiative's id; a link that does
not work gets a Dutch page saying why, with a form to ask for a new one.
Forms carry a double-submit token like the portal's anonymous forms, in a
cookie of their own under /initiatief. Every POST is CSRF- and
origin-checked before the handler runs.

The link is in the address, so pages are never cached or indexed and send
no Referer to other sites ("same-origin": with "no-referrer" browsers post
forms with "Origin: null", which the origin check rightly refuses).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from functools import wraps

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.web.portal.auth import Form, read_form, same_origin
from bot.web.templating import render
from doemee import initiative_messages as text
from doemee.email_alerts import signing_key
from doemee.initiative_links import Access, open_link
from doemee.settings import Settings

log = logging.getLogger("doemee.web.initiative")

PREFIX = "/initiatief"
MANAGE = f"{PREFIX}/beheer"
FORM_COOKIE = "doemee_initiatief_formulier"
FORM_AGE = 2 * 3600
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "same-origin"}
REFUSED_STATUS = {Access.INVALID: 404, Access.EXPIRED: 410, Access.REVOKED: 410}
REFUSED_TEXT = {
    Access.INVALID: (text.LINK_INVALID_TITLE, text.LINK_INVALID),
    Access.EXPIRED: (text.LINK_EXPIRED_TITLE, text.LINK_EXPIRED),
    Access.REVOKED: (text.LINK_EXPIRED_TITLE, text.LINK_REVOKED),
}

PublicHandler = Callable[[Request, Form | None], Awaitable[Response]]
ManageHandler = Callable[[Request, int, Form | None], Awaitable[Response]]

_routes: list[Route] = []


def routes() -> list[Route]:
    return list(_routes)


def now(request: Request) -> datetime:
    """The gateway's clock; a test may set `app.state.initiative_clock`."""
    clock = getattr(request.app.state, "initiative_clock", None)
    return clock() if clock else datetime.now(timezone.utc)


def settings(request: Request) -> Settings:
    return request.app.state.gateway.config.mail


async def run(request: Request, work: Callable[[Session], object]):
    return await request.app.state.gateway.db().run_sync(work)


def public_page(path: str, methods: list[str] | None = None) -> Callable[[PublicHandler], PublicHandler]:
    """Registers a page for anyone; a POST arrives CSRF- and origin-checked."""

    def register(handler: PublicHandler) -> PublicHandler:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            async def inner() -> Response:
                form = await _checked_form(request)
                if isinstance(form, Response):
                    return form
                return await handler(request, form)

            return await _guarded(request, inner)

        _routes.append(Route(path, endpoint, methods=methods or ["GET"]))
        return handler

    return register


def manage_page(path: str, methods: list[str] | None = None) -> Callable[[ManageHandler], ManageHandler]:
    """Registers a page under /initiatief/beheer/{token}; the handler gets the link's initiative id."""

    def register(handler: ManageHandler) -> ManageHandler:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            async def inner() -> Response:
                token = request.path_params["token"]
                moment, mail = now(request), settings(request)
                opened = await run(request, lambda session: open_link(session, token, mail, moment))
                if opened.access is not Access.OK or opened.initiative_id is None:
                    return refused(request, opened.access)
                form = await _checked_form(request)
                if isinstance(form, Response):
                    return form
                return await handler(request, opened.initiative_id, form)

            return await _guarded(request, inner)

        _routes.append(Route(f"{MANAGE}/{{token}}{path}", endpoint, methods=methods or ["GET"]))
        return handler

    return register


async def _guarded(request: Request, inner: Callable[[], Awaitable[Response]]) -> Response:
    try:
        response = await inner()
    except SQLAlchemyError as error:
        log.error("initiative page unavailable: %s", type(error).__name__)
        response = message_page(request, text.BUSY, 503, title=text.FORBIDDEN_TITLE)
    nonce = getattr(request.state, "form_nonce", None)
    if nonce and request.cookies.get(FORM_COOKIE) != nonce:
        response.set_cookie(
            FORM_COOKIE, nonce, max_age=FORM_AGE, path=PREFIX, httponly=True, samesite="lax",
            secure=request.app.state.gateway.config.portal_secure_cookies,
        )
    return response


async def _checked_form(request: Request) -> Form | Response | None:
    if request.method != "POST":
        return None
    form = await read_form(request)
    if isinstance(form, Response):
        if form.status_code == 413:
            return message_page(request, text.TOO_LARGE, 413, title=text.FORBIDDEN_TITLE)
        return forbidden(request)
    if not same_origin(request) or not _csrf_ok(request, form.get("csrf_token")):
        return forbidden(request)
    return form


# --- CSRF ------------------------------------------------------------------------


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_key(settings(request)), salt="doemee-initiative-form")


def csrf_token(request: Request) -> str:
    """A form token bound to a random value in this browser's cookie (double submit)."""
    nonce = request.cookies.get(FORM_COOKIE)
    if not nonce or len(nonce) > 100:
        nonce = getattr(request.state, "form_nonce", None) or secrets.token_urlsafe(24)
        request.state.form_nonce = nonce
    return _serializer(request).dumps(nonce)


def _csrf_ok(request: Request, token: str) -> bool:
    nonce = request.cookies.get(FORM_COOKIE)
    if not nonce or not token or len(token) > 500:
        return False
    try:
        signed = _serializer(request).loads(token, max_age=FORM_AGE)
    except BadSignature:
        return False
    return isinstance(signed, str) and hmac.compare_digest(signed.encode(), nonce.encode())


# --- pages -----------------------------------------------------------------------


def render_page(request: Request, template: str, status: int = 200, **values: object) -> HTMLResponse:
    html = render(template, text=text, csrf_token=csrf_token(request), **values)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def message_page(request: Request, message: str, status: int = 200, *, title: str,
                 back: str | None = None) -> HTMLResponse:
    return render_page(request, "initiative/message.html", status, title=title, message=message, back=back)


def refused(request: Request, access: Access) -> HTMLResponse:
    """Why the link does not work, and the form to ask for a new one."""
    title, message = REFUSED_TEXT.get(access, REFUSED_TEXT[Access.INVALID])
    return render_page(request, "initiative/refused.html", REFUSED_STATUS.get(access, 404),
                       title=title, message=message)


def forbidden(request: Request) -> HTMLResponse:
    return message_page(request, text.FORBIDDEN, 403, title=text.FORBIDDEN_TITLE)
