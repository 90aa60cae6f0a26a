import email
import logging
from dataclasses import replace

from doemee.notify import SignUpNotice, send_signup_notice
from doemee.settings import Settings

NOTICE = SignUpNotice("tuin@example.org", "Buurttuin Oost", "Tuinieren", "Sanne", "sanne@mail.nl")


def test_without_smtp_the_notice_is_written_to_the_outbox_and_the_log_has_no_personal_data(tmp_path, caplog):
    settings = replace(Settings(), outbox_dir=tmp_path, smtp_host=None)
    with caplog.at_level(logging.INFO):
        delivery = send_signup_notice(NOTICE, settings)
    message = email.message_from_bytes(delivery.outbox_file.read_bytes())
    assert message["To"] == "tuin@example.org"
    assert "Sanne" in message.get_payload(decode=True).decode()
    assert "Sanne" not in caplog.text and "sanne@mail.nl" not in caplog.text


def test_with_smtp_the_notice_goes_to_the_mail_server(tmp_path):
    import asyncio
    import socket
    import threading

    received: list[bytes] = []

    async def handle(reader, writer):
        writer.write(b"220 test\r\n")
        in_data = False
        body = b""
        while line := await reader.readline():
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    received.append(body)
                    writer.write(b"250 ok\r\n")
                else:
                    body += line
            elif line.upper().startswith(b"DATA"):
                in_data = True
                writer.write(b"354 go\r\n")
            elif line.upper().startswith(b"QUIT"):
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            elif line.upper().startswith(b"EHLO"):
                writer.write(b"250 test\r\n")
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve():
        asyncio.set_event_loop(loop)
        loop.run_until_complete(asyncio.start_server(handle, sock=sock))
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(5)
    try:
        settings = replace(Settings(), outbox_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=port)
        delivery = send_signup_notice(NOTICE, settings)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
    assert delivery.sent
    assert b"Buurttuin Oost" in received[0]
    assert list(tmp_path.iterdir()) == []
