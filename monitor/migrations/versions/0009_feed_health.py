"""feed health

A feed paused after too many errors in a row records when (`paused_at`); adaptive polling
keeps when new items last arrived and the smoothed gap between them. Existing feeds start
with none of these.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 08:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_at", _TIME(), nullable=True))
        batch_op.add_column(sa.Column("last_new_item_at", _TIME(), nullable=True))
        batch_op.add_column(sa.Column("publish_interval_s", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_column("publish_interval_s")
        batch_op.drop_column("last_new_item_at")
        batch_op.drop_column("paused_at")
