"""A Rasa-REST-compatible HTTP peer for the cases real Rasa cannot be made to show.

Real Rasa covers the happy path (test_e2e.py); this peer answers with an empty
list, an error status or odd reply shapes, and records what the gateway sent.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def rasa_peer(answer: Callable[[dict], Response], received: list[dict]) -> Starlette:
    async def webhook(request: Request) -> Response:
        body = await request.json()
        received.append(body)
        return answer(body)

    return Starlette(routes=[Route("/webhooks/rest/webhook", webhook, methods=["POST"])])


def replies(items: list) -> Callable[[dict], Response]:
    return lambda body: JSONResponse(items)


def status(code: int) -> Callable[[dict], Response]:
    return lambda body: Response("kapot", status_code=code)
