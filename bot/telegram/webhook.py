"""Webhook mode: Telegram posts updates to us, each carrying our secret token.

A small Starlette app instead of python-telegram-bot's built-in server, so
no extra dependency is needed and the secret check is ours to see: any
request without the right X-Telegram-Bot-Api-Secret-Token header is refused
before its body is read. Run it behind a TLS-terminating proxy; Telegram
only calls https:// URLs.
"""

from __future__ import annotations

import hmac
import json
import logging

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.telegram.config import TelegramConfig

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1_000_000


def webhook_app(application: Application, secret_token: str, path: str) -> Starlette:
    expected = secret_token.encode()

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return PlainTextResponse("forbidden", status_code=403)
        if int(request.headers.get("content-length") or 0) > MAX_UPDATE_BYTES:
            return PlainTextResponse("too large", status_code=413)
        try:
            data = json.loads(await request.body())
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            return PlainTextResponse("bad update", status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(routes=[
        Route(path, receive, methods=["POST"]),
        Route("/healthz", health, methods=["GET"]),
    ])


def webhook_server(application: Application, config: TelegramConfig) -> uvicorn.Server:
    assert config.webhook_url and config.secret_token
    return uvicorn.Server(uvicorn.Config(
        webhook_app(application, config.secret_token, config.webhook_path),
        host=config.webhook_listen, port=config.webhook_port, log_level="warning", access_log=False,
    ))


async def serve_webhook(application: Application, config: TelegramConfig, server: uvicorn.Server | None = None) -> None:
    """Registers the webhook with Telegram and serves updates until the server stops."""
    server = server or webhook_server(application, config)
    async with application:
        await application.bot.set_webhook(
            config.webhook_url, secret_token=config.secret_token, allowed_updates=Update.ALL_TYPES,
        )
        if application.post_init:
            await application.post_init(application)
        await application.start()
        try:
            await server.serve()
        finally:
            await application.stop()
            if application.post_shutdown:
                await application.post_shutdown(application)
