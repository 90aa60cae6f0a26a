"""The portal's audit trail: who did what to which object, and when.

A centre must be able to answer "who approved this?" months later, so
every staff action leaves a row. The row never holds text or personal data
(no titles, no addresses, no reasons): an audit table that outlives the
data it describes must not become a copy of it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from doemee.storage.models import AuditEvent, utcnow

INVITED = "staff.invited"
INVITE_ACCEPTED = "staff.invite_accepted"
LOGIN = "staff.login"
LOGIN_FAILED = "staff.login_failed"
LOGIN_LOCKED = "staff.login_locked"
LOGOUT = "staff.logout"
RESET_REQUESTED = "staff.reset_requested"
PASSWORD_RESET = "staff.password_reset"
CONCEPT_EDITED = "concept.edited"
CONCEPT_APPROVED = "concept.approved"
CONCEPT_REJECTED = "concept.rejected"
QUESTION_HANDLED = "question.handled"
API_KEY_CREATED = "api_key.created"
API_KEY_REVOKED = "api_key.revoked"
MAIL_RESENT = "mail.resent"
STAFF_DEACTIVATED = "staff.deactivated"
STAFF_REACTIVATED = "staff.reactivated"
# The kind of contact is in the action; the address or number never is.
PRIVACY_SEARCHED = {"email": "privacy.searched_by_email", "phone": "privacy.searched_by_phone"}
PRIVACY_FORGOTTEN = {"email": "privacy.forgotten_by_email", "phone": "privacy.forgotten_by_phone"}


def record(
    session: Session,
    action: str,
    *,
    staff_id: int | None = None,
    centre_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    at: datetime | None = None,
    actor: str | None = None,
) -> None:
    """`actor` names who acted when it was not a member of staff ("initiative:12")."""
    session.add(AuditEvent(
        action=action, staff_id=staff_id, centre_id=centre_id, object_type=object_type,
        object_id=object_id, at=at or utcnow(), actor=actor,
    ))


def actions_of(session: Session, staff_id: int | None = None) -> list[str]:
    """The actions in the order they happened (all of them, or one member's)."""
    statement = select(AuditEvent.action).order_by(AuditEvent.at, AuditEvent.id)
    if staff_id is not None:
        statement = statement.where(AuditEvent.staff_id == staff_id)
    return list(session.scalars(statement))
