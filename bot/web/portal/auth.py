"""The portal's front door: sessions, CSRF, forms and pages, for every portal page module.

A page module registers its routes with `staff_page` (or `public_page`);
the wrapper has already checked the session, and for a POST the CSRF token
and the Origin (or Referer), before the handler runs. Handlers get a
`StaffContext` and render with `render_page`, which adds no-store caching.

    @staff_page("/portaal/iets/{id}", methods=["GET", "POST"])
    async def something(request, ctx, form): ...
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import parse_qsl, urlsplit

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.web.body import read_capped
from bot.web.templating import render
from doemee import staff, staff_messages
from doemee.audit_log import Reader
from doemee.email_alerts import signing_key

log = logging.getLogger("doemee.web.portal")

PREFIX = "/portaal"
COOKIE = "doemee_portaal"
FORM_COOKIE = "doemee_portaal_formulier"
MAX_FORM_BYTES = 64 * 1024
MAX_FIELDS = 50
ANONYMOUS_FORM_AGE = 2 * 3600
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}

_routes: list[Route] = []


@dataclass(frozen=True)
class StaffContext:
    staff_id: int
    email: str
    is_admin: bool
    centre_ids: frozenset[int]
    csrf_token: str

    @property
    def audit_reader(self) -> Reader:
        """Whose audit rows this member may read: their centres' (an administrator's: all)."""
        return Reader(self.centre_ids, everything=self.is_admin)


class Form:
    """A posted form: the first value of a field, or all of them (checkboxes)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def get(self, name: str) -> str:
        return next((value for key, value in self._pairs if key == name), "")

    def getall(self, name: str) -> list[str]:
        return [value for key, value in self._pairs if key == name]


Handler = Callable[[Request, StaffContext, Form | None], Awaitable[Response]]
PublicHandler = Callable[[Request, Form | None], Awaitable[Response]]


def routes() -> list[Route]:
    """Every portal route registered so far (page modules register on import)."""
    return list(_routes)


def staff_page(path: str, methods: list[str] | None = None) -> Callable[[Handler], Handler]:
    """Registers a page only a logged-in member reaches; POSTs arrive CSRF- and origin-checked."""

    def register(handler: Handler) -> Handler:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            try:
                ctx = await require_staff(request)
                if isinstance(ctx, Response):
                    return ctx
                form = None
                if request.method == "POST":
                    form = await read_form(request)
                    if isinstance(form, Response):
                        return form
                    if not same_origin(request) or not hmac.compare_digest(
                        form.get("csrf_token").encode(), ctx.csrf_token.encode()
                    ):
                        return forbidden(request)
                return await handler(request, ctx, form)
            except SQLAlchemyError as error:
                log.error("portal page unavailable: %s", type(error).__name__)
                return message_page(request, None, staff_messages.BUSY, 503)

        _routes.append(Route(path, endpoint, methods=methods or ["GET"]))
        return handler

    return register


def public_page(path: str, methods: list[str] | None = None) -> Callable[[PublicHandler], PublicHandler]:
    """Registers a page for anyone (login, links from mails); POSTs carry a signed anonymous token."""

    def register(handler: PublicHandler) -> PublicHandler:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            try:
                form = None
                if request.method == "POST":
                    form = await read_form(request)
                    if isinstance(form, Response):
                        return form
                    if not same_origin(request) or not _anonymous_token_ok(request, form.get("csrf_token")):
                        return forbidden(request)
                response = await handler(request, form)
            except SQLAlchemyError as error:
                log.error("portal page unavailable: %s", type(error).__name__)
                response = message_page(request, None, staff_messages.BUSY, 503)
            nonce = getattr(request.state, "form_nonce", None)
            if nonce and request.cookies.get(FORM_COOKIE) != nonce:
                set_cookie(request, response, FORM_COOKIE, nonce, ANONYMOUS_FORM_AGE)
            return response

        _routes.append(Route(path, endpoint, methods=methods or ["GET"]))
        return handler

    return register


# --- sessions --------------------------------------------------------------------

def gateway(request: Request):
    return request.app.state.gateway


async def run(request: Request, work: Callable[[Session], object]):
    return await gateway(request).db().run_sync(work)


async def require_staff(request: Request) -> StaffContext | Response:
    """The logged-in member, or the answer for someone who is not (back to the login page)."""
    token = request.cookies.get(COOKIE)
    found = await run(request, lambda session: staff.session_for(session, token)) if token else None
    if found is None:
        response = RedirectResponse(PREFIX, status_code=303, headers=HEADERS)
        if token:
            clear_cookie(request, response, COOKIE)
        return response
    return StaffContext(found.staff_id, found.email, found.is_admin, found.centre_ids, found.csrf_token)


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=PREFIX, httponly=True, samesite="lax",
        secure=gateway(request).config.portal_secure_cookies,
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path=PREFIX, httponly=True, samesite="lax", secure=gateway(request).config.portal_secure_cookies,
    )


# --- CSRF and forms ----------------------------------------------------------------

def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_key(gateway(request).config.mail), salt="doemee-portal-form")


def anonymous_token(request: Request) -> str:
    """A token for a form without a session, bound to a random value in a cookie (double submit).

    Signing alone would let another site fetch a token and post it; the
    cookie value only this browser holds makes the token useless elsewhere.
    """
    nonce = request.cookies.get(FORM_COOKIE)
    if not nonce or len(nonce) > 100:
        nonce = getattr(request.state, "form_nonce", None) or secrets.token_urlsafe(24)
        request.state.form_nonce = nonce
    return _serializer(request).dumps(nonce)


def _anonymous_token_ok(request: Request, token: str) -> bool:
    nonce = request.cookies.get(FORM_COOKIE)
    if not nonce or not token or len(token) > 500:
        return False
    try:
        signed = _serializer(request).loads(token, max_age=ANONYMOUS_FORM_AGE)
    except BadSignature:
        return False
    return isinstance(signed, str) and hmac.compare_digest(signed.encode(), nonce.encode())


def same_origin(request: Request) -> bool:
    """The Origin (or, without it, the Referer) names this host; a browser that sends neither passes."""
    host = (request.headers.get("host") or "").lower()
    origin = request.headers.get("origin")
    if origin is not None:
        return _netloc(origin) == host
    referer = request.headers.get("referer")
    if referer is not None:
        return _netloc(referer) == host
    return True


def _netloc(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return parts.netloc.lower() if parts.scheme in ("http", "https") and parts.netloc else None


async def read_form(request: Request) -> Form | Response:
    """The urlencoded body, at most MAX_FORM_BYTES; anything else gets a Dutch page."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return forbidden(request)
    body = await read_capped(request, MAX_FORM_BYTES)
    if body is None:
        return message_page(request, None, staff_messages.TOO_LARGE, 413)
    try:
        pairs = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        return message_page(request, None, staff_messages.TOO_LARGE, 413)
    return Form([(key, value.replace("\r\n", "\n")) for key, value in pairs])


# --- pages -----------------------------------------------------------------------

def render_page(request: Request, ctx: StaffContext | None, template: str, status: int = 200,
                **values: object) -> HTMLResponse:
    values.setdefault("active", "")
    html = render(template, ctx=ctx, text=staff_messages, **values)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def message_page(request: Request, ctx: StaffContext | None, message: str, status: int = 200,
                 title: str | None = None) -> HTMLResponse:
    return render_page(request, ctx, "portal/message.html", status, message=message,
                       title=title or staff_messages.PORTAL_NAME)


def forbidden(request: Request) -> HTMLResponse:
    return message_page(request, None, staff_messages.FORBIDDEN, 403, title=staff_messages.FORBIDDEN_TITLE)


def not_found(request: Request, ctx: StaffContext | None) -> HTMLResponse:
    return message_page(request, ctx, staff_messages.NOT_FOUND, 404, title=staff_messages.NOT_FOUND_TITLE)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


def parse_id(text: str) -> int | None:
    """A path id as a database id, or None ("-1", "abc", "٣", a thousand digits)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 and int(text) > 0 else None
