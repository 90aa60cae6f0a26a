"""per-centre API keys for /api/v1

A partner platform writes a centre's listings with a key the centre made
in the portal. Only the key's SHA-256 is stored (the key is random and
long, so a fast hash is enough and lets the lookup use a unique index),
with a short prefix so staff can tell their keys apart.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], ondelete="CASCADE", name="fk_api_key_centre_id_centre"),
        sa.ForeignKeyConstraint(["created_by"], ["staff_member.id"], ondelete="SET NULL",
                                name="fk_api_key_created_by_staff_member"),
        sa.PrimaryKeyConstraint("id", name="pk_api_key"),
        sa.UniqueConstraint("key_hash", name="uq_api_key_key_hash"),
    )
    op.create_index("ix_api_key_centre_id", "api_key", ["centre_id"])


def downgrade() -> None:
    op.drop_table("api_key")
