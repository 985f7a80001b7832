"""Session-wide services: one real Kafka broker and one PostgreSQL database for all tests.

Tests use their own data directory and Kafka ports, so a `make run` stack can keep running.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("MONITOR_ENVIRONMENT", "test")
os.environ.setdefault("MONITOR_DATA_DIR", str(ROOT / ".local" / "test"))
os.environ.setdefault("MONITOR_KAFKA_LIB_DIR", str(ROOT / ".local" / "kafka" / "lib"))
os.environ.setdefault("MONITOR_KAFKA_PORT", "19092")
os.environ.setdefault("MONITOR_KAFKA_CONTROLLER_PORT", "19093")
os.environ.setdefault("MONITOR_TOPIC_PARTITIONS", "2")

from monitor import db  # noqa: E402
from monitor.settings import Settings, get_settings  # noqa: E402
from tests.servers.feedserver import FeedServer  # noqa: E402
from tests.servers.webhooks import Receiver, serve_receiver  # noqa: E402

PG_URL = os.environ.get(
    "MONITOR_TEST_POSTGRES_URL", "postgresql+psycopg://monitor:monitor@127.0.0.1:5432/monitor_test"
)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The test settings (own data dir and Kafka ports)."""
    return get_settings()


@pytest.fixture(scope="session")
def kafka(settings: Settings) -> Iterator[Settings]:
    """A real local Apache Kafka broker with the project's topics, started once per session."""
    from monitor.local import broker
    from monitor.local.topics import ensure_topics

    was_running = broker.status(settings).running
    broker.start(settings)
    ensure_topics(settings)
    yield settings
    if not was_running and not os.environ.get("MONITOR_TEST_KEEP_KAFKA"):
        broker.stop(settings)


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
            ).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The URL of an empty, migrated PostgreSQL test database (see deploy/postgres.sh)."""
    from monitor import db
    from monitor.errors import MonitorError

    try:
        db.check_connection(db.make_engine(PG_URL.rsplit("/", 1)[0] + "/postgres"))
    except MonitorError as exc:
        pytest.fail(f"{exc} (run `bash deploy/postgres.sh`)")
    _reset_postgres(PG_URL)  # creates the database first when it is missing
    db.upgrade(Settings(database_url=PG_URL))
    return PG_URL


@pytest.fixture(params=["sqlite", "postgres"])
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for a migrated database, once on SQLite and once on PostgreSQL."""
    from sqlmodel import SQLModel

    from monitor import db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'monitor.db'}"
        test_settings = Settings(database_url=url)
        db.upgrade(test_settings)
        yield test_settings
        return
    url = request.getfixturevalue("postgres_url")
    test_settings = Settings(database_url=url)
    yield test_settings
    engine = db.get_engine(test_settings)
    with engine.begin() as conn:  # empty every table for the next test, keep the schema
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A local webhook receiver on 127.0.0.1 that records what it is sent."""
    with serve_receiver() as server:
        yield server


@pytest.fixture(scope="session")
def feed_server() -> Iterator[FeedServer]:
    """The fixture-feed server, started once per test session."""
    server = FeedServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def poll_settings(tmp_path: Path) -> Settings:
    """Settings for the local server: SQLite in tmp_path, 127.0.0.1 allowed, tight limits."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'monitor.db'}",
        fetch={
            "allow_private_hosts": ["127.0.0.1"],
            "connect_timeout_s": 2.0,
            "read_timeout_s": 1.0,
            "total_timeout_s": 5.0,
            "max_bytes": 2 * 1024 * 1024,
        },
        # Every test feed is on 127.0.0.1: the politeness gap would only slow the tests down
        # (tests/connectors/test_poller.py checks it with its own setting).
        polling={"host_gap_s": 0.0},
    )
    db.upgrade(settings)
    return settings
