"""Whether a chat shows the location keyboard, so that the next reply can take it away.

Telegram keeps a reply keyboard up until a message removes it, and only the
bridge that showed it would know. With Redis (DOEMEE_REDIS_URL) every bridge
knows; without it, or while Redis is away, the chat's own `chat_data` does.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from doemee.shared_state import PREFIX, SharedState, SharedStateDown

LOCAL_KEY = "location_keyboard_shown"
SHARED_SECONDS = 30 * 24 * 3600


class KeyboardState:
    def __init__(self, shared: SharedState | None = None) -> None:
        self.shared = shared

    async def shown(self, chat_id: int, chat_data: MutableMapping) -> bool:
        if self.shared is not None:
            try:
                return bool(await self.shared.call(lambda client: client.exists(self._key(chat_id))))
            except SharedStateDown:
                pass
        return bool(chat_data.get(LOCAL_KEY))

    async def remember(self, chat_id: int, chat_data: MutableMapping, shown: bool) -> None:
        chat_data[LOCAL_KEY] = shown
        if self.shared is None:
            return
        try:
            if shown:
                await self.shared.call(lambda client: client.set(self._key(chat_id), "1", ex=SHARED_SECONDS))
            else:
                await self.shared.call(lambda client: client.delete(self._key(chat_id)))
        except SharedStateDown:
            pass

    def _key(self, chat_id: int) -> str:
        assert self.shared is not None
        return f"{PREFIX}keyboard:{self.shared.hashed(str(chat_id))}"
