"""every outgoing mail as a row in an outbox

A mail used to go out (or to an .eml file) in the middle of the change it
told about: a crash or an SMTP hiccup lost it, or a rolled-back change
still mailed. Now the mail is a row written in the same transaction, and a
worker sends it with retries. A centre or resident that goes keeps the
row, unlinked ("vergeet mij" blanks it first).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.Enum("queued", "sending", "sent", "failed", "kept", name="mailstatus",
                                    native_enum=False, length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], ondelete="SET NULL",
                                name="fk_outbox_mail_centre_id_centre"),
        sa.ForeignKeyConstraint(["resident_id"], ["resident.id"], ondelete="SET NULL",
                                name="fk_outbox_mail_resident_id_resident"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_mail"),
    )
    op.create_index("ix_outbox_mail_due", "outbox_mail", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_mail_centre_id", "outbox_mail", ["centre_id"])
    op.create_index("ix_outbox_mail_resident_id", "outbox_mail", ["resident_id"])
    op.create_index("ix_outbox_mail_created_at", "outbox_mail", ["created_at"])


def downgrade() -> None:
    op.drop_table("outbox_mail")
