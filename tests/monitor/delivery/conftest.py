"""Delivery test fixtures: a migrated database, a real SMTP server, settings that mail to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import db
from monitor.settings import Settings
from tests.servers.smtp import Inbox, LocalController, Smtp


@pytest.fixture
def local(tmp_path: Path) -> Settings:
    """Settings on a migrated SQLite database that may reach 127.0.0.1, with fast retries."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'monitor.db'}",
        allow_private_hosts=["127.0.0.1"],
        delivery_timeout_s=5.0,
    )
    db.upgrade(settings)
    return settings


@pytest.fixture
def smtp_server() -> Iterator[Smtp]:
    """A real aiosmtpd server on 127.0.0.1, ephemeral port."""
    inbox = Inbox()
    controller = LocalController(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    yield Smtp("127.0.0.1", controller.port, inbox)
    controller.stop()


@pytest.fixture
def mailing(local: Settings, smtp_server: Smtp) -> Settings:
    """The local settings with e-mail going to the local SMTP server."""
    return local.updated(smtp_host=smtp_server.host, smtp_port=smtp_server.port)
