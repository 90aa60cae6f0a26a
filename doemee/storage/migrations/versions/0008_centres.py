"""volunteer centres as tenants: every opportunity belongs to one

Centres lived only in centres.yml, so one centre's `import-csv --replace`
removed every other centre's listings. This creates the centre and its
region (CBS codes, a table of their own so "which centre holds this
municipality" is one indexed lookup), reads centres.yml (or
DOEMEE_CENTRES_FILE) once to fill them, and gives every opportunity a
centre: the one whose region holds its municipality, else the first centre
of the file. A centre's external ids are its own, so the unique key of an
opportunity now starts with its centre. Sign-ups and search logs get an
optional centre, filled from now on by the channel they came through.

Later changes to centres go through `doemee centres-sync`, never through
this migration again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_centre = sa.table(
    "centre",
    sa.column("id", sa.Integer), sa.column("slug", sa.String), sa.column("name", sa.String),
    sa.column("primary_colour", sa.String), sa.column("text_on_primary", sa.String),
    sa.column("handoff_contact", sa.Text), sa.column("greeting", sa.Text), sa.column("origins", sa.JSON),
    sa.column("position", sa.Integer), sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
_region = sa.table("centre_municipality", sa.column("centre_id", sa.Integer), sa.column("municipality_code", sa.String))
_opportunity = sa.table(
    "opportunity", sa.column("id", sa.Integer), sa.column("centre_id", sa.Integer),
    sa.column("municipality_code", sa.String),
)


def upgrade() -> None:
    op.create_table(
        "centre",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("primary_colour", sa.String(length=7), nullable=False),
        sa.Column("text_on_primary", sa.String(length=7), nullable=False),
        sa.Column("handoff_contact", sa.Text(), nullable=False),
        sa.Column("greeting", sa.Text(), nullable=False),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug", name="uq_centre_slug"),
    )
    op.create_table(
        "centre_municipality",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centre.id"], ondelete="CASCADE", name="fk_centre_municipality_centre_id_centre",
        ),
        sa.PrimaryKeyConstraint("centre_id", "municipality_code"),
    )
    op.create_index("ix_centre_municipality_municipality_code", "centre_municipality", ["municipality_code"])

    first = _seed_centres()

    with op.batch_alter_table("opportunity") as batch:
        batch.add_column(sa.Column("centre_id", sa.Integer(), nullable=True))
    _attribute_opportunities(first)
    with op.batch_alter_table("opportunity") as batch:
        batch.alter_column("centre_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_opportunity_centre_id_centre", "centre", ["centre_id"], ["id"])
        batch.create_index("ix_opportunity_centre_id", ["centre_id"])
        batch.drop_constraint("uq_opportunity_source_external_id", type_="unique")
        batch.create_unique_constraint(
            "uq_opportunity_centre_source_external_id", ["centre_id", "source", "external_id"],
        )

    for table in ("sign_up", "search_log"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("centre_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                f"fk_{table}_centre_id_centre", "centre", ["centre_id"], ["id"], ondelete="SET NULL",
            )
            batch.create_index(f"ix_{table}_centre_id", ["centre_id"])


def _seed_centres() -> int | None:
    """Writes the centres of the configured file; the id of the first one (None: the file has none)."""
    from doemee.centres import load_centres
    from doemee.settings import Settings

    bind = op.get_bind()
    path = Settings.from_env().centres_file
    has_opportunities = bind.scalar(sa.select(sa.func.count()).select_from(_opportunity)) or 0
    if not path.is_file() and not has_opportunities:
        return None  # nothing to attribute; `doemee centres-sync` adds centres later
    centres = load_centres(path)
    now = datetime.now(timezone.utc)
    first = None
    for position, centre in enumerate(centres.values()):
        bind.execute(
            _centre.insert().values(
                slug=centre.slug, name=centre.name, primary_colour=centre.primary,
                text_on_primary=centre.text_on_primary, handoff_contact=centre.handoff_contact,
                greeting=centre.greeting, origins=list(centre.origins), position=position,
                created_at=now, updated_at=now,
            )
        )
        centre_id = bind.scalar(sa.select(_centre.c.id).where(_centre.c.slug == centre.slug))
        if centre.municipalities:
            bind.execute(_region.insert(), [{"centre_id": centre_id, "municipality_code": code}
                                            for code in centre.municipalities])
        first = first if first is not None else centre_id
    return first


def _attribute_opportunities(first: int | None) -> None:
    """The centre whose region holds an opportunity's municipality (the first such centre), else the first centre."""
    bind = op.get_bind()
    regions = bind.execute(
        sa.select(_region.c.centre_id, _region.c.municipality_code)
        .join(_centre, _centre.c.id == _region.c.centre_id)
        .order_by(_centre.c.position, _centre.c.id)
    ).all()
    for centre_id, code in regions:
        bind.execute(
            _opportunity.update()
            .where(_opportunity.c.centre_id.is_(None), _opportunity.c.municipality_code == code)
            .values(centre_id=centre_id)
        )
    if first is not None:
        bind.execute(_opportunity.update().where(_opportunity.c.centre_id.is_(None)).values(centre_id=first))


def downgrade() -> None:
    """Back to one pool of opportunities; fails when two centres share an external id of one source."""
    for table in ("search_log", "sign_up"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_centre_id")
            batch.drop_constraint(f"fk_{table}_centre_id_centre", type_="foreignkey")
            batch.drop_column("centre_id")
    with op.batch_alter_table("opportunity") as batch:
        batch.drop_constraint("uq_opportunity_centre_source_external_id", type_="unique")
        batch.create_unique_constraint("uq_opportunity_source_external_id", ["source", "external_id"])
        batch.drop_index("ix_opportunity_centre_id")
        batch.drop_constraint("fk_opportunity_centre_id_centre", type_="foreignkey")
        batch.drop_column("centre_id")
    op.drop_index("ix_centre_municipality_municipality_code", table_name="centre_municipality")
    op.drop_table("centre_municipality")
    op.drop_table("centre")
