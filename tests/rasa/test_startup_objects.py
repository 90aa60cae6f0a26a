"""What is alive when the first message arrives is frozen once, and the freeze is installed once."""

import asyncio
import gc

import pytest
from rasa.core.processor import MessageProcessor

from rasa_addons import startup_objects


@pytest.fixture(autouse=True)
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_first_message_freezes_what_is_alive_then_never_again():
    async def handle(text):
        return text.upper()

    handle_after_freeze = startup_objects.frozen_on_first_call(handle)
    loaded_model = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == 0

    assert asyncio.run(handle_after_freeze("hoi")) == "HOI"
    frozen = gc.get_freeze_count()
    assert frozen >= len(loaded_model)

    made_later = [[i] for i in range(1000)]
    assert asyncio.run(handle_after_freeze("doei")) == "DOEI"
    assert gc.get_freeze_count() == frozen
    assert len(made_later) == len(loaded_model)


def test_installed_once_around_the_processor(wrapper_names):
    handle = MessageProcessor.handle_message
    startup_objects.install()
    assert MessageProcessor.handle_message is handle
    assert wrapper_names(handle).count("handle_after_freeze") == 1
