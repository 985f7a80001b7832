"""The databases a benchmark runs on: a new SQLite file, then PostgreSQL when it answers.

PostgreSQL: MONITOR_BENCH_POSTGRES_URL (default: the monitor_bench_suppliers database on the
local test server; created if missing, its schema reset before each run).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor import db
from monitor.errors import MonitorError

PG_URL = os.environ.get(
    "MONITOR_BENCH_POSTGRES_URL",
    "postgresql+psycopg://monitor:monitor@127.0.0.1:5432/monitor_bench_suppliers",
)


def each_backend(run: Callable[[str, str], None]) -> None:
    """Call `run(label, url)` on SQLite, then on PostgreSQL unless it is unreachable."""
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")
    try:
        db.check_connection(db.make_engine(PG_URL.rsplit("/", 1)[0] + "/postgres"))
    except MonitorError as exc:
        print(f"PostgreSQL skipped: {exc}")
        return
    run("PostgreSQL", PG_URL)


def reset(url: str) -> None:
    """Start `url` empty: delete the SQLite file, or drop and recreate PostgreSQL's schema."""
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        ).first():
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine_ = create_engine(url)
    with engine_.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine_.dispose()
