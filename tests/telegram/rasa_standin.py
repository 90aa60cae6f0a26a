"""A stand-in for Rasa's REST channel, for the failures a real Rasa will not produce on demand.

A real Rasa is used wherever it can be (tests marked e2e). This one lets
a test decide each answer (an error page, an empty list, a hang), and
records what the bot sent, so the bot's side of the contract is checked
exactly: sender id, message text, metadata.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, Any]  # HTTP status, JSON body
Responder = Callable[[dict[str, Any]], Answer]


def echo(body: dict[str, Any]) -> Answer:
    return 200, [{"recipient_id": body["sender"], "text": f"je zei: {body['message']}"}]


class RasaStandIn:
    def __init__(self, responder: Responder = echo, port: int = 0) -> None:
        self.responder = responder
        self.port = port
        self.requests: list[dict[str, Any]] = []
        self.hang = threading.Event()  # set: requests never get an answer
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> "RasaStandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with standin._changed:
                    standin.requests.append(body)
                    standin._changed.notify_all()
                if standin.hang.is_set():
                    time.sleep(5)
                    return
                status, payload = standin.responder(body)
                data = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def wait_for_request(self, where: Callable[[dict[str, Any]], bool], timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for body in self.requests:
                    if where(body):
                        return body
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no matching request to Rasa within {timeout}s")
                self._changed.wait(remaining)

    async def await_request(self, where: Callable[[dict[str, Any]], bool], timeout: float = 20.0) -> dict[str, Any]:
        return await asyncio.to_thread(self.wait_for_request, where, timeout)
