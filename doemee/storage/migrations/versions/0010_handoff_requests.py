"""questions residents leave for their centre in the chat ("hulpvragen")

A resident who asks for a person could only be shown the centre's contact.
Now they can leave a question and a way to reach them, with their consent,
and the centre's staff handle it in the portal. The request belongs to the
resident (deleted with them by "vergeet mij") and to one centre (deleted
with it); who handled it is kept while that member exists.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("first_name", sa.String(length=80), nullable=True),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("contact_kind", sa.String(length=10), nullable=False),
        sa.Column("contact_value", sa.String(length=254), nullable=False),
        sa.Column("status", sa.Enum("open", "handled", name="handoffstatus", native_enum=False, length=10),
                  nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], ondelete="CASCADE",
                                name="fk_handoff_request_centre_id_centre"),
        sa.ForeignKeyConstraint(["resident_id"], ["resident.id"], ondelete="CASCADE",
                                name="fk_handoff_request_resident_id_resident"),
        sa.ForeignKeyConstraint(["handled_by"], ["staff_member.id"], ondelete="SET NULL",
                                name="fk_handoff_request_handled_by_staff_member"),
        sa.PrimaryKeyConstraint("id", name="pk_handoff_request"),
    )
    op.create_index("ix_handoff_request_centre_id", "handoff_request", ["centre_id"])
    op.create_index("ix_handoff_request_resident_id", "handoff_request", ["resident_id"])
    op.create_index("ix_handoff_request_created_at", "handoff_request", ["created_at"])


def downgrade() -> None:
    op.drop_table("handoff_request")
