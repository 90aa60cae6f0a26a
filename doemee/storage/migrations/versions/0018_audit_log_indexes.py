"""audit log indexes

Logboek pages through the audit trail newest first, one centre's rows or
everyone's. The single-column indexes on centre_id and at become
(centre_id, at, id) and (at, id), so a page deep in a year's log is found
by skipping index entries instead of reading every table row before it.
(action, centre_id) counts a kind of action as a range of codes, and
(object_type, object_id) finds one listing's history.

Logouts and refused (locked) logins were written without a centre; they get
the centre of the member they name, as every such row is written now, so a
centre's Logboek reads one index range.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


_audit_event = sa.table("audit_event", sa.column("staff_id", sa.Integer), sa.column("centre_id", sa.Integer),
                        sa.column("action", sa.String))
_staff_member = sa.table("staff_member", sa.column("id", sa.Integer), sa.column("centre_id", sa.Integer))


def upgrade() -> None:
    op.execute(
        _audit_event.update()
        .where(_audit_event.c.centre_id.is_(None), _audit_event.c.staff_id.is_not(None),
               _audit_event.c.action.in_(["staff.logout", "staff.login_locked"]))
        .values(centre_id=sa.select(_staff_member.c.centre_id)
                .where(_staff_member.c.id == _audit_event.c.staff_id).scalar_subquery())
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_centre_id")
        batch_op.drop_index("ix_audit_event_at")
        batch_op.create_index("ix_audit_event_centre_id_at", ["centre_id", "at", "id"], unique=False)
        batch_op.create_index("ix_audit_event_at_id", ["at", "id"], unique=False)
        batch_op.create_index("ix_audit_event_action_centre_id", ["action", "centre_id"], unique=False)
        batch_op.create_index("ix_audit_event_object", ["object_type", "object_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_object")
        batch_op.drop_index("ix_audit_event_action_centre_id")
        batch_op.drop_index("ix_audit_event_at_id")
        batch_op.drop_index("ix_audit_event_centre_id_at")
        batch_op.create_index("ix_audit_event_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_event_centre_id", ["centre_id"], unique=False)
