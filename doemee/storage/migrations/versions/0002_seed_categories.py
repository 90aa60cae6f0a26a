"""seed the interest categories of CONTRACT section 5

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen copy: a migration must not change when the code's taxonomy does.
CATEGORIES = [
    ("energie", "Energie en duurzaamheid"),
    ("zorg", "Zorg en welzijn"),
    ("ouderen", "Ouderen"),
    ("jeugd", "Kinderen en jongeren"),
    ("groen", "Natuur, groen en tuinieren"),
    ("taal", "Taal en nieuwkomers"),
    ("voedsel", "Voedsel en maaltijden"),
    ("ontmoeting", "Ontmoeting, buurthuis en dorpshuis"),
    ("sport", "Sport en bewegen"),
    ("cultuur", "Kunst en cultuur"),
    ("klussen", "Klussen en repareren"),
    ("vervoer", "Vervoer"),
    ("digitaal", "Digitale hulp"),
    ("organisatie", "Bestuur en organisatie"),
]

category = sa.table("category", sa.column("slug", sa.String), sa.column("label", sa.String))


def upgrade() -> None:
    op.bulk_insert(category, [{"slug": s, "label": l} for s, l in CATEGORIES])


def downgrade() -> None:
    op.execute(category.delete())
