"""Delivery test builders: a migrated database, a local webhook receiver, an SMTP server."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from defusedxml import ElementTree

from monitor import db
from monitor.buyers.service import new_webhook_secret
from monitor.delivery.store import save_alert
from monitor.models import Alert, Buyer
from monitor.settings import Settings
from tests.conftest import FIXTURES


@pytest.fixture
def local(tmp_path: Path) -> Settings:
    """Settings on a migrated SQLite database that may reach 127.0.0.1, with fast retries."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'monitor.db'}",
        fetch={"allow_private_hosts": ["127.0.0.1"]},
        delivery={"timeout_s": 5.0},
    )
    db.upgrade(settings)
    return settings


@functools.cache
def gdacs_item() -> tuple[str, str, str]:
    """Return (title, link, country) of the first item of a real GDACS feed."""
    ns = {"gdacs": "http://www.gdacs.org"}
    item = ElementTree.parse(FIXTURES / "gdacs" / "gdacs-rss.xml").getroot().find("channel/item")
    assert item is not None
    country = item.findtext("gdacs:country", namespaces=ns) or ""
    return item.findtext("title") or "", item.findtext("link") or "", country


def gdacs_incident(version: int = 1, **changes: Any) -> dict[str, Any]:
    """Return an incident (DESIGN.md shape) built from the first item of a real GDACS feed."""
    title, url, country = gdacs_item()
    incident = {
        "id": "inc-gdacs-1000643",
        "title": title,
        "event_type": "cyclone",
        "severity": "high",
        "status": "open",
        "countries": ["MU"],
        "places": [{"name": country, "country": "MU", "kind": "country"}],
        "materials": [{"name": "sugar", "hs": "1701"}],
        "sources": [{"item_id": "gdacs-1", "url": url, "title": title, "feed_id": 7,
                     "published": "2019-12-29T12:00:00Z"}],
        "evidence": [{"text": "tropical cyclone", "why": "event trigger"}],
        "first_seen": "2019-12-29T12:00:00Z",
        "last_seen": "2019-12-29T12:00:00Z",
        "version": version,
    }  # fmt: skip
    incident.update(changes)
    return incident


def alert_message(buyer_id: int, version: int = 1, **changes: Any) -> dict[str, Any]:
    """Return an alert message as the match agent sends it."""
    incident = gdacs_incident(version, **changes.pop("incident", {}))
    message = {
        "buyer_id": buyer_id,
        "incident_id": incident["id"],
        "watch_id": None,
        "kind": "new",
        "severity": incident["severity"],
        "why": {"watch": {"id": 3, "name": "sugar from Mauritius"}, "materials": ["sugar"],
                "places": incident["places"], "evidence": incident["evidence"]},
        "suggestions": [{"material": "sugar", "suppliers": [
            {"id": 11, "name": "Cane Co-op", "country": "FJ", "score": 0.8, "reasons": []}]}],
        "incident": incident,
    }  # fmt: skip
    message.update(changes)
    return message


def add_buyer(settings: Settings, **fields: Any) -> Buyer:
    """Insert a buyer and return it (with its webhook secret)."""
    fields.setdefault("name", "Acme Sweets")
    fields.setdefault("webhook_secret", new_webhook_secret())
    with db.session_scope(settings) as session:
        buyer = Buyer(**fields)
        session.add(buyer)
        session.flush()
        return buyer


def add_alert(settings: Settings, buyer_id: int, version: int = 1, **changes: Any) -> Alert:
    """Store an alert message for `buyer_id` and return the row."""
    with db.session_scope(settings) as session:
        alert = save_alert(session, alert_message(buyer_id, version, **changes))
        assert alert is not None
        return alert


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local webhook receiver: answers each POST with the next scripted status."""

    url: str
    statuses: list[int | tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event | None = None  # when set, each answer waits for it


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP server on 127.0.0.1 (ephemeral port) that records what it is sent."""
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            state = box[0]
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            state.arrived.set()
            if state.release is not None:
                state.release.wait(30)
            answer = state.statuses.pop(0) if state.statuses else 200
            status, headers = answer if isinstance(answer, tuple) else (answer, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    box.append(Receiver(f"http://127.0.0.1:{server.server_address[1]}/hooks/alerts"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box[0]
    if box[0].release is not None:
        box[0].release.set()
    server.shutdown()
    server.server_close()


class Inbox:
    """An aiosmtpd handler that keeps every message it is handed."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.arrived = threading.Event()
        self.refuse: str | None = None  # an SMTP reply to give RCPT instead of accepting

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:  # fmt: skip
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        self.arrived.set()
        return "250 Message accepted for delivery"


class LocalController(Controller):
    """aiosmtpd's threaded controller, able to listen on port 0."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Smtp:
    host: str
    port: int
    inbox: Inbox


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
    return local.updated(smtp={"host": smtp_server.host, "port": smtp_server.port})
