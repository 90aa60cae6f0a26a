"""The NLU fuzz runs test texts at and beyond the gateway's own length limit."""

import dataclasses

from bot.web.config import GatewayConfig
from nlu.message_text import MAX_CHARS
from tests.support.fuzz_text import GATEWAY_MAX_CHARS


def test_the_fuzz_limit_is_the_gateways():
    default = {f.name: f.default for f in dataclasses.fields(GatewayConfig)}["max_message_chars"]
    assert GATEWAY_MAX_CHARS == default
    assert MAX_CHARS >= default
