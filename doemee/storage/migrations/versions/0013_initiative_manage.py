"""initiative manage links, sign-up status and initiative approval

Initiatives manage their own listings through a mailed link. The link
carries the initiative's `manage_nonce`, so a new nonce voids every older
link; each existing initiative gets a random one here. An initiative counts
as approved once a centre vouched for it; those whose listings residents
could ever see (published, or open, paused or filled) are approved as of now.
Sign-ups get the status the initiative gives them. The audit trail names
actors that are not staff ("initiative:12").

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""
import secrets
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

SIGN_UP_STATUSES = ("new", "contacted", "started", "not_suitable", "withdrawn")


def upgrade() -> None:
    with op.batch_alter_table("initiative") as batch:
        batch.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("manage_nonce", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("manage_link_sent_at", sa.DateTime(timezone=True), nullable=True))

    bind = op.get_bind()
    initiative = sa.table(
        "initiative", sa.column("id", sa.Integer), sa.column("manage_nonce", sa.String),
        sa.column("approved_at", sa.DateTime(timezone=True)),
    )
    opportunity = sa.table(
        "opportunity", sa.column("initiative_id", sa.Integer), sa.column("status", sa.String),
        sa.column("published_at", sa.DateTime(timezone=True)),
    )
    for (initiative_id,) in bind.execute(sa.select(initiative.c.id)).all():
        bind.execute(
            initiative.update().where(initiative.c.id == initiative_id).values(manage_nonce=secrets.token_hex(16))
        )
    seen = sa.select(opportunity.c.initiative_id).where(
        sa.or_(opportunity.c.published_at.is_not(None), opportunity.c.status.in_(("open", "paused", "filled")))
    )
    bind.execute(
        initiative.update().where(initiative.c.id.in_(seen)).values(approved_at=datetime.now(timezone.utc))
    )
    with op.batch_alter_table("initiative") as batch:
        batch.alter_column("manage_nonce", existing_type=sa.String(length=32), nullable=False)

    with op.batch_alter_table("sign_up") as batch:
        batch.add_column(sa.Column(
            "status", sa.Enum(*SIGN_UP_STATUSES, name="signupstatus", native_enum=False, length=20),
            nullable=False, server_default="new",
        ))
        batch.add_column(sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("actor", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("actor")
    with op.batch_alter_table("sign_up") as batch:
        batch.drop_column("status_changed_at")
        batch.drop_column("status")
    with op.batch_alter_table("initiative") as batch:
        batch.drop_column("manage_link_sent_at")
        batch.drop_column("manage_nonce")
        batch.drop_column("approved_at")
