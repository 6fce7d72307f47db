"""session generation; no lock-out columns

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10 10:00:00

Issue 10: every session carries its user's session generation, and logout, a password or role change end all of a
user's sessions by bumping it. Failed logins are throttled in memory by the server (by account and by client
address) instead of locking the account in the store, so `failed_logins` and `locked_until` go.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0',
                                      comment="in every session cookie; bumped to end all of the user's sessions "
                                              "(logout, passwd, role)"))
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_column('session_generation')
