"""Database engine, sessions and migrations (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlmodel import Session, create_engine, text

from monitor.errors import MonitorError
from monitor.settings import Settings, get_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _json_dumps(value: Any) -> str:
    # JSON columns (incidents' places and sources, alerts' payloads) are written on every
    # report and alert; orjson does it several times faster than the json module.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(
    url: str, *, pool_size: int = 5, max_overflow: int = 10, pool_timeout_s: float = 30.0
) -> Engine:
    """Create an engine for `url`, or say clearly why the URL is unusable."""
    try:
        json = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}
        pool: dict[str, Any] = {
            "pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": pool_timeout_s,
        }  # fmt: skip
        if url.startswith("sqlite"):
            if make_url(url).database in (None, "", ":memory:"):
                pool = {}  # in memory: a connection per thread, a pool that takes no sizes
            engine = create_engine(
                url, connect_args={"check_same_thread": False}, **pool, **json
            )  # fmt: skip
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, **pool, **json)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise MonitorError(
            f"bad database URL {url!r} ({exc}): set MONITOR_DATABASE_URL to "
            "sqlite:///path/monitor.db or postgresql+psycopg://user:pass@host/db"
        ) from exc
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the API read while the worker writes; foreign keys are off by default in SQLite.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


@lru_cache
def _engine_for(url: str, pool_size: int, max_overflow: int, pool_timeout_s: float) -> Engine:
    return make_engine(
        url, pool_size=pool_size, max_overflow=max_overflow, pool_timeout_s=pool_timeout_s
    )


def get_engine(settings: Settings | None = None) -> Engine:
    """Return the process-wide engine for the configured database."""
    settings = settings or get_settings()
    if settings.db_url.startswith("sqlite:///"):
        Path(settings.db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return _engine_for(
        settings.db_url, settings.database_pool_size, settings.database_max_overflow,
        settings.database_pool_timeout_s,
    )  # fmt: skip


@contextmanager
def session_scope(settings: Settings | None = None) -> Iterator[Session]:
    """Yield a session that commits on success and rolls back on error."""
    with Session(get_engine(settings), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def check_connection(engine: Engine) -> None:
    """Run `SELECT 1`, turning connection failures into one clear line."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise MonitorError(
            f"cannot connect to the database at {engine.url.render_as_string()}: {reason}; "
            "check MONITOR_DATABASE_URL and that the server is running"
        ) from exc


def alembic_config(url: str) -> Config:
    """Return an Alembic config pointing at the packaged migrations and `url`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(settings: Settings | None = None, revision: str = "head") -> None:
    """Migrate the database to `revision` (the latest by default)."""
    settings = settings or get_settings()
    engine = get_engine(settings)
    check_connection(engine)
    cfg = alembic_config(settings.db_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def require_schema(settings: Settings | None = None) -> Engine:
    """Return the engine when the database is migrated to the latest schema; else say so."""
    settings = settings or get_settings()
    engine = get_engine(settings)
    check_connection(engine)
    heads = set(ScriptDirectory.from_config(alembic_config(settings.db_url)).get_heads())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current != heads:
        at = ", ".join(sorted(current)) or "no schema"
        raise MonitorError(
            f"the database at {engine.url.render_as_string()} is not migrated ({at}; latest "
            f"{', '.join(sorted(heads))}): run `monitor db upgrade`"
        )
    return engine
