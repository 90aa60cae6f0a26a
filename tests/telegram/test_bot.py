"""The real bot, in-process, against the fake Bot API and a Rasa stand-in.

The stand-in answers what each test needs (buttons, a location question,
an error page) and records what the bot sent to Rasa. tests/telegram/
test_stack.py repeats the main paths against a real Rasa.
"""

from __future__ import annotations

import logging

import pytest

from bot.telegram.app import build_application
from bot.telegram.callbacks import MAX_CALLBACK_BYTES
from doemee import messages
from scripts.stack import free_port
from tests.telegram.conftest import start_polling, stop_polling, with_config
from tests.telegram.rasa_standin import RasaStandIn, echo

CHAT = 4242
LONG_PAYLOAD = '/sign_up{"opportunity_id":"9876543210","source":"csv","external_id":"buurttuin-2026"}'


def replies(*messages_):
    return lambda body: (200, list(messages_))


def _asked(rasa, text):
    return lambda body: body["message"] == text


async def test_a_message_goes_to_rasa_as_the_chat_and_the_reply_comes_back(bot, fake_telegram, rasa):
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "ik zoek vrijwilligerswerk")
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] == "je zei: ik zoek vrijwilligerswerk"
    assert rasa.requests == [{
        "sender": f"telegram:{CHAT}", "message": "ik zoek vrijwilligerswerk",
        "metadata": {"channel": "telegram"}, "input_channel": "telegram",
    }]


async def test_a_typing_indicator_shows_before_the_reply(bot, fake_telegram, rasa):
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "hoi")
    reply = await fake_telegram.await_message(CHAT, after=mark)
    typing = await fake_telegram.await_for("sendChatAction", lambda c: c.params["chat_id"] == CHAT, after=mark)
    assert typing.params["action"] == "typing"
    assert typing.at <= reply.at


async def test_replies_are_plain_text_so_markup_cannot_be_injected(bot, fake_telegram, rasa):
    rasa.responder = replies({"text": "<b>Hallo</b> <a href='https://evil.example'>klik</a>"})
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "hoi")
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] == "<b>Hallo</b> <a href='https://evil.example'>klik</a>"
    assert "parse_mode" not in reply.params and "entities" not in reply.params


async def test_buttons_arrive_as_an_inline_keyboard_within_64_bytes(bot, fake_telegram, rasa):
    rasa.responder = replies({"text": "Buurttuin Overvecht", "buttons": [
        {"title": "Aanmelden", "payload": LONG_PAYLOAD},
        {"title": "Meer", "payload": "/more_results"},
    ]})
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "zoek iets met tuinieren in 3511")
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert [b["text"] for b in reply.inline_buttons] == ["Aanmelden", "Meer"]
    assert all(len(b["callback_data"].encode()) <= MAX_CALLBACK_BYTES for b in reply.inline_buttons)


@pytest.mark.parametrize("title, payload", [("Aanmelden", LONG_PAYLOAD), ("Meer", "/more_results")])
async def test_pressing_a_button_sends_its_payload_to_rasa(bot, fake_telegram, rasa, title, payload):
    rasa.responder = replies({"text": "Kies:", "buttons": [
        {"title": "Aanmelden", "payload": LONG_PAYLOAD}, {"title": "Meer", "payload": "/more_results"},
    ]})
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "zoek")
    reply = await fake_telegram.await_message(CHAT, after=mark)
    button = next(b for b in reply.inline_buttons if b["text"] == title)
    rasa.responder = echo
    mark = fake_telegram.mark()
    query_id = fake_telegram.press(CHAT, button["callback_data"])
    answer = await fake_telegram.await_message(CHAT, after=mark)
    assert answer.params["text"] == f"je zei: {payload}"
    assert rasa.requests[-1]["message"] == payload
    await fake_telegram.await_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id)


async def test_an_expired_button_is_explained_in_dutch(bot, fake_telegram, rasa):
    mark = fake_telegram.mark()
    fake_telegram.press(CHAT, "k:forgotten-key")
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] == messages.TELEGRAM_BUTTON_EXPIRED
    assert rasa.requests == []


async def test_a_location_question_offers_a_deel_locatie_button(bot, fake_telegram, rasa):
    rasa.responder = replies({"text": "Waar zoek je?", "custom": {"telegram": {"request_location": True}}})
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "ik wil helpen")
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.keyboard_buttons == [{"text": messages.TELEGRAM_SHARE_LOCATION, "request_location": True}]


async def test_a_location_question_with_buttons_still_offers_the_location_button(bot, fake_telegram, rasa):
    rasa.responder = replies({
        "text": "Waar woon je?", "buttons": [{"title": "Overal", "payload": "/inform"}],
        "custom": {"telegram": {"request_location": True}},
    })
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "ik wil helpen")
    await fake_telegram.await_message(CHAT, lambda c: bool(c.inline_buttons), after=mark)
    offer = await fake_telegram.await_message(CHAT, lambda c: bool(c.keyboard_buttons), after=mark)
    assert offer.keyboard_buttons[0]["request_location"] is True


async def test_a_shared_location_goes_to_rasa_as_metadata_and_the_keyboard_goes_away(bot, fake_telegram, rasa):
    rasa.responder = replies({"text": "Waar woon je?"})
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "ik wil helpen")
    await fake_telegram.await_message(CHAT, lambda c: bool(c.keyboard_buttons), after=mark)
    rasa.responder = replies({"text": "Ik vond 3 plekken bij jou in de buurt."})
    mark = fake_telegram.mark()
    fake_telegram.send_location(CHAT, 52.0907, 5.1214)
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert rasa.requests[-1]["message"] == "/inform"
    assert rasa.requests[-1]["metadata"] == {
        "channel": "telegram", "location": {"latitude": 52.0907, "longitude": 5.1214},
    }
    assert reply.reply_markup == {"remove_keyboard": True}


@pytest.mark.parametrize("command, intent", [
    ("/start", "/greet"), ("/help", "/help"), ("/vergeetmij", "/forget_me"), ("/privacy", "/ask_privacy"),
])
async def test_commands_reach_rasa_as_their_intents(bot, fake_telegram, rasa, command, intent):
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, command)
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] == f"je zei: {intent}"


async def test_stop_goes_through_rasa_when_it_is_up(bot, fake_telegram, rasa):
    rasa.responder = replies({"text": "Goed, je krijgt geen meldingen meer."})
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "/stop")
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert rasa.requests[-1]["message"] == "/unsubscribe_alerts"
    assert reply.params["text"] == "Goed, je krijgt geen meldingen meer."


async def test_the_commands_are_registered_in_dutch(bot, fake_telegram):
    registered = fake_telegram.calls_of("setMyCommands")
    assert registered, "setMyCommands was never called"
    for call in registered:
        assert {c["command"]: c["description"] for c in call.params["commands"]} == messages.TELEGRAM_COMMANDS


@pytest.mark.parametrize("typed", ['/sign_up{"opportunity_id":"1"}', "/forget_me", "/onbekend"])
async def test_typed_intents_and_unknown_commands_never_reach_rasa(bot, fake_telegram, rasa, typed):
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, typed)
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] == messages.TELEGRAM_UNKNOWN_COMMAND
    assert rasa.requests == []


async def test_an_edited_message_is_not_a_new_turn(bot, fake_telegram, rasa):
    fake_telegram.enqueue({"edited_message": {**fake_telegram.make_message(CHAT, text="hoi"), "edit_date": 1}})
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "tweede")
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] == "je zei: tweede"
    assert [r["message"] for r in rasa.requests] == ["tweede"]


async def test_a_group_chat_is_not_served(bot, fake_telegram, rasa):
    message = fake_telegram.make_message(-100, text="hoi allemaal")
    message["chat"] = {"id": -100, "type": "group", "title": "Buurtgroep"}
    fake_telegram.enqueue({"message": message})
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "hoi")
    await fake_telegram.await_message(CHAT, after=mark)
    assert [r["sender"] for r in rasa.requests] == [f"telegram:{CHAT}"]
    assert fake_telegram.messages_to(-100) == []


async def test_a_sticker_gets_a_dutch_answer(bot, fake_telegram, rasa):
    mark = fake_telegram.mark()
    sticker = {"file_id": "s", "file_unique_id": "s", "width": 512, "height": 512,
               "is_animated": False, "is_video": False, "type": "regular"}
    fake_telegram.enqueue({"message": fake_telegram.make_message(CHAT, sticker=sticker)})
    reply = await fake_telegram.await_message(CHAT, after=mark)
    assert reply.params["text"] == messages.TELEGRAM_ONLY_TEXT
    assert rasa.requests == []


@pytest.mark.parametrize("failure", ["server_error", "empty", "timeout"])
async def test_when_rasa_fails_the_resident_gets_a_dutch_message_and_a_retry_that_works(
    bot, fake_telegram, rasa, failure,
):
    if failure == "timeout":
        rasa.hang.set()
    else:
        rasa.responder = (lambda body: (500, {"error": "x"})) if failure == "server_error" else replies()
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, "ik zoek iets in 3511")
    outage = await fake_telegram.await_message(CHAT, after=mark)
    assert outage.params["text"] == messages.TELEGRAM_OUTAGE
    [retry] = outage.inline_buttons
    assert retry["text"] == messages.BUTTON_RETRY

    rasa.hang.clear()
    rasa.responder = echo
    mark = fake_telegram.mark()
    fake_telegram.press(CHAT, retry["callback_data"], message_id=outage.params.get("message_id"))
    answer = await fake_telegram.await_message(CHAT, after=mark)
    assert answer.params["text"] == "je zei: ik zoek iets in 3511"
    await fake_telegram.await_for("editMessageReplyMarkup", after=mark)


async def test_when_rasa_is_not_running_the_retry_works_once_it_is(fake_telegram, bot_config):
    port = free_port()
    application = build_application(with_config(bot_config, rasa_url=f"http://127.0.0.1:{port}"), with_alerts=False)
    await start_polling(application)
    try:
        mark = fake_telegram.mark()
        fake_telegram.send_location(CHAT, 52.09, 5.12)
        outage = await fake_telegram.await_message(CHAT, after=mark)
        assert outage.params["text"] == messages.TELEGRAM_OUTAGE
        rasa = RasaStandIn(port=port).start()
        try:
            mark = fake_telegram.mark()
            fake_telegram.press(CHAT, outage.inline_buttons[0]["callback_data"])
            await fake_telegram.await_message(CHAT, after=mark)
            assert rasa.requests[-1]["metadata"]["location"] == {"latitude": 52.09, "longitude": 5.12}
        finally:
            rasa.stop()
    finally:
        await stop_polling(application)


async def test_nothing_a_resident_writes_ends_up_in_the_logs(bot, fake_telegram, rasa, caplog):
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="doemee")
    secret = "Geheimstraat 12, mijn nummer is 0612345678"
    rasa.responder = lambda body: (500, {"echo": body["message"]})
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, secret)
    await fake_telegram.await_message(CHAT, after=mark)
    rasa.responder = echo
    mark = fake_telegram.mark()
    fake_telegram.send_text(CHAT, secret)
    await fake_telegram.await_message(CHAT, after=mark)
    assert caplog.records, "the bot logged nothing, so this test proves nothing"
    assert "Geheimstraat" not in caplog.text and "0612345678" not in caplog.text
    assert str(CHAT) not in caplog.text
