"""A SQL tracker store that deletes a conversation when the resident asked to be forgotten.

Why here and not in the action: Rasa keeps the tracker in memory while it
handles a message and saves it afterwards, appending every event the table
does not hold yet. Rows an action deletes are therefore written back at
the end of the same turn. This store sees the finished turn instead: when
the newest events (since the resident's last message) set the
`conversation_forgotten` slot to true (`action_forget_me` does that after
the database part succeeded), it deletes every stored event of the sender
rather than saving. The next message starts a fresh conversation.

endpoints.yml gives the store one SQLAlchemy URL (DOEMEE_TRACKER_STORE_URL,
which Rasa passes as `host`): SQLite on one machine, PostgreSQL when several
Rasa instances share the conversations.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional

import sqlalchemy
import sqlalchemy.orm
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from rasa_addons.patches import require_installed

logger = logging.getLogger(__name__)

FORGOTTEN_SLOT = "conversation_forgotten"


def forget_requested(tracker: DialogueStateTracker) -> bool:
    """Whether the turn since the resident's last message ended with a completed forget_me."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, SlotSet) and event.key == FORGOTTEN_SLOT and event.value is True:
            return True
    return False


def url_settings(url: str) -> Dict[str, Any]:
    """`SQLTrackerStore`'s settings (dialect, host, port, db, username, password, query) from one URL."""
    parsed = make_url(url)
    settings: Dict[str, Any] = {"dialect": parsed.get_backend_name(), "db": parsed.database}
    if parsed.get_backend_name() != "sqlite":
        settings.update(host=parsed.host, port=parsed.port, username=parsed.username, password=parsed.password)
        if parsed.query:
            settings["query"] = dict(parsed.query)
    return settings


class ForgettingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that honours forget_me; configured by a URL, or by Rasa's own settings."""

    def __init__(self, domain: Any = None, host: Optional[str] = None, event_broker: Any = None,
                 **kwargs: Any) -> None:
        require_installed()
        if host and "://" in host:
            kwargs = {**kwargs, **url_settings(host)}
        elif host:
            kwargs["host"] = host
        super().__init__(domain=domain, event_broker=event_broker, **kwargs)
        if self.engine.dialect.name != "sqlite":
            self._ping_before_use()

    def _ping_before_use(self) -> None:
        """After a database restart, Rasa's pooled connections are dead: the first message on each would fail.

        Rasa builds its engine without `pool_pre_ping`; the same engine with it
        replaces a dead connection before use instead.
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sqlalchemy.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sqlalchemy.orm.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if forget_requested(tracker):
            self.delete(tracker.sender_id)
            return
        await super().save(tracker)

    def delete(self, sender_id: str) -> int:
        """Deletes every stored event of `sender_id`, across all its sessions."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete(
                synchronize_session=False
            )
            session.commit()
        logger.info("conversation history deleted on request (%d events)", deleted)
        return deleted
