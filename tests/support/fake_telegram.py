"""A fake Telegram Bot API server on loopback, for testing the real bot.

It answers the Bot API methods DoeMee uses the way Telegram does (same
paths, same envelopes, same long polling), serves updates a test enqueues,
and records every call so a test can wait for what the bot sent. A plain
threaded HTTP server, so it serves an in-process Application and a bot
subprocess alike, whatever event loop the test runs.

Point python-telegram-bot at it with `base_url=fake.url` (the bot reads
it from DOEMEE_TELEGRAM_API_URL).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_ID = 123
BOT_USERNAME = "DoeMeeTestBot"
# Parameters Telegram takes as strings; every other value arrives JSON-encoded.
_STRING_PARAMS = frozenset({
    "text", "caption", "callback_query_id", "url", "secret_token", "action", "photo",
    "ip_address", "language_code", "scope_type", "inline_message_id", "parse_mode",
})


@dataclass(frozen=True)
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    token: str
    at: float = field(default_factory=time.monotonic)

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        return self.params.get("reply_markup")

    @property
    def inline_buttons(self) -> list[dict[str, Any]]:
        markup = self.reply_markup or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    @property
    def keyboard_buttons(self) -> list[dict[str, Any]]:
        markup = self.reply_markup or {}
        return [
            button if isinstance(button, dict) else {"text": button}
            for row in markup.get("keyboard", []) for button in row
        ]


class FakeTelegram:
    """The fake Bot API: start it, hand `url` to the bot, enqueue updates, assert on `calls`."""

    def __init__(self, host: str = "127.0.0.1", max_poll_seconds: float = 2.0) -> None:
        self.host = host
        # Long polls are answered after at most this long, so shutdowns stay quick.
        self.max_poll_seconds = max_poll_seconds
        self.calls: list[Call] = []
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.blocked_chats: set[int] = set()  # chats whose user blocked the bot: sends get 403
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._callback_ids = itertools.count(1)
        self._changed = threading.Condition()
        self._closing = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------

    def start(self) -> "FakeTelegram":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                fake._handle(self)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-telegram", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeTelegram":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake first"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """The Bot API base URL in python-telegram-bot's form (the token follows it)."""
        return f"http://{self.host}:{self.port}/bot"

    # --- what users do -----------------------------------------------------

    def enqueue(self, update: dict[str, Any]) -> int:
        """Queues a raw update (without update_id) for getUpdates; returns its id."""
        with self._changed:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._changed.notify_all()
            return update["update_id"]

    def make_message(self, chat_id: int, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": _user(chat_id),
            **content,
        }

    def send_text(self, chat_id: int, text: str) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.enqueue({"message": self.make_message(chat_id, **content)})

    def send_location(self, chat_id: int, latitude: float, longitude: float) -> int:
        location = {"latitude": latitude, "longitude": longitude}
        return self.enqueue({"message": self.make_message(chat_id, location=location)})

    def press(self, chat_id: int, data: str, message_id: int | None = None) -> str:
        """Presses an inline button whose callback data is `data`; returns the query id."""
        query_id = str(next(self._callback_ids))
        message = self.make_message(chat_id, text="…")
        if message_id is not None:
            message["message_id"] = message_id
        message["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "DoeMee", "username": BOT_USERNAME}
        self.enqueue({"callback_query": {
            "id": query_id, "from": _user(chat_id), "chat_instance": str(chat_id),
            "message": message, "data": data,
        }})
        return query_id

    # --- what the bot did --------------------------------------------------

    def calls_of(self, method: str, chat_id: int | None = None) -> list[Call]:
        with self._changed:
            return [
                c for c in self.calls
                if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]

    def mark(self) -> int:
        """A position in the call log; `wait_for(after=...)` only looks past it."""
        with self._changed:
            return len(self.calls)

    def wait_for(
        self,
        method: str,
        where: Callable[[Call], bool] = lambda call: True,
        timeout: float = 30.0,
        after: int = 0,
    ) -> Call:
        """The first call of `method` past `after` that satisfies `where`; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for call in self.calls[after:]:
                    if call.method == method and where(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.params.get("text", "")) for c in self.calls[after:]]
                    raise AssertionError(f"no {method} within {timeout}s; calls since mark: {seen}")
                self._changed.wait(remaining)

    def wait_for_message(self, chat_id: int, where: Callable[[Call], bool] = lambda c: True,
                         timeout: float = 30.0, after: int = 0) -> Call:
        return self.wait_for(
            "sendMessage", lambda c: c.params.get("chat_id") == chat_id and where(c), timeout, after,
        )

    def messages_to(self, chat_id: int, after: int = 0) -> list[Call]:
        with self._changed:
            return [
                c for c in self.calls[after:]
                if c.method == "sendMessage" and c.params.get("chat_id") == chat_id
            ]

    async def await_for(self, method: str, where: Callable[[Call], bool] = lambda call: True,
                        timeout: float = 30.0, after: int = 0) -> Call:
        """`wait_for` for tests whose event loop runs the bot: waits in a thread."""
        return await asyncio.to_thread(self.wait_for, method, where, timeout, after)

    async def await_message(self, chat_id: int, where: Callable[[Call], bool] = lambda c: True,
                            timeout: float = 30.0, after: int = 0) -> Call:
        return await asyncio.to_thread(self.wait_for_message, chat_id, where, timeout, after)

    def settle(self, chat_id: int, after: int = 0, quiet: float = 1.5, timeout: float = 60.0) -> list[Call]:
        """Every message to `chat_id` past `after`, once at least one came and then none for `quiet` seconds.

        For a real Rasa, whose number of replies a test does not know.
        """
        self.wait_for_message(chat_id, timeout=timeout, after=after)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                count = len(self.messages_to(chat_id, after))
                quiet_until = time.monotonic() + quiet
                while time.monotonic() < quiet_until and len(self.messages_to(chat_id, after)) == count:
                    self._changed.wait(quiet_until - time.monotonic())
                if len(self.messages_to(chat_id, after)) == count or time.monotonic() > deadline:
                    return self.messages_to(chat_id, after)

    def wait_until_polled(self, timeout: float = 30.0) -> None:
        """Returns once the bot is polling, so enqueued updates will be fetched."""
        self.wait_for("getUpdates", timeout=timeout)

    # --- the HTTP side -----------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        segments = parts.path.strip("/").split("/")
        if len(segments) != 2 or not segments[0].startswith("bot"):
            _reply(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, method = segments[0][3:], segments[1]
        params = dict(parse_qsl(parts.query))
        params.update(_read_body(request))
        params = {key: _decode(key, value) for key, value in params.items()}
        with self._changed:
            self.calls.append(Call(method, params, token))
            self._changed.notify_all()
        if method.startswith("send") and params.get("chat_id") in self.blocked_chats:
            _reply(request, 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"})
            return
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            _reply(request, 400, {"ok": False, "error_code": 400, "description": f"Bad Request: unknown method {method}"})
            return
        result = handler(params)
        _reply(request, 200, {"ok": True, "result": result})

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {
            "id": BOT_ID, "is_bot": True, "first_name": "DoeMee", "username": BOT_USERNAME,
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False,
        }

    def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:  # noqa: N802
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), self.max_poll_seconds)
        deadline = time.monotonic() + wait
        with self._changed:
            while True:
                if offset:
                    # Telegram forgets every update below the offset once it is asked for it.
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or self._closing:
                    return self._updates[:limit]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._changed.wait(remaining)

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": params["chat_id"], "type": "private", "first_name": "Test"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "DoeMee", "username": BOT_USERNAME},
            "text": params.get("text", ""),
        }
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return message

    def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        message = self._api_sendMessage({**params, "text": None})
        message.pop("text")
        message["photo"] = [{"file_id": "photo", "file_unique_id": "photo", "width": 1, "height": 1}]
        return message

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {
            "message_id": params.get("message_id", 0), "date": int(time.time()),
            "chat": {"id": params.get("chat_id", 0), "type": "private"}, "text": "…",
        }

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:  # noqa: N802
        self.webhook_url = params.get("url", "")
        self.webhook_secret = params.get("secret_token")
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:  # noqa: N802
        self.webhook_url = ""
        self.webhook_secret = None
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def _ok(self, params: dict[str, Any]) -> bool:
        return True

    _api_sendChatAction = _ok
    _api_answerCallbackQuery = _ok
    _api_setMyCommands = _ok
    _api_deleteMyCommands = _ok
    _api_setMyDescription = _ok
    _api_setMyShortDescription = _ok
    _api_close = _ok
    _api_logOut = _ok


def _user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": "nl"}


def _read_body(request: BaseHTTPRequestHandler) -> dict[str, Any]:
    length = int(request.headers.get("Content-Length") or 0)
    body = request.rfile.read(length) if length else b""
    if not body:
        return {}
    kind = request.headers.get_content_type()
    if kind == "application/json":
        loaded = json.loads(body)
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in loaded.items()}
    if kind == "multipart/form-data":
        head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        return {
            part.get_param("name", header="content-disposition"): part.get_payload(decode=True).decode()
            for part in message.iter_parts()
        }
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def _decode(key: str, value: Any) -> Any:
    if key in _STRING_PARAMS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _reply(request: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    request.send_response(status)
    request.send_header("Content-Type", "application/json")
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    try:
        request.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the bot gave up on a long poll while stopping
