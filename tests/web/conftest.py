"""Runs the gateway on a real loopback port, in-process, with a chosen config."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from bot.web.app import create_app
from bot.web.config import GatewayConfig

SENDER = "web-0123456789abcdef0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app: Starlette) -> Iterator[str]:
    """Serves `app` over HTTP on loopback until the block ends.

    The socket listens before the server thread starts, so a request made
    right away waits in the backlog instead of racing the start-up.
    """
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    # As `python -m bot.web` runs it: proxy headers are the app's business (DOEMEE_TRUSTED_PROXIES).
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, proxy_headers=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def make_gateway(tmp_path) -> Iterator[Callable[..., str]]:
    """`make_gateway(**config_overrides)` -> base URL of a running gateway."""
    stack = []

    def start(**overrides) -> str:
        # Never the developer's var/doemee.db: a test that needs a database names one.
        unused = f"sqlite:///{tmp_path / 'no-database-given.db'}"
        config = replace(GatewayConfig(rasa_url=f"http://127.0.0.1:{free_port()}", database_url=unused), **overrides)
        context = serve(create_app(config))
        url = context.__enter__()
        stack.append(context)
        return url

    yield start
    for context in reversed(stack):
        context.__exit__(None, None, None)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, trust_env=False) as c:
        yield c


def chat_body(message: str = "hallo", sender: str = SENDER, centre: str = "utrecht") -> dict:
    return {"sender": sender, "message": message, "centre": centre}


@pytest.fixture(scope="session")
def e2e_stack(request, tmp_path_factory):
    """The real stack with the trained model (skips when no model exists yet)."""
    from tests.web.e2e_stack import shared_stack

    return shared_stack(request, tmp_path_factory)
