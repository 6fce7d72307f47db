"""intake in the browser: who loaded what for whom, partners' upload rights, the police feed's fetches

Revision ID: 0010
Revises: 0009

Issue 11: loads carry the organisation they were made for and who made them (`loads.organisation`, `loaded_by`),
so a partner may undo only its own; an account may belong to an organisation and be given upload rights for named
sources (`users.organisation`, `users.upload_sources`); the role `dataansvarig` needs no column (roles are text).
`feed_fetches` records every fetch of the police events API (lagesbild fetch-police), for the Data page.

Create Date: 2026-12-03 13:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('loads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation', sa.String(length=200), nullable=True,
                                      comment="the sender the load was made for (a partner's own)"))
        batch_op.add_column(sa.Column('loaded_by', sa.String(length=64), nullable=True,
                                      comment='who loaded it: a user name, or cli:NAME'))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation', sa.String(length=200), nullable=True,
                                      comment="whose account: a partner's loads are tagged with it"))
        batch_op.add_column(sa.Column('upload_sources', sa.JSON(), nullable=True,
                                      comment='sources a partner may load and undo, e.g. outreach-shifts'))
    op.create_table(
        'feed_fetches',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False, comment='when the fetch was made'),
        sa.Column('url', sa.String(length=500), nullable=False, comment="what was asked (the API's URL with its query)"),
        sa.Column('result', sa.String(length=16), nullable=False, comment='loaded, unchanged, failed'),
        sa.Column('http_status', sa.Integer(), nullable=True),
        sa.Column('events', sa.Integer(), nullable=True, comment='events in the response'),
        sa.Column('load_id', sa.Integer(), nullable=True),
        sa.Column('message', sa.Text(), nullable=True, comment="what went wrong, or the load's summary"),
        sa.ForeignKeyConstraint(['load_id'], ['loads.id'], name=op.f('fk_feed_fetches_load_id_loads')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_fetches')),
    )
    with op.batch_alter_table('feed_fetches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_fetches_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feed_fetches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_fetches_at'))
    op.drop_table('feed_fetches')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('upload_sources')
        batch_op.drop_column('organisation')
    with op.batch_alter_table('loads', schema=None) as batch_op:
        batch_op.drop_column('loaded_by')
        batch_op.drop_column('organisation')
