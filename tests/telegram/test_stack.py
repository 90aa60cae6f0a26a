"""The real bot process against a real Rasa, action server and database, via the fake Bot API.

Starts the stack the way `make run` does (scripts/stack.py) with the
Telegram bot pointed at the fake Bot API, on a throwaway database seeded
with the demo data. The stack is shared by this module and stopped at its
end; the outage tests stop its services, so they run last.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.telegram.callbacks import MAX_CALLBACK_BYTES
from doemee import messages
from scripts.stack import Stack
from tests.support.fake_telegram import Call, FakeTelegram
from tests.support.stack import seeded_stack

pytestmark = pytest.mark.e2e
CHAT = 31337
UTRECHT_CENTRE = (52.0907, 5.1214)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture(scope="module")
def stack(fake, tmp_path_factory) -> Iterator[Stack]:
    stack = seeded_stack(
        tmp_path_factory.mktemp("telegram-e2e"), with_gateway=False, with_telegram=True,
        extra_env={"TELEGRAM_BOT_TOKEN": "123:abc", "DOEMEE_TELEGRAM_API_URL": fake.url},
    )
    try:
        fake.wait_until_polled(timeout=120)
        yield stack
    finally:
        stack.stop()


def say(fake: FakeTelegram, text: str, chat: int = CHAT) -> list[Call]:
    """Sends `text` and returns the bot's replies once the typing stops and messages arrived."""
    mark = fake.mark()
    fake.send_text(chat, text)
    return _replies(fake, chat, mark)


def _replies(fake: FakeTelegram, chat: int, mark: int) -> list[Call]:
    replies = fake.settle(chat, after=mark)
    assert replies[0].params["text"] != messages.TELEGRAM_OUTAGE, "Rasa did not answer"
    return replies


def _texts(calls: list[Call]) -> str:
    return "\n".join(c.params.get("text", "") for c in calls)


def test_start_greets_in_dutch(stack, fake):
    replies = say(fake, "/start")
    assert replies and all(c.params["text"].strip() for c in replies)


def test_help_explains_what_the_bot_does(stack, fake):
    assert say(fake, "/help")


def test_a_search_asks_where_and_offers_the_location_button(stack, fake):
    replies = say(fake, "ik wil iets doen met tuinieren", chat=CHAT + 1)
    offers = [c for c in replies if c.keyboard_buttons]
    assert offers, f"no location button in: {_texts(replies)}"
    assert offers[-1].keyboard_buttons[0] == {"text": messages.TELEGRAM_SHARE_LOCATION, "request_location": True}


def test_a_shared_location_leads_to_results_with_buttons_that_fit(stack, fake):
    chat = CHAT + 1
    mark = fake.mark()
    fake.send_location(chat, *UTRECHT_CENTRE)
    replies = _replies(fake, chat, mark)
    buttons = [b for c in replies for b in c.inline_buttons]
    assert any(b["text"] == "Aanmelden" for b in buttons), _texts(replies)
    assert all(len(b["callback_data"].encode()) <= MAX_CALLBACK_BYTES for b in buttons if "callback_data" in b)


def test_pressing_aanmelden_starts_the_sign_up(stack, fake):
    chat = CHAT + 1
    results = [c for c in fake.messages_to(chat) if any(b["text"] == "Aanmelden" for b in c.inline_buttons)]
    assert results, "run after the location test"
    sign_up = next(b for b in results[-1].inline_buttons if b["text"] == "Aanmelden")
    mark = fake.mark()
    fake.press(chat, sign_up["callback_data"])
    replies = _replies(fake, chat, mark)
    assert replies and fake.wait_for("answerCallbackQuery", after=mark)


def test_stop_ends_alerts_with_an_answer(stack, fake):
    assert say(fake, "/stop")


def test_vergeetmij_asks_before_forgetting(stack, fake):
    assert say(fake, "/vergeetmij")


def test_privacy_says_what_is_kept_and_how_to_erase_it(stack, fake):
    text = _texts(say(fake, "/privacy"))
    assert "Ik bewaar zo weinig mogelijk" in text and "vergeet mij" in text


def test_when_the_action_server_is_down_the_resident_is_never_left_in_silence(stack, fake):
    stack.stop_service("actions")
    mark = fake.mark()
    fake.send_text(CHAT + 2, "ik zoek vrijwilligerswerk in 3511 met ouderen")
    reply = fake.wait_for_message(CHAT + 2, after=mark, timeout=90)
    assert reply.params["text"].strip()


def test_when_rasa_is_down_the_resident_gets_a_dutch_message_with_a_retry(stack, fake):
    stack.stop_service("rasa")
    mark = fake.mark()
    fake.send_text(CHAT, "hallo?")
    reply = fake.wait_for_message(CHAT, after=mark, timeout=60)
    assert reply.params["text"] == messages.TELEGRAM_OUTAGE
    assert [b["text"] for b in reply.inline_buttons] == [messages.BUTTON_RETRY]
