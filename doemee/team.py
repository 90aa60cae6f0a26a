"""A centre's team in the portal: who has an account, and switching one off or on again.

Inviting goes through `doemee.staff.invite`, as `bin/doemee staff add`
does. A member is switched off, never deleted (the audit trail points to
them), and switching off ends every session at once. Nobody switches
themself off, so a centre cannot lock out its last admin by accident.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from doemee import audit
from doemee import staff_messages as text
from doemee.staff import StaffError, end_all_sessions
from doemee.storage.models import Centre, StaffMember, as_utc


@dataclass(frozen=True)
class TeamMember:
    id: int
    email: str
    centre_id: int
    centre_name: str
    role: str  # "admin" or "staff"
    state: str  # "active", "invited" (no password chosen yet) or "inactive"
    created_at: datetime


def members(session: Session, centre_ids: Collection[int]) -> list[TeamMember]:
    """The members of these centres, by centre and then address."""
    rows = session.execute(
        select(StaffMember, Centre.name).join(Centre, Centre.id == StaffMember.centre_id)
        .where(StaffMember.centre_id.in_(sorted(centre_ids)))
        .order_by(Centre.position, Centre.name, StaffMember.email)
    )
    return [
        TeamMember(member.id, member.email, member.centre_id, name, member.role.value, _state(member),
                   as_utc(member.created_at))
        for member, name in rows
    ]


def _state(member: StaffMember) -> str:
    if not member.active:
        return "inactive"
    return "active" if member.password_hash is not None else "invited"


def centres(session: Session, centre_ids: Collection[int]) -> list[tuple[str, str]]:
    """(slug, name) of the centres someone may invite to, in the order of centres.yml."""
    return [(slug, name) for slug, name in session.execute(
        select(Centre.slug, Centre.name).where(Centre.id.in_(sorted(centre_ids))).order_by(Centre.position, Centre.id)
    )]


def set_active(session: Session, centre_ids: Collection[int], member_id: int, active: bool,
               by_staff_id: int) -> StaffMember | None:
    """Switches a member of these centres off (ending their sessions) or on; None when not theirs to see.

    Raises StaffError (kind "self") when someone tries to switch themself off.
    """
    member = session.get(StaffMember, member_id)
    if member is None or member.centre_id not in centre_ids:
        return None
    if member.id == by_staff_id and not active:
        raise StaffError(text.TEAM_NOT_YOURSELF, kind="self")
    if member.active != active:
        member.active = active
        if not active:
            end_all_sessions(session, member.id)
        audit.record(session, audit.STAFF_REACTIVATED if active else audit.STAFF_DEACTIVATED,
                     staff_id=by_staff_id, centre_id=member.centre_id, object_type="staff_member",
                     object_id=member.id)
    return member
