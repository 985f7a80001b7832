"""watch changes written by triggers

Triggers on watches, buyer_suppliers, suppliers and supplier_materials write one row to
watch_changes per change that may move a worker's watch index, so a worker applies only what
changed instead of comparing every watch and link with the database on each refresh.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 15:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, event, row, columns written: watch_id, buyer_id, supplier_id)
TRIGGERS = [
    ("watches", "INSERT", "NEW", ("id", None, None)),
    ("watches", "UPDATE", "NEW", ("id", None, None)),
    ("watches", "DELETE", "OLD", ("id", None, None)),
    ("buyer_suppliers", "INSERT", "NEW", (None, "buyer_id", "supplier_id")),
    ("buyer_suppliers", "DELETE", "OLD", (None, "buyer_id", "supplier_id")),
    ("suppliers", "UPDATE", "NEW", (None, None, "id")),
    ("supplier_materials", "INSERT", "NEW", (None, None, "supplier_id")),
    ("supplier_materials", "UPDATE", "NEW", (None, None, "supplier_id")),
    ("supplier_materials", "DELETE", "OLD", (None, None, "supplier_id")),
]


def _name(table: str, event: str) -> str:
    return f"watch_changes_{table}_{event.lower()}"


def _values(row: str, columns: tuple[str | None, ...]) -> str:
    return ", ".join(f"{row}.{c}" if c else "NULL" for c in columns)


def upgrade() -> None:
    op.create_table(
        "watch_changes",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=True),
        sa.Column("buyer_id", sa.Integer(), nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("watch_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_changes_at"), ["at"], unique=False)
    insert = "INSERT INTO watch_changes (watch_id, buyer_id, supplier_id, at) VALUES ({}, {})"
    if op.get_bind().dialect.name == "postgresql":
        for table, event, row, columns in TRIGGERS:
            name = _name(table, event)
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + insert.format(_values(row, columns), "now()")
                + f"; RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        return
    for table, event, row, columns in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {_name(table, event)} AFTER {event} ON {table} FOR EACH ROW BEGIN "
            + insert.format(_values(row, columns), "strftime('%Y-%m-%d %H:%M:%f', 'now')")
            + "; END"
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, event, _, _ in TRIGGERS:
        name = _name(table, event)
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    with op.batch_alter_table("watch_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_changes_at"))
    op.drop_table("watch_changes")
