"""buyer destinations

A buyer may be alerted in Slack and Microsoft Teams too: one incoming-webhook URL per kind,
kept apart from the buyer row because the URL is a secret shown only masked.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 08:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "buyer_destinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2048), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("buyer_id", "kind", name="uq_buyer_destinations_kind"),
    )
    op.create_index("ix_buyer_destinations_buyer_id", "buyer_destinations", ["buyer_id"])


def downgrade() -> None:
    op.drop_index("ix_buyer_destinations_buyer_id", table_name="buyer_destinations")
    op.drop_table("buyer_destinations")
