"""published_at for opportunities, a region for alert subscriptions

Alerts go by when an opportunity was published, not when it was written:
a concept approved later is still news. Rows open today count as published
when they were created. A subscription made in a centre's widget keeps the
centre's municipalities (empty: the whole country).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_opportunity = sa.table(
    "opportunity",
    sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("published_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("opportunity") as batch:
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_opportunity_published_at", ["published_at"])
    op.execute(
        _opportunity.update()
        .where(_opportunity.c.status == "open")
        .values(published_at=_opportunity.c.created_at)
    )
    with op.batch_alter_table("alert_subscription") as batch:
        batch.add_column(sa.Column("municipality_codes", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("alert_subscription") as batch:
        batch.drop_column("municipality_codes")
    with op.batch_alter_table("opportunity") as batch:
        batch.drop_index("ix_opportunity_published_at")
        batch.drop_column("published_at")
