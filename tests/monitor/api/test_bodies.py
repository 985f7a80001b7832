"""Bodies are refused before they are read: without a key-shaped header (401), over their
limit by Content-Length or by the bytes that arrive (413)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from monitor import db
from monitor.api.app import create_app
from monitor.keys import service as apikeys
from monitor.settings import Settings

KEY = "Bearer smk_abcdef_not-a-real-secret"
LIMIT = 4096


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}")
    settings = settings.updated(api={"max_body_bytes": LIMIT, "import_max_bytes": 4 * LIMIT})
    db.upgrade(settings)
    return settings


def call(
    settings: Settings, path: str, chunks: list[bytes], headers: dict[str, str]
) -> tuple[int, dict[str, Any], int]:
    """POST `chunks` to the app over ASGI; return status, JSON answer and bytes the app took."""
    app = create_app(settings)
    taken = 0
    pending = list(chunks)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal taken
        if not pending:
            return {"type": "http.disconnect"}
        chunk = pending.pop(0)
        taken += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    path, _, query = path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(body), taken


BIG = [b"[" + b"1," * 30_000 + b"1]"]  # about 60 kB, in one piece


def test_no_key_is_refused_before_the_body_is_read(settings: Settings) -> None:
    length = {"content-type": "application/json", "content-length": str(len(BIG[0]))}
    for headers in (length, length | {"authorization": "Bearer nope"}):
        status, answer, taken = call(settings, "/api/v1/buyers", BIG, headers)
        assert (status, taken) == (401, 0)
        assert "API key" in answer["detail"]


def test_a_stated_length_over_the_limit_is_refused_unread(settings: Settings) -> None:
    headers = {"authorization": KEY, "content-length": str(len(BIG[0]))}
    status, answer, taken = call(settings, "/api/v1/buyers", BIG, headers)
    assert (status, taken) == (413, 0)
    assert answer == {"detail": f"body over {LIMIT} bytes"}


def test_a_streamed_body_is_cut_off_at_the_limit(settings: Settings) -> None:
    chunks = [b"[" + b"1," * 500] * 40  # no Content-Length: counted as it arrives
    status, answer, taken = call(settings, "/api/v1/feeds", chunks, {"authorization": KEY})
    assert status == 413 and answer == {"detail": f"body over {LIMIT} bytes"}
    assert taken <= LIMIT + len(chunks[0])  # it stopped reading at the first chunk past it


def test_the_import_route_has_its_own_larger_limit(settings: Settings) -> None:
    with db.session_scope(settings) as session:
        key = "Bearer " + apikeys.create_key(session=session, role="admin")[1]
    body = b"name,country\n" + b"x,GH\n" * (2 * LIMIT // 5)  # twice the other routes' limit
    headers = {"authorization": key, "content-length": str(len(body)), "content-type": "text/csv"}
    status, answer, taken = call(settings, "/api/v1/suppliers/import?dry_run=true", [body], headers)
    assert (status, taken) == (200, len(body)) and answer["dry_run"] is True
    headers = {"authorization": KEY, "content-length": str(4 * LIMIT + 1)}
    assert call(settings, "/api/v1/suppliers/import", [b""], headers)[0] == 413


def test_an_opml_list_keeps_its_own_limit(settings: Settings) -> None:
    from monitor.feeds import opml

    headers = {"authorization": KEY, "content-length": str(opml.MAX_BYTES)}
    status, _, taken = call(settings, "/api/v1/feeds/import", [b""], headers)
    assert (status, taken) == (401, 0)  # past the guard; the key check refuses it, unread
    headers["content-length"] = str(opml.MAX_BYTES + 1)
    assert call(settings, "/api/v1/feeds/import", [b""], headers)[0] == 413


def test_open_paths_and_bodiless_methods_pass(settings: Settings) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(create_app(settings))
    assert client.get("/api/v1/incidents").status_code == 401  # from the key check, as before
    assert client.get("/api/v1/metrics").status_code == 200
    assert client.post("/nowhere", content=b"x" * (2 * LIMIT)).status_code == 413
