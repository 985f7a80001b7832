"""alerts, incidents, watches, api keys, deliveries

Incidents and alerts are rebuilt: before this revision nothing wrote either table.
Buyers and watches keep their rows and gain columns.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:50:28.905276
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.drop_table("alerts")
    op.drop_table("incidents")
    op.create_table(
        "incidents",
        sa.Column("id", _TEXT(length=64), nullable=False),
        sa.Column("title", _TEXT(length=500), nullable=False),
        sa.Column("event_type", _TEXT(length=32), nullable=False),
        sa.Column("severity", _TEXT(length=16), nullable=False),
        sa.Column("status", _TEXT(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_seen", _TIME(), nullable=False),
        sa.Column("last_seen", _TIME(), nullable=False),
        sa.Column("closed_at", _TIME(), nullable=True),
        sa.Column("cluster_key", _TEXT(length=200), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("places", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("updated_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        for column in (
            "event_type",
            "severity",
            "status",
            "first_seen",
            "last_seen",
            "cluster_key",
        ):
            batch_op.create_index(batch_op.f(f"ix_incidents_{column}"), [column], unique=False)

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", _TEXT(length=64), nullable=False),
        sa.Column("incident_version", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=True),
        sa.Column("kind", _TEXT(length=16), nullable=False),
        sa.Column("severity", _TEXT(length=16), nullable=False),
        sa.Column("status", _TEXT(length=16), nullable=False),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.Column("acknowledged_at", _TIME(), nullable=True),
        sa.Column("why", sa.JSON(), nullable=False),
        sa.Column("suggestions", sa.JSON(), nullable=False),
        sa.Column("incident", sa.JSON(), nullable=False),
        sa.Column("feed_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "buyer_id", "incident_id", "incident_version", name="uq_alerts_version"
        ),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        for column in ("buyer_id", "incident_id", "severity", "status", "created_at"):
            batch_op.create_index(batch_op.f(f"ix_alerts_{column}"), [column], unique=False)

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("channel", _TEXT(length=16), nullable=False),
        sa.Column("status", _TEXT(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", _TEXT(length=2000), nullable=True),
        sa.Column("next_attempt_at", _TIME(), nullable=True),
        sa.Column("delivered_at", _TIME(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alert_id", "channel", name="uq_deliveries_channel"),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        for column in ("alert_id", "next_attempt_at", "status"):
            batch_op.create_index(batch_op.f(f"ix_deliveries_{column}"), [column], unique=False)

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefix", _TEXT(length=32), nullable=False),
        sa.Column("key_hash", _TEXT(length=300), nullable=False),
        sa.Column("role", _TEXT(length=16), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=True),
        sa.Column("name", _TEXT(length=200), nullable=False),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.Column("last_used_at", _TIME(), nullable=True),
        sa.Column("revoked_at", _TIME(), nullable=True),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_keys_prefix"), ["prefix"], unique=True)

    with op.batch_alter_table("buyers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("digest_minutes", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("webhook_secret", _TEXT(length=200), nullable=True))

    with op.batch_alter_table("watches", schema=None) as batch_op:
        for column in ("subdivisions", "sites", "lanes"):
            batch_op.add_column(
                sa.Column(column, sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
            )
        batch_op.add_column(
            sa.Column(
                "updated_at", _TIME(), nullable=False, server_default=sa.func.current_timestamp()
            )
        )


def downgrade() -> None:
    raise NotImplementedError(
        "0003 rebuilt the incidents and alerts tables; restore a backup to go back to 0002"
    )
