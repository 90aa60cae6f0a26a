"""search log aggregates (reserved; filled in by the retention work of issue 19)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
