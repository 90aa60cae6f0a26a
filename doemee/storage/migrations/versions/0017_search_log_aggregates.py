"""search log aggregates

Searches older than the retention period (DOEMEE_RETENTION_DAYS) are kept
only as counts per UTC day, centre, municipality and interests
(doemee.search_aggregates moves them). The demand report and Cijfers read
both tables, so their figures do not change when rows are moved.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_log_aggregate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.Column("municipality_code", sa.String(length=4), nullable=True),
        sa.Column("interests", sa.String(length=300), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.Column("unmet", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], ondelete="SET NULL",
                                name="fk_search_log_aggregate_centre_id_centre"),
        sa.PrimaryKeyConstraint("id", name="pk_search_log_aggregate"),
    )
    op.create_index("ix_search_log_aggregate_day", "search_log_aggregate", ["day"])
    op.create_index("ix_search_log_aggregate_centre_days", "search_log_aggregate", ["centre_id", "day"])
    op.create_index("ix_search_log_aggregate_region_days", "search_log_aggregate",
                    ["municipality_code", "day", "interests"])


def downgrade() -> None:
    op.drop_table("search_log_aggregate")
