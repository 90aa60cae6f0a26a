"""Several Rasa instances: each sender sticks to one, moves only when it refuses, and nothing is sent twice."""

from __future__ import annotations

import socket
import threading
from collections import Counter

import httpx
import pytest

from bot.rasa_client import Failure, RasaClient, RasaUnavailable, rest_urls
from tests.telegram.rasa_standin import RasaStandIn


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def three():
    servers = [RasaStandIn().start() for _ in range(3)]
    yield servers
    for server in servers:
        server.stop()


def where(servers: list[RasaStandIn], sender: str) -> list[int]:
    return [n for n, server in enumerate(servers) for body in server.requests if body["sender"] == sender]


def got(servers: list[RasaStandIn], message: str) -> int:
    [n] = [n for n, server in enumerate(servers) for body in server.requests if body["message"] == message]
    return n


def test_the_url_setting_takes_one_url_or_a_comma_separated_list():
    assert rest_urls("http://a:5005") == ["http://a:5005/webhooks/rest/webhook"]
    assert rest_urls(" http://a:5005/ , http://b:5005,http://a:5005 ") == [
        "http://a:5005/webhooks/rest/webhook", "http://b:5005/webhooks/rest/webhook"]
    with pytest.raises(ValueError):
        rest_urls(" , ")


async def test_every_sender_sticks_to_one_instance_and_the_senders_spread_over_all(three):
    async with RasaClient([s.url for s in three]) as client:
        for n in range(90):
            for _ in range(2):
                await client.post(f"web-{n:032x}", "hoi")
    homes = [where(three, f"web-{n:032x}") for n in range(90)]
    assert all(len(set(home)) == 1 for home in homes)
    spread = Counter(home[0] for home in homes)
    assert set(spread) == {0, 1, 2} and min(spread.values()) >= 15


def test_removing_an_instance_moves_only_the_senders_it_had():
    urls = ["http://rasa-0:5005", "http://rasa-1:5005", "http://rasa-2:5005"]
    before, after = RasaClient(urls), RasaClient(urls[:2])
    senders = [f"telegram:{n}" for n in range(300)]
    moved = [s for s in senders if before.route(s)[0] != after.route(s)[0]]
    assert moved and all(before.route(s)[0] == rest_urls(urls[2])[0] for s in moved)


async def test_a_refusing_instance_is_passed_over_and_its_senders_come_back_once_it_is_up(three):
    clock = Clock()
    # No keep-alive: a stopped stand-in's handler threads would go on serving an open connection.
    fresh = httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0))
    async with fresh, RasaClient([s.url for s in three], clock=clock, client=fresh) as client:
        sender = "web-" + "a" * 32
        await client.post(sender, "een")
        home = where(three, sender)[0]
        port = three[home]._server.server_address[1]
        three[home].stop()
        await client.post(sender, "twee")
        stand_in = got(three, "twee")
        assert stand_in != home
        await client.post(sender, "drie")  # passed over: not even tried
        assert got(three, "drie") == stand_in
        three[home] = RasaStandIn(port=port).start()
        clock.now += 10
        await client.post(sender, "vier")
        assert three[home].requests[-1]["message"] == "vier"


async def test_when_every_instance_refuses_the_channel_hears_it(three):
    async with RasaClient([s.url for s in three]) as client:
        for server in three:
            server.stop()
        with pytest.raises(RasaUnavailable) as caught:
            await client.post("web-x", "hoi")
    assert caught.value.failure is Failure.UNREACHABLE


class DropsAfterReading:
    """Reads the request, then closes without an answer: like Rasa killed while it handles a message."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.received = 0
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            with connection:
                if connection.recv(65536):
                    self.received += 1


async def test_a_message_that_may_have_reached_rasa_is_never_sent_to_a_second_instance():
    dropping, other = DropsAfterReading(), RasaStandIn().start()
    try:
        async with RasaClient([dropping.url, other.url]) as client:
            sender = next(s for s in (f"web-{n}" for n in range(100)) if client.route(s)[0].startswith(dropping.url))
            with pytest.raises(RasaUnavailable) as caught:
                await client.post(sender, "ik meld me aan")
            assert caught.value.failure is Failure.UNREACHABLE
            assert dropping.received == 1 and other.requests == []
            await client.post(sender, "nog een keer")  # the next message goes on elsewhere
            assert [r["message"] for r in other.requests] == ["nog een keer"]
    finally:
        dropping.sock.close()
        other.stop()
