"""listing end date

A listing's last day (`valid_until`, or 90 days after it was renewed,
published or created) is stored as `opportunity.ends_on`, so Vandaag and
the lifecycle's warnings read a range of an index instead of every open
listing of a centre. Existing rows are filled in batches, computed by the
same function every write uses (doemee.listing_end).

On PostgreSQL the portal's text search (LIKE '%...%' on the folded
`search_text`) gets a trigram index (pg_trgm, shipped with PostgreSQL and
trusted: the database's owner may create it). SQLite has no such index.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

from doemee.listing_end import end_date

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_BATCH = 5_000
_opportunity = sa.table(
    "opportunity",
    sa.column("id", sa.Integer), sa.column("valid_until", sa.Date), sa.column("renewed_at", sa.DateTime(timezone=True)),
    sa.column("published_at", sa.DateTime(timezone=True)), sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("ends_on", sa.Date),
)


def upgrade() -> None:
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
    _backfill()
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.create_index("ix_opportunity_ends_on", ["centre_id", "status", "ends_on", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index("ix_opportunity_search_trgm", "opportunity", ["search_text"], unique=False,
                        postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"})


def _backfill() -> None:
    connection = op.get_bind()
    after = 0
    while True:
        rows = connection.execute(
            sa.select(_opportunity.c.id, _opportunity.c.valid_until, _opportunity.c.renewed_at,
                      _opportunity.c.published_at, _opportunity.c.created_at)
            .where(_opportunity.c.id > after).order_by(_opportunity.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            _opportunity.update().where(_opportunity.c.id == sa.bindparam("row_id")),
            [{"row_id": r.id, "ends_on": end_date(r.valid_until, r.renewed_at, r.published_at, r.created_at)}
             for r in rows],
        )
        after = rows[-1].id


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_opportunity_search_trgm", table_name="opportunity")
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunity_ends_on")
        batch_op.drop_column("ends_on")
