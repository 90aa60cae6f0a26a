"""alerts by email, with double opt-in

A widget resident cannot be pushed to, so alerts can go by email. The
address lives in its own table next to the subscription, with the consent
given in the chat and the moment the resident confirmed it by the link in
a mail; deleting the subscription deletes the address with it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "email_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmation_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("made_subscription", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"], ["alert_subscription.id"], ondelete="CASCADE",
            name="fk_email_alert_subscription_id_alert_subscription",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscription_id", name="uq_email_alert_subscription_id"),
    )
    with op.batch_alter_table("email_alert") as batch:
        batch.create_index("ix_email_alert_email", ["email"])


def downgrade() -> None:
    with op.batch_alter_table("email_alert") as batch:
        batch.drop_index("ix_email_alert_email")
    op.drop_table("email_alert")
