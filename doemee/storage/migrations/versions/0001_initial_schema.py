"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('category',
    sa.Column('slug', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('slug')
    )
    op.create_table('initiative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('resident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('sender_id', sa.String(length=128), nullable=False),
    sa.Column('first_name', sa.String(length=80), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel', 'sender_id', name='uq_resident_channel_sender')
    )
    op.create_table('search_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interests', sa.String(length=300), nullable=False),
    sa.Column('pc4', sa.String(length=4), nullable=True),
    sa.Column('municipality_code', sa.String(length=4), nullable=True),
    sa.Column('result_count', sa.Integer(), nullable=False),
    sa.Column('within_radius_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_log_municipality_code'), ['municipality_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_log_pc4'), ['pc4'], unique=False)

    op.create_table('alert_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('interests', sa.String(length=300), nullable=False),
    sa.Column('pc4', sa.String(length=4), nullable=True),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('radius_km', sa.Float(), nullable=False),
    sa.Column('times', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('alert_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_subscription_resident_id'), ['resident_id'], unique=False)

    op.create_table('opportunity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('external_id', sa.String(length=100), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('postcode', sa.String(length=7), nullable=False),
    sa.Column('pc4', sa.String(length=4), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('municipality_code', sa.String(length=4), nullable=True),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('time_commitment', sa.String(length=20), nullable=False),
    sa.Column('day_parts', sa.String(length=60), nullable=False),
    sa.Column('remote', sa.Boolean(), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category'], ['category.slug'], ),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'external_id', name='uq_opportunity_source_external_id')
    )
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunity_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunity_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index('ix_opportunity_match_area', ['status', 'lat'], unique=False)
        batch_op.create_index('ix_opportunity_match_category', ['status', 'category', 'lat'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunity_municipality_code'), ['municipality_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunity_pc4'), ['pc4'], unique=False)

    op.create_table('sign_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=80), nullable=True),
    sa.Column('contact', sa.String(length=254), nullable=True),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('resident_id', 'opportunity_id', name='uq_sign_up_once')
    )
    with op.batch_alter_table('sign_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_up_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_up_resident_id'), ['resident_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sign_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_up_resident_id'))
        batch_op.drop_index(batch_op.f('ix_sign_up_opportunity_id'))

    op.drop_table('sign_up')
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunity_pc4'))
        batch_op.drop_index(batch_op.f('ix_opportunity_municipality_code'))
        batch_op.drop_index('ix_opportunity_match_category')
        batch_op.drop_index('ix_opportunity_match_area')
        batch_op.drop_index(batch_op.f('ix_opportunity_initiative_id'))
        batch_op.drop_index(batch_op.f('ix_opportunity_category'))

    op.drop_table('opportunity')
    with op.batch_alter_table('alert_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_subscription_resident_id'))

    op.drop_table('alert_subscription')
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_log_pc4'))
        batch_op.drop_index(batch_op.f('ix_search_log_municipality_code'))
        batch_op.drop_index(batch_op.f('ix_search_log_created_at'))

    op.drop_table('search_log')
    op.drop_table('resident')
    op.drop_table('initiative')
    op.drop_table('category')
