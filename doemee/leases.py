"""One lease per scheduled job, so that of several instances only one runs it.

The holder renews its lease before every round; a holder that dies stops
renewing and its lease expires after `ttl_seconds`, a few rounds, after
which another instance takes the job over. The token is random per
instance, so only the holder can renew or release its own lease.

Without Redis every instance simply runs the job, as under `make run`.
When Redis is configured but does not answer, the job runs too: every job
claims its rows in the database before it sends, so two instances running
it at once cost some wasted work, never a double mail or message, while
stopping all of them would leave alerts and mails unsent until Redis is back.
"""

from __future__ import annotations

import secrets

import redis.asyncio as redis

from doemee.shared_state import PREFIX, SharedState, SharedStateDown

# Extends or deletes the lease only while it still holds this instance's token.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def lease_ttl(interval_seconds: float, rounds: int = 3, minimum: float = 10.0) -> float:
    """A few rounds: a slow round keeps its lease, a dead holder loses it soon."""
    return max(interval_seconds * rounds, minimum)


class Lease:
    def __init__(self, shared: SharedState | None, job: str, ttl_seconds: float) -> None:
        self.shared = shared
        self.key = f"{PREFIX}lease:{job}"
        self.ttl_ms = max(1, int(ttl_seconds * 1000))
        self.token = secrets.token_hex(16)

    async def hold(self) -> bool:
        """True when this instance should run the job now: it renewed or took the lease, or Redis is away."""
        if self.shared is None:
            return True
        try:
            return await self.shared.call(self._renew_or_take)
        except SharedStateDown:
            return True

    async def _renew_or_take(self, client: redis.Redis) -> bool:
        assert self.shared is not None
        if await self.shared.script(client, _RENEW)(keys=[self.key], args=[self.token, self.ttl_ms]):
            return True
        return bool(await client.set(self.key, self.token, nx=True, px=self.ttl_ms))

    async def release(self) -> None:
        """Hands the job over at once (a clean stop); does nothing to a lease another instance holds."""
        if self.shared is None:
            return
        try:
            shared = self.shared
            await shared.call(lambda client: shared.script(client, _RELEASE)(keys=[self.key], args=[self.token]))
        except SharedStateDown:
            pass
