"""place zones: places outside the area kept for evaluating measures

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 14:00:00

Issue 12: a comparison area (and a buffer outside the area) needs its records, which the loaders dropped as "outside
the area". Its places are configuration (places.geojson, `zone: comparison` or `buffer`, `area` its comparison
area's id); the store keeps them with their zone, so that every read counts the area's own places ('area') unless a
place is asked for by id (the Effekt page). Existing places are the area's own.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('places') as batch:
        batch.add_column(sa.Column('zone', sa.String(length=16), nullable=False, server_default='area',
                                   comment="area: the area's own; buffer or comparison: outside it, kept for "
                                           "evaluating measures (its records are never counted as the area's own)"))


def downgrade() -> None:
    with op.batch_alter_table('places') as batch:
        batch.drop_column('zone')
