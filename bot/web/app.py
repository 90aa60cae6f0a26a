"""The Starlette application: routes, checks in front of Rasa, security headers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot.web import alert_pages, api, followup_chat, lifecycle_pages, origins, pages, portal
from bot.web import initiative as initiative_pages
from bot.web.portal import figures
from bot.web.alert_mailer import AlertMailer
from bot.web.body import read_capped
from bot.web.centres import CentreDirectory, load_centres
from bot.web.chat import MAX_BODY_BYTES, SENDER_PATTERN, ChatError, parse_chat_request
from bot.web.config import GatewayConfig
from bot.web.news import news_replies
from bot.web.rasa import RasaClient, RasaUnavailable, apology
from bot.web.ratelimit import SharedRateLimiter
from bot.web.widget import STATIC, WidgetBundle, build_widget
from doemee import messages
from doemee.alerts import news_for
from doemee.followup import pending_question
from doemee.listing import open_opportunities
from doemee.shared_state import SharedState, shared_state
from doemee.storage.database import Database

log = logging.getLogger("doemee.web")

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
MAX_PLACE_CHARS = 120
# How the actions tell a widget resident from a Telegram one (metadata "channel").
CHANNEL = "web"


@dataclass
class Gateway:
    """Everything the handlers share, created once per process."""

    config: GatewayConfig
    centres: CentreDirectory
    widget: WidgetBundle
    rasa: RasaClient
    per_sender: SharedRateLimiter
    per_ip: SharedRateLimiter
    database: Database | None = None
    shared: SharedState | None = None  # Redis, when several gateways serve (DOEMEE_REDIS_URL)

    def db(self) -> Database:
        if self.database is None:
            self.database = Database(self.config.database_url)
        return self.database


def _gateway(request: Request) -> Gateway:
    return request.app.state.gateway


def _error(status: int, text: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status, headers=headers)


async def _origin_ok(request: Request, gateway: Gateway, centre_origins: tuple[str, ...] | None = None) -> bool:
    """The operator's websites, and the centres' own: any centre's, or only `centre_origins` when given."""
    allowed = gateway.config.allowed_origins | (
        await gateway.centres.origins() if centre_origins is None else frozenset(centre_origins)
    )
    return origins.is_allowed(request.headers.get("origin"), request.headers.get("host"), allowed)


async def chat(request: Request) -> Response:
    gateway = _gateway(request)
    origin = request.headers.get("origin")
    if not await _origin_ok(request, gateway):
        return _error(403, messages.WEB_ORIGIN_REFUSED, {"Vary": "Origin"})
    cors = origins.cors_headers(origin)
    ip = request.client.host if request.client else "unknown"
    if not await gateway.per_ip.allow(ip):
        retry = str(await gateway.per_ip.retry_after(ip))
        return _error(429, messages.WEB_RATE_LIMITED, {**cors, "Retry-After": retry})
    if "application/json" not in request.headers.get("content-type", ""):
        return _error(415, messages.WEB_BAD_REQUEST, cors)
    body = await read_capped(request, MAX_BODY_BYTES)  # None: larger than any chat message can be
    if body is None:
        limit = gateway.config.max_message_chars
        return _error(413, messages.WEB_MESSAGE_TOO_LONG.format(limit=limit), cors)
    parsed = parse_chat_request(body, await gateway.centres.all(), gateway.config.max_message_chars)
    if isinstance(parsed, ChatError):
        return _error(parsed.status, parsed.text, cors)
    if not await _origin_ok(request, gateway, parsed.centre.origins):
        # Another centre's website may not speak in this centre's name (its contact, its region).
        return _error(403, messages.WEB_ORIGIN_REFUSED, {"Vary": "Origin"})
    if not await gateway.per_sender.allow(parsed.sender):
        retry = str(await gateway.per_sender.retry_after(parsed.sender))
        return _error(429, messages.WEB_RATE_LIMITED, {**cors, "Retry-After": retry})
    if followup_chat.is_answer(parsed.message):
        # A follow-up button: the domain answers it, Rasa need not know the payload.
        return await _followup_answer(gateway, parsed.sender, parsed.message, cors)
    metadata = {"channel": CHANNEL, "centre": parsed.centre.slug, "municipalities": list(parsed.centre.municipalities)}
    started = time.perf_counter()
    try:
        replies = await gateway.rasa.send(parsed.sender, parsed.message, metadata)
    except RasaUnavailable:
        return JSONResponse(apology(messages.WEB_RASA_DOWN, parsed.message), status_code=503, headers=cors)
    log.debug("chat turn took %.0f ms", (time.perf_counter() - started) * 1000)
    if not replies:
        log.warning("rasa answered nothing; is the action server running?")
        return JSONResponse(apology(messages.WEB_NO_ANSWER, parsed.message), headers=cors)
    return JSONResponse(replies, headers=cors)


async def _followup_answer(gateway: Gateway, sender: str, message: str, cors: dict[str, str]) -> Response:
    now = datetime.now(timezone.utc)
    try:
        replies = await gateway.db().run_sync(lambda session: followup_chat.answer(session, CHANNEL, sender, message, now))
    except SQLAlchemyError as error:
        log.error("follow-up answer unavailable: %s", type(error).__name__)
        return _error(503, messages.WEB_SERVER_ERROR, cors)
    return JSONResponse(replies, headers=cors)


async def news(request: Request) -> Response:
    """The resident's alerts since their last visit, as chat replies; shown once, then gone."""
    gateway = _gateway(request)
    if not await _origin_ok(request, gateway):
        return _error(403, messages.WEB_ORIGIN_REFUSED, {"Vary": "Origin"})
    cors = {**origins.cors_headers(request.headers.get("origin")), "Cache-Control": "no-store"}
    ip = request.client.host if request.client else "unknown"
    if not await gateway.per_ip.allow(ip):
        return _error(429, messages.WEB_RATE_LIMITED, {**cors, "Retry-After": str(await gateway.per_ip.retry_after(ip))})
    sender = request.query_params.get("sender") or ""
    if not SENDER_PATTERN.match(sender):
        return _error(400, messages.WEB_BAD_SENDER, cors)
    now = datetime.now(timezone.utc)
    try:
        found, question = await gateway.db().run_sync(
            lambda session: (news_for(session, CHANNEL, sender, now), pending_question(session, CHANNEL, sender, now))
        )
    except SQLAlchemyError as error:
        log.error("news unavailable: %s", type(error).__name__)
        return _error(503, messages.WEB_SERVER_ERROR, cors)
    return JSONResponse(news_replies(found) + followup_chat.question_replies(question), headers=cors)


async def preflight(request: Request) -> Response:
    gateway = _gateway(request)
    origin = request.headers.get("origin")
    if not origin or not await _origin_ok(request, gateway):
        return Response(status_code=403, headers={"Vary": "Origin"})
    methods = "POST, OPTIONS" if request.url.path == "/api/chat" else "GET, OPTIONS"
    return Response(status_code=204, headers=origins.preflight_headers(origin, methods))


async def centre(request: Request) -> Response:
    gateway = _gateway(request)
    if not await _origin_ok(request, gateway):
        return _error(403, messages.WEB_ORIGIN_REFUSED, {"Vary": "Origin"})
    cors = origins.cors_headers(request.headers.get("origin"))
    found = await gateway.centres.get(request.path_params["slug"])
    if found is None:
        return _error(404, messages.WEB_UNKNOWN_CENTRE, cors)
    return JSONResponse(found.public(), headers={**cors, "Cache-Control": "public, max-age=300"})


async def widget_js(request: Request) -> Response:
    bundle = _gateway(request).widget
    headers = {
        "ETag": bundle.etag,
        "Cache-Control": "public, max-age=300",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if request.headers.get("if-none-match") == bundle.etag:
        return Response(status_code=304, headers=headers)
    return Response(bundle.body, media_type="text/javascript; charset=utf-8", headers=headers)


async def demo(request: Request) -> Response:
    return HTMLResponse(pages.demo_page())


async def listing(request: Request) -> Response:
    gateway = _gateway(request)
    place = (request.query_params.get("plaats") or "").strip()[:MAX_PLACE_CHARS] or None
    slug = request.query_params.get("centre")
    scoped = await gateway.centres.get(slug) if slug else None
    codes = scoped.municipalities if scoped else ()
    try:
        found = await gateway.db().run_sync(
            lambda session: open_opportunities(session, place=place, municipality_codes=codes)
        )
    except SQLAlchemyError as error:
        log.error("listing unavailable: %s", type(error).__name__)
        return HTMLResponse(pages.error_page(messages.WEB_SERVER_ERROR), status_code=503)
    return HTMLResponse(pages.listing_page(found, place, scoped.slug if scoped else None))


async def favicon(request: Request) -> Response:
    return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    if request.url.path.startswith(f"{api.PREFIX}/"):
        return api.status_error(status)
    text = messages.WEB_NOT_FOUND if status == 404 else messages.WEB_BAD_REQUEST
    if _wants_json(request):
        return _error(status, text)
    return HTMLResponse(pages.error_page(text), status_code=status)


async def server_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled %s on %s", type(exc).__name__, request.url.path)
    if request.url.path.startswith(f"{api.PREFIX}/"):
        return api.status_error(500)
    if _wants_json(request):
        return _error(500, messages.WEB_SERVER_ERROR)
    return HTMLResponse(pages.error_page(messages.WEB_SERVER_ERROR), status_code=500)


class SecurityHeaders:
    """Adds the headers every response should carry; pages get a strict CSP."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"strict-origin-when-cross-origin"),
                ]
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    extra += [(b"content-security-policy", PAGE_CSP.encode()), (b"x-frame-options", b"DENY")]
                headers += [(n, v) for n, v in extra if n not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(config: GatewayConfig | None = None) -> Starlette:
    config = config or GatewayConfig.from_env()

    def database() -> Database:
        return gateway.db()

    shared = shared_state(config.redis_url, config.mail)
    gateway = Gateway(
        config=config,
        centres=CentreDirectory(load_centres(config.centres_file), database, config.database_url,
                                config.centres_refresh_seconds),
        widget=build_widget(),
        rasa=RasaClient(config.rasa_url, config.rasa_timeout),
        per_sender=SharedRateLimiter(config.rate_per_sender, "sender", shared),
        per_ip=SharedRateLimiter(config.rate_per_ip, "ip", shared),
        shared=shared,
    )

    mailer = AlertMailer(gateway.db, config.mail, config.email_alert_interval_seconds,
                         outbox_interval_seconds=config.outbox_interval_seconds, shared=shared)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        await gateway.rasa.start()
        tasks = []
        if config.email_alert_interval_seconds > 0 or config.outbox_interval_seconds > 0:
            tasks.append(asyncio.create_task(mailer.run_forever(), name="alert-mail"))
        if config.figures_warm_seconds > 0:
            tasks.append(asyncio.create_task(figures.keep_warm(app, gateway, config.figures_warm_seconds),
                                             name="figures"))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await figures.cache_of(app).stop()
            await gateway.rasa.close()
            if shared is not None:
                await shared.aclose()
            if gateway.database is not None:
                gateway.database.dispose()

    routes = [
        Route("/", demo),
        Route("/widget.js", widget_js),
        Route("/kansen", listing),
        Route("/healthz", healthz),
        Route("/favicon.ico", favicon),
        Route("/api/chat", chat, methods=["POST"]),
        Route("/api/chat", preflight, methods=["OPTIONS"]),
        Route("/api/news", news, methods=["GET"]),
        Route("/api/news", preflight, methods=["OPTIONS"]),
        Route("/api/centres/{slug}", centre, methods=["GET"]),
        Route("/api/centres/{slug}", preflight, methods=["OPTIONS"]),
        *alert_pages.routes(),
        *lifecycle_pages.routes(),
        *portal.routes(),
        *initiative_pages.routes(),
        *api.routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: not_found, 404: not_found, Exception: server_error},
    )
    app.add_middleware(SecurityHeaders)
    if config.trusted_proxies:
        # Outermost, so rate limits and the portal's login lock all see the same client address.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(config.trusted_proxies))
    app.state.gateway = gateway
    app.state.mailer = mailer
    api.install(app, config)
    return app
