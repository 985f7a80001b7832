"""Migration 0002: ranking columns copied onto supplier_materials, models and schema agree."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from monitor import db
from monitor.settings import Settings


def test_upgrade_copies_ranking_columns_of_existing_rows(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'm.db'}")
    db.upgrade(settings, "0001")
    engine = db.get_engine(settings)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO suppliers (id, name, country, size_class, is_demo, certifications, "
                "capacity_monthly, lead_time_days, created_at, updated_at) "
                "VALUES (1, 'Coop', 'GH', 'micro', 0, '[\"organic\"]', 40, 21, "
                "'2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(text("INSERT INTO supplier_materials VALUES (1, 'cocoa', '1801', 'GH')"))
    db.upgrade(settings)
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT capacity_monthly, lead_time_days, size_class, certifications, min_order "
                "FROM supplier_materials"
            )
        ).one()
    assert tuple(row) == (40.0, 21, "micro", '["organic"]', None)


def test_models_match_the_migrated_schema(db_settings: Settings) -> None:
    with db.get_engine(db_settings).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
