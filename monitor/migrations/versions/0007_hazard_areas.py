"""hazard areas and routine warnings

An incident keeps the area its feeds gave (CAP/NWS polygons and circles, GDACS boxes, USGS
shaking radii) and whether only routine weather warnings report it; a watch says whether it
wants routine warnings (off by default).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 08:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs: a batch rebuild would drop tables that others point at (and the
    # watch triggers of 0005).
    op.add_column(
        "incidents", sa.Column("area", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
    )
    op.add_column(
        "incidents",
        sa.Column("routine", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "watches",
        sa.Column("routine_warnings", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("watches", "routine_warnings")
    op.drop_column("incidents", "routine")
    op.drop_column("incidents", "area")
