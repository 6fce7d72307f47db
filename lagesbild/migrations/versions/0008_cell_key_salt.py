"""store secrets: the salt of the record keys that a partner's rounded counts are keyed by

Revision ID: 0008
Revises: 0007

Issue 10: counts shown under the small-count rule are rounded to base 5, each cell one way or the other by the sum
of its records' keys (lagesbild.disclosure). A record's key is computed from its id and this store's secret salt,
drawn here once: every process reading the store rounds every cell the same way.

Create Date: 2026-12-02 19:00:00
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

KEY_MODULUS = 2_147_483_647  # lagesbild.disclosure.KEY_MODULUS, the prime 2**31 - 1


def upgrade() -> None:
    table = op.create_table(
        'store_secrets',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_store_secrets')),
    )
    op.bulk_insert(table, [{'name': 'cell_key_salt', 'value': 1 + secrets.randbelow(KEY_MODULUS - 1)}])


def downgrade() -> None:
    op.drop_table('store_secrets')
