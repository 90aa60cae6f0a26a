"""Rasa cleans every message's text at its entry, and keeps what residents type out of its logs."""

import asyncio
import logging

import structlog
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

from nlu.message_text import MAX_CHARS, clean
from rasa_addons import incoming_text, private_logs


def test_text_no_encoder_or_database_takes_is_replaced():
    assert clean("a\ud800b") == "a\ufffdb"
    assert clean("a\x00b\x1bc\x85d") == "a b c d"
    assert clean("regel een\nregel\ttwee\r") == "regel een\nregel\ttwee\r"
    assert clean("ik wil helpen 👍 in Zoetermeer") == "ik wil helpen 👍 in Zoetermeer"


def test_a_text_longer_than_any_channel_sends_is_cut():
    assert len(clean("x" * (MAX_CHARS * 3))) == MAX_CHARS


def test_the_handler_sees_the_cleaned_text():
    seen = []

    async def handle(self, message):
        seen.append(message.text)

    asyncio.run(incoming_text.cleaning(handle)(None, UserMessage("hoi\ud800\x00")))
    asyncio.run(incoming_text.cleaning(handle)(None, UserMessage(None)))
    assert seen == ["hoi\ufffd ", None]


def test_rasas_own_intents_typed_by_a_resident_are_read_as_words():
    for typed, read in [("/restart", "restart"), ("  /Session_Start", "Session_Start"), ("/back{}", "back{}"),
                        ("/nlu_fallback@bot", "nlu_fallback@bot"), ("/out_of_scope nu", "out_of_scope nu")]:
        assert incoming_text.as_resident_text(typed) == read
    for kept in ('/sign_up{"opportunity_id": "3"}', "/affirm", "/restarten", "/backoffice", "ik wil /restart"):
        assert incoming_text.as_resident_text(kept) == kept


def test_the_cleaning_wraps_rasas_entry_once(wrapper_names):
    incoming_text.install()
    incoming_text.install()
    assert wrapper_names(MessageProcessor.handle_message).count("handle_clean_text") == 1


def test_rasas_logs_do_not_show_what_a_resident_typed(capsys):
    logging.basicConfig(level=logging.INFO, force=True)
    private_logs.install()
    private_logs.install()
    assert structlog.get_config()["processors"].count(private_logs.redact) == 1
    structlog.get_logger().warning("message.parsing.failed", user_text="/mijn adres is Dorpsstraat 1")
    output = capsys.readouterr()
    assert "Dorpsstraat" not in output.out + output.err
    assert "message.parsing.failed" in output.out + output.err
