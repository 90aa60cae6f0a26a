"""A small real SMTP server on loopback that records what it accepts and can be told to refuse.

`refuse` is None (accept), "connect" (421 at the greeting, then hang up),
"mail" (451 to MAIL FROM: try later) or "reject" (550 to the message:
never). Tests flip it while the server runs, as a mail server going down
and coming back would.
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        found = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(found, EmailMessage)
        return found


@dataclass
class SmtpServer:
    host: str = "127.0.0.1"
    port: int = 0
    refuse: str | None = None
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(r.message["Message-ID"]) for r in self.received]


def _handler(server: SmtpServer) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode("ascii") + b"\r\n")
            self.wfile.flush()

        def handle(self) -> None:
            with server.lock:
                server.connections += 1
            if server.refuse == "connect":
                self.reply("421 try again later")
                return
            self.reply("220 test.local ESMTP")
            sender, recipients = "", []
            while line := self.rfile.readline():
                command = line.decode("utf-8", "replace").strip()
                verb = command[:4].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250-test.local\r\n250 SMTPUTF8" if verb == "EHLO" else "250 test.local")
                elif verb == "MAIL":
                    if server.refuse == "mail":
                        self.reply("451 4.3.0 try again later")
                        continue
                    sender, recipients = command.split(":", 1)[1].strip(), []
                    self.reply("250 ok")
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 go ahead")
                    data = self._data()
                    if server.refuse == "reject":
                        self.reply("550 5.7.1 not accepted")
                        continue
                    with server.lock:
                        server.received.append(Received(sender, recipients, data))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

        def _data(self) -> bytes:
            lines = []
            while (line := self.rfile.readline()) and line not in (b".\r\n", b".\n"):
                lines.append(line[1:] if line.startswith(b"..") else line)
            return b"".join(lines)

    return Handler


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    state = SmtpServer()
    tcp = _Server(("127.0.0.1", 0), _handler(state))
    state.port = tcp.server_address[1]
    thread = threading.Thread(target=tcp.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        tcp.shutdown()
        tcp.server_close()
        thread.join(5)
