"""dashboard indexes on incidents

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 17:10:00

Composite indexes for the dashboard's aggregates over incidents (issue 3), declared in lagesbild.store.schema:
each query they serve reads the index alone, not the table. With 100 times the sample data on SQLite (443 000
incidents) the Händelser page's SQL went from 0.76 to 0.16 s and the Data page's from 1.3 to 0.5 s, for a store
a quarter larger (288 to 365 MB).
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_incidents_category_month': ['category', 'month'],
    'ix_incidents_place_month': ['place_id', 'month', 'category'],
    'ix_incidents_source_date': ['source', 'date'],
    'ix_incidents_source_month_place': ['source', 'month', 'place_id'],
    'ix_incidents_weekday_hour': ['weekday', 'hour'],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, 'incidents', columns, unique=False)


def downgrade() -> None:
    for name in reversed(INDEXES):
        op.drop_index(name, table_name='incidents')
