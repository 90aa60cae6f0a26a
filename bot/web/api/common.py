"""What every /api/v1 handler shares: JSON errors with a stable code, keys, rate limits, the database.

Reads are open data: anyone may call them without a key, limited per
client address (`api_rate_anonymous` a minute). A key lifts that to the
key's own budget (`api_rate_per_key`). Writes always need a key, and a
key only ever writes for its own centre.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.web.ratelimit import SharedRateLimiter
from doemee import api_keys
from doemee import api_messages as text
from doemee.api_keys import Caller
from doemee.geo.index import GeoIndex, get_geo_index
from doemee.shared_state import SharedState

log = logging.getLogger("doemee.web.api")

PREFIX = "/api/v1"
READ_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=60"}
WRITE_HEADERS = {"Cache-Control": "no-store"}


class Limits:
    """The API's own buckets: one per key, one per address for calls without a key."""

    def __init__(self, per_key: int, anonymous: int, shared: SharedState | None = None) -> None:
        self.per_key = SharedRateLimiter(per_key, "api-key", shared)
        self.anonymous = SharedRateLimiter(anonymous, "api-anonymous", shared)


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None,
          problems: list[dict[str, str]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": _safe(message)}
    if problems is not None:
        body["problems"] = [{key: _safe(value) for key, value in p.items()} for p in problems]
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})


def _safe(value: str) -> str:
    """Text a request brought along (a name, a value) may hold lone surrogates, which UTF-8 cannot carry."""
    return value.encode("utf-8", errors="replace").decode("utf-8")


def invalid(problems: list[dict[str, str]], headers: dict[str, str] | None = None) -> JSONResponse:
    return error(422, "invalid", text.INVALID, headers, problems)


def status_error(status: int) -> JSONResponse:
    """The answer for a path or method the API does not have (Starlette's 404 and 405), or a crash."""
    if status == 405:
        return error(405, "method_not_allowed", text.METHOD_NOT_ALLOWED)
    if status >= 500:
        return error(500, "server_error", text.SERVER_ERROR)
    return error(404, "not_found", text.PATH_NOT_FOUND)


def presented_key(request: Request) -> str | None:
    """The key in `Authorization: Bearer …` or `X-API-Key`; "" when a header is there but says nothing usable."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.strip().partition(" ")
        return value.strip() if scheme.lower() == "bearer" else ""
    key = request.headers.get("x-api-key")
    return None if key is None else key.strip()


@dataclass(frozen=True)
class Access:
    caller: Caller | None


Handler = Callable[[Request, Access], Awaitable[Response]]


def endpoint(*, write: bool) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wraps a handler: key check, rate limit, and a Dutch JSON answer when the database is away."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def run_endpoint(request: Request) -> Response:
            base = WRITE_HEADERS if write else READ_HEADERS
            try:
                limits: Limits = request.app.state.api_limits
                secret = presented_key(request)
                caller = None
                if secret is not None or write:
                    if secret:
                        caller = await db(request, lambda session: api_keys.authenticate(session, secret))
                    if caller is None:
                        # A wrong key costs from the address's own budget: guessing keys is a flood like any other.
                        refused = await _limited(limits.anonymous, _client(request), base)
                        code, message = ("key_missing", text.KEY_MISSING) if secret is None else ("unauthorized", text.UNAUTHORIZED)
                        return refused or error(401, code, message, {**base, "WWW-Authenticate": "Bearer"})
                if caller is not None:
                    refused = await _limited(limits.per_key, f"key:{caller.key_id}", base)
                else:
                    refused = await _limited(limits.anonymous, _client(request), base)
                if refused:
                    return refused
                response = await handler(request, Access(caller))
            except SQLAlchemyError as problem:
                log.error("api unavailable: %s", type(problem).__name__)
                return error(503, "unavailable", text.BUSY, {**base, "Retry-After": "30"})
            for name, value in base.items():
                response.headers.setdefault(name, value)
            return response

        return run_endpoint

    return wrap


async def _limited(bucket: SharedRateLimiter, name: str, headers: dict[str, str]) -> JSONResponse | None:
    if await bucket.allow(name):
        return None
    return error(429, "rate_limited", text.RATE_LIMITED, {**headers, "Retry-After": str(await bucket.retry_after(name))})


def _client(request: Request) -> str:
    return f"ip:{request.client.host if request.client else 'onbekend'}"


async def db(request: Request, work: Callable[[Session], Any]) -> Any:
    return await request.app.state.gateway.db().run_sync(work)


async def geography() -> GeoIndex:
    """Loaded once per process, off the event loop (the first load reads the GeoNames files)."""
    return await asyncio.to_thread(get_geo_index)


def public_url(request: Request) -> str:
    return request.app.state.gateway.config.mail.public_url.rstrip("/")
