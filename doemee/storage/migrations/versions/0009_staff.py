"""staff of the centres: accounts, mailed links, sessions, login throttling, audit trail

The portal needs people who log in. Passwords, mailed tokens and session
cookies are stored as hashes only, so a copy of the database opens no
account. Failed logins are counted by hashed account and hashed address.
The audit trail keeps who did what to which object, without any text.

The models now follow a naming convention. A database made before it has
PostgreSQL's own names for the constraints nobody named (`initiative_name_key`,
`opportunity_category_fkey`, `sign_up_pkey`); they get the convention's
names here, so an upgraded database and a fresh one are the same. SQLite
kept such constraints without a name; those tables are copied once with the
convention, so a later batch migration can drop them by name.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# PostgreSQL's default names before the convention -> the convention's names.
POSTGRES_RENAMES: dict[str, dict[str, str]] = {
    "category": {"category_pkey": "pk_category"},
    "initiative": {"initiative_pkey": "pk_initiative", "initiative_name_key": "uq_initiative_name"},
    "resident": {"resident_pkey": "pk_resident"},
    "search_log": {"search_log_pkey": "pk_search_log"},
    "alert_subscription": {
        "alert_subscription_pkey": "pk_alert_subscription",
        "alert_subscription_resident_id_fkey": "fk_alert_subscription_resident_id_resident",
    },
    "opportunity": {
        "opportunity_pkey": "pk_opportunity",
        "opportunity_category_fkey": "fk_opportunity_category_category",
        "opportunity_initiative_id_fkey": "fk_opportunity_initiative_id_initiative",
    },
    "sign_up": {
        "sign_up_pkey": "pk_sign_up",
        "sign_up_opportunity_id_fkey": "fk_sign_up_opportunity_id_opportunity",
        "sign_up_resident_id_fkey": "fk_sign_up_resident_id_resident",
    },
    "email_alert": {"email_alert_pkey": "pk_email_alert"},
    "centre": {"centre_pkey": "pk_centre"},
    "centre_municipality": {"centre_municipality_pkey": "pk_centre_municipality"},
}
SQLITE_UNNAMED = ("initiative", "alert_subscription", "opportunity", "sign_up")


def _role() -> sa.Enum:
    return sa.Enum("staff", "admin", name="staffrole", native_enum=False, length=10)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _rename_postgres_defaults(bind)
    elif bind.dialect.name == "sqlite":
        _name_sqlite_constraints(bind)

    op.create_table(
        "staff_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("role", _role(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], ondelete="CASCADE",
                                name="fk_staff_member_centre_id_centre"),
        sa.PrimaryKeyConstraint("id", name="pk_staff_member"),
        sa.UniqueConstraint("email", name="uq_staff_member_email"),
    )
    op.create_index("ix_staff_member_centre_id", "staff_member", ["centre_id"])
    op.create_table(
        "staff_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Enum("invite", "reset", name="tokenpurpose", native_enum=False, length=10),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_member.id"], ondelete="CASCADE",
                                name="fk_staff_token_staff_id_staff_member"),
        sa.PrimaryKeyConstraint("id", name="pk_staff_token"),
        sa.UniqueConstraint("token_hash", name="uq_staff_token_token_hash"),
    )
    op.create_index("ix_staff_token_staff_id", "staff_token", ["staff_id"])
    op.create_table(
        "staff_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_member.id"], ondelete="CASCADE",
                                name="fk_staff_session_staff_id_staff_member"),
        sa.PrimaryKeyConstraint("id", name="pk_staff_session"),
        sa.UniqueConstraint("token_hash", name="uq_staff_session_token_hash"),
    )
    op.create_index("ix_staff_session_staff_id", "staff_session", ["staff_id"])
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failure"),
    )
    op.create_index("ix_login_failure_key", "login_failure", ["key"])
    op.create_index("ix_login_failure_at", "login_failure", ["at"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=True),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_member.id"], ondelete="SET NULL",
                                name="fk_audit_event_staff_id_staff_member"),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], ondelete="SET NULL",
                                name="fk_audit_event_centre_id_centre"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_event"),
    )
    op.create_index("ix_audit_event_staff_id", "audit_event", ["staff_id"])
    op.create_index("ix_audit_event_centre_id", "audit_event", ["centre_id"])
    op.create_index("ix_audit_event_at", "audit_event", ["at"])


def _rename_postgres_defaults(bind) -> None:
    existing = {
        (table, name) for table, name in bind.execute(sa.text(
            "SELECT t.relname, c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema()"
        ))
    }
    for table, renames in POSTGRES_RENAMES.items():
        for old, new in renames.items():
            if (table, old) in existing:
                op.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{old}" TO "{new}"')


def _name_sqlite_constraints(bind) -> None:
    inspector = sa.inspect(bind)
    for table in SQLITE_UNNAMED:
        unnamed = any(fk["name"] is None for fk in inspector.get_foreign_keys(table)) or any(
            uq["name"] is None for uq in inspector.get_unique_constraints(table))
        if unnamed:
            with op.batch_alter_table(table, recreate="always", naming_convention=CONVENTION):
                pass


def downgrade() -> None:
    """Drops the staff tables; the constraint names keep the convention, which every revision accepts."""
    op.drop_table("audit_event")
    op.drop_table("login_failure")
    op.drop_table("staff_session")
    op.drop_table("staff_token")
    op.drop_table("staff_member")
