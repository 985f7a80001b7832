"""incident impacts

An incident keeps the union of its reports' impacts (what happened to supply: a port closed,
sailings cancelled…), beside its event type. Existing incidents get an empty list.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch rebuild of `incidents` would drop a table that
    # incident_sources points at.
    op.add_column(
        "incidents",
        sa.Column("impacts", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("impacts")
