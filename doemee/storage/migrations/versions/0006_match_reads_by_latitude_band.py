"""match indexes for reading a box by latitude band, and remote rows newest first

The box index began with the latitude, so a box around a city scanned a
strip across the whole country: 9,600 index entries for 2,100 in the box
at 100,000 opportunities. An integer band of 0.05 degree before the
longitude turns that into a few short scans, one per band. A check keeps
the band true to the latitude, since a row with a wrong band would be
missed by every search.

The remote index now has the publication time right after its equality
columns: matching reads remote rows newest first and usually stops after
32, but had to sort all of them first.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""
import math

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BANDS_PER_DEGREE = 20
CHECK = f"lat * {BANDS_PER_DEGREE} >= lat_band AND lat * {BANDS_PER_DEGREE} < lat_band + 1"
BOX = "ix_opportunity_match_box"
REMOTE = "ix_opportunity_match_remote"
OLD = {
    BOX: ("status", "lat", "lon", "category", "valid_until", "remote", "time_commitment", "day_parts", "created_at"),
    REMOTE: ("status", "remote", "category", "valid_until", "created_at", "lat", "lon", "time_commitment", "day_parts"),
}
NEW = {
    BOX: ("status", "lat_band", "lon", "lat", "category", "valid_until", "remote", "time_commitment", "day_parts",
          "created_at"),
    REMOTE: ("status", "remote", "created_at", "category", "valid_until", "lat", "lon", "time_commitment", "day_parts"),
}

_opportunity = sa.table("opportunity", sa.column("id", sa.Integer), sa.column("lat", sa.Float),
                        sa.column("lat_band", sa.Integer))


def _indexes(batch, indexes: dict[str, tuple[str, ...]]) -> None:
    include = ["id"] if op.get_bind().dialect.name == "postgresql" else []
    for name, columns in indexes.items():
        batch.drop_index(name)
        batch.create_index(name, list(columns), postgresql_include=include)


def upgrade() -> None:
    with op.batch_alter_table("opportunity") as batch:
        batch.add_column(sa.Column("lat_band", sa.Integer(), nullable=True))
    bind = op.get_bind()
    bands = [{"row": row.id, "band": math.floor(row.lat * BANDS_PER_DEGREE)}
             for row in bind.execute(sa.select(_opportunity.c.id, _opportunity.c.lat))]
    if bands:
        bind.execute(
            _opportunity.update().where(_opportunity.c.id == sa.bindparam("row")).values(lat_band=sa.bindparam("band")),
            bands,
        )
    with op.batch_alter_table("opportunity") as batch:
        batch.alter_column("lat_band", existing_type=sa.Integer(), nullable=False)
        batch.create_check_constraint(op.f("ck_opportunity_lat_band"), sa.text(CHECK))
        _indexes(batch, NEW)


def downgrade() -> None:
    with op.batch_alter_table("opportunity") as batch:
        _indexes(batch, OLD)
        batch.drop_constraint("ck_opportunity_lat_band", type_="check")
        batch.drop_column("lat_band")
