"""The shared Rasa client turns every way Rasa can fail into one typed error."""

from __future__ import annotations

import pytest

from bot.rasa_client import Failure, RasaClient, RasaUnavailable, rest_url
from scripts.stack import free_port
from tests.telegram.rasa_standin import RasaStandIn


@pytest.fixture
def standin():
    server = RasaStandIn().start()
    yield server
    server.stop()


async def test_post_sends_sender_message_and_metadata_and_returns_the_replies(standin):
    async with RasaClient(standin.url, input_channel="telegram") as client:
        replies = await client.post("telegram:7", "hoi", {"channel": "telegram"})
    assert replies == [{"recipient_id": "telegram:7", "text": "je zei: hoi"}]
    assert standin.requests == [{
        "sender": "telegram:7", "message": "hoi", "metadata": {"channel": "telegram"}, "input_channel": "telegram",
    }]


def test_rest_url_accepts_the_base_or_the_full_webhook_url():
    assert rest_url("http://rasa:5005/") == "http://rasa:5005/webhooks/rest/webhook"
    assert rest_url("http://rasa:5005/webhooks/rest/webhook") == "http://rasa:5005/webhooks/rest/webhook"


async def test_refused_connection_is_unreachable():
    async with RasaClient(f"http://127.0.0.1:{free_port()}") as client:
        with pytest.raises(RasaUnavailable) as caught:
            await client.post("s", "hoi")
    assert caught.value.failure is Failure.UNREACHABLE


@pytest.mark.parametrize("answer, failure", [
    ((500, {"error": "boom"}), Failure.SERVER_ERROR),
    ((503, b"<html>down</html>"), Failure.SERVER_ERROR),
    ((200, []), Failure.EMPTY),
    ((200, {"text": "not a list"}), Failure.BAD_REPLY),
    ((200, ["not a message"]), Failure.BAD_REPLY),
    ((200, b"<html>proxy page</html>"), Failure.BAD_REPLY),
])
async def test_unusable_answers_raise_a_typed_error(standin, answer, failure):
    standin.responder = lambda body: answer
    async with RasaClient(standin.url) as client:
        with pytest.raises(RasaUnavailable) as caught:
            await client.post("s", "hoi")
    assert caught.value.failure is failure


async def test_a_hanging_rasa_times_out(standin):
    standin.hang.set()
    async with RasaClient(standin.url, timeout=0.5) as client:
        with pytest.raises(RasaUnavailable) as caught:
            await client.post("s", "hoi")
    assert caught.value.failure is Failure.TIMEOUT


async def test_the_error_never_carries_the_message_text(standin):
    standin.responder = lambda body: (500, {"echo": body["message"]})
    async with RasaClient(standin.url) as client:
        with pytest.raises(RasaUnavailable) as caught:
            await client.post("s", "mijn adres is Geheimstraat 1")
    assert "Geheimstraat" not in str(caught.value)
