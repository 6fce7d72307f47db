"""project records: decisions and actions, risks and their monthly reviews, change requests, budget, classifications

Revision ID: 0007
Revises: 0006

One table per kind of record, declared in lagesbild.store.schema; each holds every version of its records (rows are
only added), so lagesbild.records can read them as they were at a date (issue 13).

Create Date: 2026-12-02 16:43:23
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _version_columns(shared: bool = True) -> list:
    """The identity and version columns every record table starts with (as of this revision)."""
    columns = [
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('record_id', sa.String(length=64), nullable=False,
                  comment="stable key, e.g. R-001: the template's ID column"),
        sa.Column('version', sa.Integer(), nullable=False, comment='1 at creation, +1 at every change'),
        sa.Column('recorded_at', sa.DateTime(), nullable=False, comment='when this version was written'),
        sa.Column('recorded_by', sa.String(length=64), nullable=False, comment='who wrote it (user name)'),
        sa.Column('operation', sa.String(length=16), nullable=False, comment='created, edited, closed'),
        sa.Column('changes', sa.JSON(), nullable=False, comment='{field: [before, after]} against the last'),
    ]
    if shared:
        columns.insert(6, sa.Column('shared', sa.Boolean(), nullable=False, comment='partners may read this record'))
    return columns


def _version_constraints(table: str) -> list:
    return [sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
            sa.UniqueConstraint('record_id', 'version', name=f'uq_{table}_record_id_version')]


def upgrade() -> None:
    op.create_table('record_actions',
    *_version_columns(),
    sa.Column('title', sa.Text(), nullable=False, comment='what was decided or is to be done'),
    sa.Column('meeting', sa.String(length=200), nullable=True, comment='the meeting, e.g. Styrgruppsmöte mars 2023'),
    sa.Column('meeting_on', sa.Date(), nullable=False, comment="the meeting's date"),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True, comment='done or cancelled on'),
    sa.Column('indicator_ids', sa.JSON(), nullable=False),
    sa.Column('place_ids', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    *_version_constraints('record_actions'),
    )
    op.create_table('record_budget_entries',
    *_version_columns(),
    sa.Column('month', sa.Date(), nullable=False, comment='first day of the month'),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('amount_sek', sa.Float(), nullable=False, comment='spent; negative for a correction'),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    *_version_constraints('record_budget_entries'),
    )
    with op.batch_alter_table('record_budget_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_budget_entries_month'), ['month'], unique=False)

    op.create_table('record_change_requests',
    *_version_columns(),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('change_kinds', sa.JSON(), nullable=False, comment='budget, time, resources, result'),
    sa.Column('description', sa.Text(), nullable=False, comment='what changes'),
    sa.Column('reason', sa.Text(), nullable=False, comment='why'),
    sa.Column('amount_sek', sa.Float(), nullable=True, comment='the change to the budget, when it has one'),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_how', sa.Text(), nullable=True, comment='by whom and where, e.g. styrgruppen 2023-05-09, § 4'),
    *_version_constraints('record_change_requests'),
    )
    op.create_table('record_classifications',
    *_version_columns(),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessed_by', sa.String(length=200), nullable=False, comment='e.g. Polisen, LPO Södermalm'),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('basis', sa.Text(), nullable=True, comment='what the assessment rests on'),
    sa.Column('reference', sa.String(length=200), nullable=True, comment="the police's document, e.g. a diary number"),
    sa.Column('status', sa.String(length=16), nullable=False),
    *_version_constraints('record_classifications'),
    )
    op.create_table('record_risk_reviews',
    *_version_columns(shared=False),
    sa.Column('risk_id', sa.String(length=64), nullable=False),
    sa.Column('month', sa.Date(), nullable=False, comment='first day of the month reviewed'),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('consequence', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    *_version_constraints('record_risk_reviews'),
    )
    with op.batch_alter_table('record_risk_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_risk_reviews_risk_id'), ['risk_id'], unique=False)

    op.create_table('record_risks',
    *_version_columns(),
    sa.Column('title', sa.Text(), nullable=False, comment='the risk'),
    sa.Column('measures', sa.Text(), nullable=True, comment='what is done to lower its probability or consequence'),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('identified_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    *_version_constraints('record_risks'),
    )


def downgrade() -> None:
    op.drop_table('record_risks')
    with op.batch_alter_table('record_risk_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_risk_reviews_risk_id'))

    op.drop_table('record_risk_reviews')
    op.drop_table('record_classifications')
    op.drop_table('record_change_requests')
    with op.batch_alter_table('record_budget_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_budget_entries_month'))

    op.drop_table('record_budget_entries')
    op.drop_table('record_actions')
