"""supplier ranking columns on supplier_materials

Copies each supplier's ranking columns onto its material rows, so a suggestion query ranks
candidates from the (material, country) index and these rows alone (see
monitor/suggestions/query.py), joining suppliers only for the rows it returns.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 08:27:28.659749
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COPIED = ('capacity_monthly', 'min_order', 'lead_time_days', 'size_class', 'certifications')


def upgrade() -> None:
    with op.batch_alter_table('supplier_materials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('capacity_monthly', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('min_order', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('lead_time_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('size_class', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default='small'))
        batch_op.add_column(sa.Column('certifications', sa.JSON(), nullable=False, server_default='[]'))
    # Existing rows take their supplier's values (correlated subqueries work on both databases).
    sets = ', '.join(
        f'{c} = (SELECT s.{c} FROM suppliers s WHERE s.id = supplier_materials.supplier_id)'
        for c in COPIED
    )
    op.execute(f'UPDATE supplier_materials SET {sets}')


def downgrade() -> None:
    with op.batch_alter_table('supplier_materials', schema=None) as batch_op:
        for c in reversed(COPIED):
            batch_op.drop_column(c)
