"""incidents without the single-column indexes that composite ones already lead with

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 14:00:00

`ix_incidents_place_id`, `ix_incidents_month` and `ix_incidents_category` answer nothing that
`ix_incidents_place_month` (place_id, month, category), `ix_incidents_month_place` (month, place_id) and
`ix_incidents_category_month` (category, month) do not (SQLite and PostgreSQL use an index's leading columns
alone, the foreign key on place_id included), but every row a load inserts was written into each. On the scale-50
EST file (144 704 incidents, SQLite) the INSERT of the staged rows took 1.45 instead of 1.77 CPU-seconds.
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

DROPPED = {
    'ix_incidents_place_id': ['place_id'],
    'ix_incidents_month': ['month'],
    'ix_incidents_category': ['category'],
}


def upgrade() -> None:
    for name in DROPPED:
        op.drop_index(name, table_name='incidents')


def downgrade() -> None:
    for name, columns in DROPPED.items():
        op.create_index(name, 'incidents', columns, unique=False)
