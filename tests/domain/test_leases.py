"""Job leases on a real Redis: one holder at a time, only the holder lets go, a dead holder's lease runs out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from doemee.leases import Lease
from doemee.shared_state import SharedState
from tests.support.postgres import free_port


@pytest.fixture
async def states(redis_url) -> AsyncIterator[tuple[SharedState, SharedState]]:
    """Two instances' connections to the same Redis."""
    pair = (SharedState(redis_url), SharedState(redis_url))
    yield pair
    for state in pair:
        await state.aclose()


async def test_of_two_contenders_only_one_holds_the_lease(states):
    first, second = Lease(states[0], "alerts", 10), Lease(states[1], "alerts", 10)
    assert await first.hold()
    assert not await second.hold()
    assert await first.hold()  # renewed, still the holder


async def test_different_jobs_have_their_own_leases(states):
    assert await Lease(states[0], "alerts", 10).hold()
    assert await Lease(states[1], "outbox", 10).hold()


async def test_a_release_by_another_instance_does_nothing(states):
    holder, other = Lease(states[0], "outbox", 10), Lease(states[1], "outbox", 10)
    assert await holder.hold()
    await other.release()
    assert not await other.hold()
    await holder.release()
    assert await other.hold()


async def test_when_the_holder_stops_renewing_another_takes_over_after_the_ttl(states):
    holder, other = Lease(states[0], "follow-up", 0.5), Lease(states[1], "follow-up", 0.5)
    assert await holder.hold()
    taken = time.monotonic()
    assert not await other.hold()
    while not await other.hold():
        assert time.monotonic() - taken < 5, "the lease never expired"
        await asyncio.sleep(0.05)
    assert time.monotonic() - taken >= 0.4
    assert not await holder.hold()  # the old holder, back, finds it taken


async def test_without_redis_every_instance_runs_the_job():
    assert await Lease(None, "alerts", 10).hold()
    assert await Lease(None, "alerts", 10).hold()


async def test_with_redis_unreachable_the_job_runs_and_quickly():
    state = SharedState(f"redis://127.0.0.1:{free_port()}/0")
    started = time.monotonic()
    assert await Lease(state, "alerts", 10).hold()
    assert await Lease(state, "outbox", 10).hold()
    assert time.monotonic() - started < 1.5
    await state.aclose()
