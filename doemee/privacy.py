"""The right to be forgotten, for everything the collectives database holds.

A resident's profile and alert subscriptions are deleted, with the email
addresses given for alerts (confirmed or not) and the questions they left
for a centre (open or handled). Mails about them in the outbox go when
unsent, and keep only a neutral note when sent. Their sign-ups
stay as counts for the initiative but lose every personal field and the
link to the resident. The conversation history lives in Rasa's tracker
store and is deleted there (see rasa_addons.forgetting_tracker_store).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from doemee.outbox import forget_residents
from doemee.storage.database import rows_changed
from doemee.storage.models import AlertSubscription, EmailAlert, HandoffRequest, Resident, SignUp


@dataclass(frozen=True)
class Forgotten:
    residents: int
    sign_ups_blanked: int
    subscriptions: int
    mails: int = 0


def forget(session: Session, sender_id: str, channel: str | None = None) -> Forgotten:
    """Deletes everything about this sender (on one channel, or on every channel when None).

    Runs in the caller's unit of work, so it happens completely or not at all.
    """
    query = select(Resident.id).where(Resident.sender_id == sender_id)
    if channel is not None:
        query = query.where(Resident.channel == channel)
    ids = list(session.scalars(query))
    if not ids:
        return Forgotten(0, 0, 0)
    mails = forget_residents(session, ids)
    blanked = rows_changed(session.execute(
        update(SignUp).where(SignUp.resident_id.in_(ids)).values(first_name=None, contact=None, resident_id=None)
    ))
    owned = select(AlertSubscription.id).where(AlertSubscription.resident_id.in_(ids))
    session.execute(delete(EmailAlert).where(EmailAlert.subscription_id.in_(owned)))
    subscriptions = rows_changed(session.execute(
        delete(AlertSubscription).where(AlertSubscription.resident_id.in_(ids))
    ))
    # The foreign key cascades too; deleting here does not rely on SQLite's pragma.
    session.execute(delete(HandoffRequest).where(HandoffRequest.resident_id.in_(ids)))
    session.execute(delete(Resident).where(Resident.id.in_(ids)))
    return Forgotten(len(ids), int(blanked or 0), int(subscriptions or 0), mails)
