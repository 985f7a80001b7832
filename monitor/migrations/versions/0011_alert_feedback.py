"""alert feedback and missed events

A false alarm keeps its reason and the buyer's note (`alert_feedback`, one per alert), and a
buyer can report an event it was not alerted to (`missed_events`). Alerts marked false before
this revision get the reason "other", so every false alarm has one.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 11:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alert_feedback_alert_id", "alert_feedback", ["alert_id"], unique=True)
    op.create_index("ix_alert_feedback_buyer_id", "alert_feedback", ["buyer_id"])
    op.create_index("ix_alert_feedback_reason", "alert_feedback", ["reason"])
    op.create_table(
        "missed_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2048), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_missed_events_buyer_id", "missed_events", ["buyer_id"])
    op.create_index("ix_missed_events_created_at", "missed_events", ["created_at"])
    op.execute(
        "INSERT INTO alert_feedback (alert_id, buyer_id, reason, note, created_at) "
        "SELECT id, buyer_id, 'other', '', COALESCE(acknowledged_at, created_at) "
        "FROM alerts WHERE status = 'false_alarm'"
    )


def downgrade() -> None:
    op.drop_index("ix_missed_events_created_at", table_name="missed_events")
    op.drop_index("ix_missed_events_buyer_id", table_name="missed_events")
    op.drop_table("missed_events")
    op.drop_index("ix_alert_feedback_reason", table_name="alert_feedback")
    op.drop_index("ix_alert_feedback_buyer_id", table_name="alert_feedback")
    op.drop_index("ix_alert_feedback_alert_id", table_name="alert_feedback")
    op.drop_table("alert_feedback")
