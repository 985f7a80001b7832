"""The persistent "already produced" index, on the `seen_items` table.

Look-ups go by primary key in chunked IN queries, so one poll of a large feed costs a few
index probes however many millions of ids the table holds. Ids are marked seen only after
Kafka acknowledged the items, by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from monitor.columns import utcnow
from monitor.models import SeenItem

TABLE = SeenItem.__table__  # type: ignore[attr-defined]


class SeenIndex:
    """Which item ids were already produced, backed by the database."""

    def __init__(self, engine: Engine, *, chunk: int = 500) -> None:
        self.engine = engine
        self.chunk = chunk

    def seen(self, ids: Iterable[str]) -> set[str]:
        """Return the subset of `ids` already marked seen."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), self.chunk):
                part = wanted[start : start + self.chunk]
                rows = conn.execute(select(TABLE.c.item_id).where(TABLE.c.item_id.in_(part)))
                found.update(row[0] for row in rows)
        return found

    def unseen(self, ids: Iterable[str]) -> list[str]:
        """Return the ids not seen yet, first occurrence order, without repeats."""
        wanted = list(dict.fromkeys(ids))
        known = self.seen(wanted)
        return [i for i in wanted if i not in known]

    def mark(self, pairs: Sequence[tuple[str, int | None]]) -> None:
        """Mark (item id, feed id) pairs seen; ids already present are left alone."""
        if not pairs:
            return
        now = utcnow()
        rows = [
            {"item_id": item, "feed_id": feed, "seen_at": now} for item, feed in dict(pairs).items()
        ]
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        with self.engine.begin() as conn:
            for start in range(0, len(rows), self.chunk):
                stmt = insert(TABLE).values(rows[start : start + self.chunk])
                conn.execute(stmt.on_conflict_do_nothing(index_elements=["item_id"]))

    def count(self) -> int:
        """Return how many ids the index holds."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(TABLE)).scalar_one())
