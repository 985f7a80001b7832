"""incident sources in a table of their own

Every report of an incident becomes a row of incident_sources; the incident row keeps its
first and latest sources (what the stream carries) and counts them all in source_count.
Existing incidents' sources are copied into the new table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 15:00:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    table = op.create_table(
        "incident_sources",
        sa.Column("incident_id", _TEXT(length=64), nullable=False),
        sa.Column("item_id", _TEXT(), nullable=False),
        sa.Column("url", _TEXT(), nullable=True),
        sa.Column("title", _TEXT(), nullable=True),
        sa.Column("published", _TIME(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("incident_id", "item_id"),
    )
    with op.batch_alter_table("incident_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_sources_published"), ["published"], unique=False
        )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source_count", sa.Integer(), nullable=False, server_default="0")
        )
    incidents = sa.table(
        "incidents", sa.column("id", sa.String), sa.column("sources", sa.JSON),
        sa.column("source_count", sa.Integer),
    )  # fmt: skip
    conn = op.get_bind()
    for incident_id, sources in conn.execute(sa.select(incidents.c.id, incidents.c.sources)):
        rows = {}
        for s in sources or []:
            if isinstance(s, dict) and s.get("item_id") is not None:
                rows[str(s["item_id"])] = {
                    "incident_id": incident_id,
                    "item_id": str(s["item_id"]),
                    "url": s.get("url"),
                    "title": s.get("title"),
                    "published": _time(s.get("published")),
                    "feed_id": s.get("feed_id") if isinstance(s.get("feed_id"), int) else None,
                }
        if rows:
            op.bulk_insert(table, list(rows.values()))
        conn.execute(
            incidents.update().where(incidents.c.id == incident_id).values(source_count=len(rows))
        )


def _time(value: object) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("source_count")
    with op.batch_alter_table("incident_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_sources_published"))
    op.drop_table("incident_sources")
