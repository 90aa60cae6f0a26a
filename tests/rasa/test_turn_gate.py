"""The turn gate bounds how many messages Rasa has in progress, lets started ones finish first, and is installed once."""

import asyncio

import pytest
from rasa.core.processor import MessageProcessor

from rasa_addons import turn_gate


def run_messages(width: int, count: int, waits_per_message: int = 2):
    """`count` messages that each wait for 'the action server' a few times; returns peak in progress and finish order."""
    state = {"in_progress": 0, "peak": 0, "finished": []}

    async def handle(number: int) -> int:
        state["in_progress"] += 1
        state["peak"] = max(state["peak"], state["in_progress"])
        for _ in range(waits_per_message):
            await asyncio.sleep(0.001)
        state["in_progress"] -= 1
        state["finished"].append(number)
        return number * 10

    async def main():
        handle_in_turn = turn_gate.gated(handle, width) if width else handle
        return await asyncio.gather(*(handle_in_turn(n) for n in range(count)))

    results = asyncio.run(main())
    return results, state


def test_at_most_width_messages_are_in_progress():
    results, state = run_messages(width=2, count=12)
    assert results == [n * 10 for n in range(12)]
    assert state["peak"] == 2


def test_without_the_gate_every_message_interleaves():
    _, state = run_messages(width=0, count=12)
    assert state["peak"] == 12


def test_a_started_message_finishes_before_later_ones_start():
    _, state = run_messages(width=1, count=8, waits_per_message=3)
    assert state["finished"] == list(range(8))


def test_a_failing_message_frees_its_place():
    async def main():
        calls = []

        async def handle(fail: bool):
            calls.append(fail)
            await asyncio.sleep(0)
            if fail:
                raise RuntimeError("action server down")
            return "ok"

        handle_in_turn = turn_gate.gated(handle, 1)
        with pytest.raises(RuntimeError):
            await handle_in_turn(True)
        return await asyncio.wait_for(handle_in_turn(False), timeout=2), calls

    assert asyncio.run(main()) == ("ok", [True, False])


@pytest.mark.parametrize(
    "raw, expected",
    [(None, 2), ("", 2), ("4", 4), (" 1 ", 1), ("0", 0), ("-3", 2), ("veel", 2)],
)
def test_width_from_the_environment(raw, expected):
    environ = {} if raw is None else {turn_gate.SETTING: raw}
    assert turn_gate.messages_at_once(environ) == expected


def test_installed_once_around_the_processor(wrapper_names):
    handle = MessageProcessor.handle_message
    turn_gate.install()
    assert MessageProcessor.handle_message is handle
    assert wrapper_names(handle).count("handle_in_turn") == 1
