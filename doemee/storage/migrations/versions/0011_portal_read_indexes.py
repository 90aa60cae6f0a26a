"""indexes the portal's pages read by, and the folded text its search looks in

Measured with bench/portal_bench.py (100,000 listings, 1,000,000 logged
searches): the Vacatures list counted and sorted a centre's listings by
reading the table, its search read and folded every listing of the centre
in Python on each request, and Cijfers read the search log row by row.
Now one centre's listings are read newest first (or by status) from an
index, the search is one LIKE over `search_text` (title and description,
folded as doemee.search_text folds), and Cijfers' two reads of the search
log come from covering indexes.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

from doemee.search_text import searchable

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_opportunity_portal_newest": ("opportunity", ("centre_id", "created_at", "id")),
    "ix_opportunity_portal_status": ("opportunity", ("centre_id", "status", "created_at", "id")),
    "ix_opportunity_portal_place": ("opportunity", ("centre_id", "place")),
    "ix_opportunity_portal_category": ("opportunity", ("centre_id", "category", "status", "created_at", "id")),
    "ix_opportunity_portal_all_newest": ("opportunity", ("created_at", "id")),
    "ix_search_log_centre_weeks": ("search_log", ("centre_id", "created_at", "within_radius_count")),
    "ix_search_log_region_demand": (
        "search_log", ("municipality_code", "created_at", "interests", "within_radius_count")),
}
BATCH = 5_000


def upgrade() -> None:
    with op.batch_alter_table("opportunity") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    _fill_search_text()
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, list(columns))
    waiting = sa.text("status = 'concept'")
    op.create_index("ix_opportunity_concepts_waiting", "opportunity", ["created_at", "id"],
                    sqlite_where=waiting, postgresql_where=waiting)


def _fill_search_text() -> None:
    """Folds the listings already stored, a batch at a time (the folding is Python's, not SQL's)."""
    connection = op.get_bind()
    opportunity = sa.table("opportunity", sa.column("id", sa.Integer), sa.column("title", sa.String),
                           sa.column("description", sa.Text), sa.column("search_text", sa.Text))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(opportunity.c.id, opportunity.c.title, opportunity.c.description)
            .where(opportunity.c.id > last).order_by(opportunity.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            opportunity.update().where(opportunity.c.id == sa.bindparam("row_id"))
            .values(search_text=sa.bindparam("folded")),
            [{"row_id": row_id, "folded": searchable(title, description)} for row_id, title, description in rows],
        )
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_opportunity_concepts_waiting", table_name="opportunity")
    for name, (table, _) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("opportunity") as batch:
        batch.drop_column("search_text")
