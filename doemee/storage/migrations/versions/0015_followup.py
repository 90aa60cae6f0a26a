"""listing lifecycle and sign-up follow-up jobs

Every open listing ends: at its last day, or 90 days after it was published
or last renewed (`renewed_at`). The initiative is warned a week before;
`end_warned_for` holds the last day it was warned about, so a renewal (a
new last day) earns a new warning and two job runs never send two.

A sign-up the initiative leaves alone earns it a reminder
(`initiative_reminded_at`); three days later the resident is asked whether
they were contacted (`resident_asked_at`, shown in their channel at
`question_shown_at`) and their answer is kept (`resident_answer`). A "no"
stays on the centre's Vandaag page until the centre handles it
(`centre_handled_at`).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("end_warned_for", sa.Date(), nullable=True))
    with op.batch_alter_table("sign_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("initiative_reminded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resident_asked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("question_shown_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column(
            "resident_answer",
            sa.Enum("yes", "no", "not_needed", name="followupanswer", native_enum=False, length=10),
            nullable=True,
        ))
        batch_op.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("centre_handled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sign_up", schema=None) as batch_op:
        for column in ("centre_handled_at", "answered_at", "resident_answer", "question_shown_at", "resident_asked_at",
                       "initiative_reminded_at"):
            batch_op.drop_column(column)
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_column("end_warned_for")
        batch_op.drop_column("renewed_at")
