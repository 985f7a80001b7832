"""websub subscriptions

A feed whose hub pushes (WebSub) has one subscription: the hub, the topic, the callback's
token and the secret deliveries are signed with, and the lease. The row outlives its feed
(feed_id set NULL) so the hub's next call is answered 410 Gone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 11:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
_TIME = sqlmodel.sql.sqltypes.UTCDateTime
_STR = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "websub_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("hub_url", _STR(length=2048), nullable=False),
        sa.Column("topic_url", _STR(length=2048), nullable=False),
        sa.Column("token", _STR(length=64), nullable=False),
        sa.Column("secret", _STR(length=128), nullable=False),
        sa.Column("state", _STR(length=16), nullable=False),
        sa.Column("lease_s", sa.Integer(), nullable=True),
        sa.Column("expires_at", _TIME(), nullable=True),
        sa.Column("next_attempt_at", _TIME(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", _STR(length=500), nullable=True),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.ForeignKeyConstraint(["feed_id"], ["feeds.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_websub_subscriptions_feed_id", "websub_subscriptions", ["feed_id"], unique=True
    )
    op.create_index(
        "ix_websub_subscriptions_token", "websub_subscriptions", ["token"], unique=True
    )
    op.create_index(
        "ix_websub_subscriptions_next_attempt_at", "websub_subscriptions", ["next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_websub_subscriptions_next_attempt_at", table_name="websub_subscriptions")
    op.drop_index("ix_websub_subscriptions_token", table_name="websub_subscriptions")
    op.drop_index("ix_websub_subscriptions_feed_id", table_name="websub_subscriptions")
    op.drop_table("websub_subscriptions")
