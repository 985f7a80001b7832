"""Keys and roles: every path needs a key, roles are enforced, buyers never see each other."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from monitor import db
from monitor.models import Alert, Buyer, Destination, Watch
from monitor.settings import Settings
from tests.monitor.api.conftest import World, build_world

OPEN = {"/api/v1/health", "/api/v1/metrics"}
CALLBACK = "/api/v1/websub/"  # hubs call it without a key: tests/monitor/api/test_websub.py
BODIES = {
    ("post", "/api/v1/buyers"): {"name": "x"},
    ("patch", "/api/v1/buyers/{buyer_id}"): {"name": "taken over"},
    ("post", "/api/v1/buyers/{buyer_id}/watches"): {"materials": ["cocoa"]},
    ("patch", "/api/v1/watches/{watch_id}"): {"name": "taken over"},
    ("post", "/api/v1/buyers/{buyer_id}/destinations"): {
        "kind": "slack",
        "url": "https://x.example/h",
    },
    ("post", "/api/v1/feeds"): {"url": "https://x.example/feed"},
    ("post", "/api/v1/feeds/check"): {"url": "https://x.example/feed"},
    ("patch", "/api/v1/feeds/{feed_id}"): {"name": "x"},
    ("patch", "/api/v1/suppliers/{supplier_id}"): {"name": "x"},
    ("post", "/api/v1/suppliers"): {"name": "x", "country": "GH", "materials": ["cocoa"]},
}


def operations(world: World) -> list[tuple[str, str]]:
    """Every (method, path template) in the OpenAPI schema."""
    paths = world.client.get("/openapi.json").json()["paths"]
    return [(m, p) for p, ops in paths.items() for m in ops]


def fill(path: str, ids: dict[str, int], incident: str) -> str:
    """Put ids into a path template."""
    names = {"buyer_id": ids["buyer_b"], "watch_id": ids["watch_b"], "alert_id": ids["alert_b"],
             "feed_id": ids["feed"], "supplier_id": ids["supplier"],
             "destination_id": ids["destination_b"], "token": "no-such-token"}  # fmt: skip
    path = path.replace("{incident_id}", incident)
    return re.sub(r"{(\w+)}", lambda m: str(names[m.group(1)]), path)


def call(world: World, method: str, path: str, who: str | None, **params: object):  # type: ignore[no-untyped-def]
    headers = world.as_(who) if who else {}
    body = BODIES.get((method, path))
    url = fill(path, world.ids, world.incident)
    if path == "/api/v1/suppliers/import":
        return world.client.post(url, headers=headers | {"Content-Type": "text/csv"}, content="")
    return world.client.request(method, url, headers=headers, json=body, params=params)


def test_every_path_but_health_and_metrics_needs_a_key(api_settings: Settings) -> None:
    # Many bad keys from one client: lift the throttle, which would answer 429 after ten.
    world = build_world(api_settings.updated(api={"key_failures": 1000}))
    for method, path in operations(world):
        if path in OPEN or path.endswith("/stream") or path.startswith(CALLBACK):
            continue
        for key in (None, "smk_nope_nope", "not-a-key"):
            headers = {"Authorization": f"Bearer {key}"} if key else {}
            url = fill(path, world.ids, world.incident)
            answer = world.client.request(method, url, headers=headers)
            assert answer.status_code == 401, (method, path, key)
            assert "detail" in answer.json()
    assert world.client.get("/api/v1/alerts/stream").status_code == 401
    assert world.client.get("/api/v1/metrics").status_code == 200


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (
            "admin",
            {"feeds", "buyers", "alerts", "deliveries", "incidents", "suppliers", "suggestions"},
        ),
        ("operator", {"feeds", "deliveries", "incidents", "suppliers", "suggestions"}),
        ("viewer", {"incidents", "suppliers", "suggestions"}),
        ("a", {"alerts", "deliveries", "incidents", "suppliers", "suggestions"}),
    ],
)
def test_roles_reach_only_their_lists(world: World, who: str, allowed: set[str]) -> None:
    for name in ("feeds", "buyers", "alerts", "deliveries", "incidents", "suppliers"):
        answer = world.client.get(f"/api/v1/{name}", headers=world.as_(who))
        assert answer.status_code == (200 if name in allowed else 403), (who, name, answer.text)
    answer = world.client.get("/api/v1/suggestions?material=cocoa", headers=world.as_(who))
    assert answer.status_code == 200


def test_writes_need_the_right_role(world: World) -> None:
    for who in ("operator", "viewer", "a"):
        assert (
            world.client.post(
                "/api/v1/buyers", json={"name": "x"}, headers=world.as_(who)
            ).status_code
            == 403
        )
        assert (
            world.client.delete(
                f"/api/v1/suppliers/{world.ids['supplier']}", headers=world.as_(who)
            ).status_code
            == 403
        )
    for who in ("viewer", "a"):
        answer = world.client.post(
            "/api/v1/feeds", json={"url": "https://x.example/f"}, headers=world.as_(who)
        )
        assert answer.status_code == 403


def _snapshot(world: World) -> str:
    with db.session_scope(world.settings) as s:
        b = world.ids["buyer_b"]
        buyer = s.get(Buyer, b)
        watches = s.exec(select(Watch).where(Watch.buyer_id == b)).all()
        alerts = s.exec(select(Alert).where(Alert.buyer_id == b)).all()
        chats = s.exec(select(Destination).where(Destination.buyer_id == b)).all()
        return json.dumps(
            [buyer.model_dump(mode="json") if buyer else None]
            + [w.model_dump(mode="json") for w in watches]
            + [a.model_dump(mode="json") for a in alerts]
            + [d.model_dump(mode="json") for d in chats],
            sort_keys=True,
        )


def test_a_buyer_never_reads_or_changes_another_buyers_data(world: World) -> None:
    """Buyer A calls every path with buyer B's ids (path and ?buyer_id=)."""
    before = _snapshot(world)
    b_marks = ("Buyer B", "cocoa watch b", f'"buyer_id":{world.ids["buyer_b"]},')
    tried = 0
    for method, path in operations(world):
        if path in OPEN:
            continue
        answer = call(world, method, path, "a", buyer_id=world.ids["buyer_b"])
        tried += 1
        if answer.status_code < 300:
            text = answer.text.replace(" ", "")
            assert not any(m.replace(" ", "") in text for m in b_marks), (method, path, text)
        else:
            assert answer.status_code in (403, 404, 422), (method, path, answer.text)
    assert tried >= 20
    assert _snapshot(world) == before
    # Without ?buyer_id=, lists hold only A's own.
    own = world.client.get("/api/v1/alerts", headers=world.as_("a")).json()
    assert own["total"] == 1 and own["items"][0]["buyer_id"] == world.ids["buyer_a"]
    supplier = world.client.get(
        f"/api/v1/suppliers/{world.ids['supplier']}", headers=world.as_("a")
    ).json()
    assert supplier["buyer_ids"] == [world.ids["buyer_a"]]
    viewer = world.client.get(
        f"/api/v1/suppliers/{world.ids['supplier']}", headers=world.as_("viewer")
    ).json()
    assert viewer["buyer_ids"] == []


def test_admin_reads_every_buyer_or_one(world: World) -> None:
    every = world.client.get("/api/v1/alerts", headers=world.as_("admin")).json()
    assert every["total"] == 2
    one = world.client.get(
        "/api/v1/alerts", params={"buyer_id": world.ids["buyer_b"]}, headers=world.as_("admin")
    ).json()
    assert [a["buyer_id"] for a in one["items"]] == [world.ids["buyer_b"]]


def test_a_revoked_key_stops_working_at_once(world: World) -> None:
    from monitor.keys import service as apikeys

    assert world.client.get("/api/v1/alerts", headers=world.as_("a")).status_code == 200
    prefix = world.keys["a"].split("_")[1]
    with db.session_scope(world.settings) as s:
        apikeys.revoke_key(session=s, prefix=prefix)
    assert world.client.get("/api/v1/alerts", headers=world.as_("a")).status_code == 401


def test_a_key_with_the_right_prefix_but_wrong_secret_is_refused(world: World) -> None:
    prefix = world.keys["admin"].split("_")[1]
    forged = {"Authorization": f"Bearer smk_{prefix}_{'x' * 43}"}
    assert world.client.get("/api/v1/feeds", headers=forged).status_code == 401


def test_repeated_bad_keys_answer_429_with_retry_after(world: World) -> None:
    assert world.client.get("/api/v1/alerts", headers=world.as_("a")).status_code == 200
    forged = [{"Authorization": f"Bearer smk_{n:012x}_{'x' * 43}"} for n in range(11)]
    answers = [world.client.get("/api/v1/incidents", headers=h).status_code for h in forged]
    assert answers == [401] * 10 + [429]
    throttled = world.client.get("/api/v1/incidents", headers=forged[0])
    assert throttled.status_code == 429 and 0 < int(throttled.headers["Retry-After"]) <= 60
    assert world.client.get("/api/v1/alerts", headers=world.as_("a")).status_code == 200


def test_keys_are_stored_hashed(world: World) -> None:
    from monitor.models import ApiKey

    with db.session_scope(world.settings) as s:
        rows = s.exec(select(ApiKey)).all()
    stored = " ".join(r.key_hash + r.prefix for r in rows)
    assert all(r.key_hash.startswith("$argon2id$") for r in rows)
    assert not any(key.split("_", 2)[2] in stored for key in world.keys.values())


def test_cors_is_closed_by_default_and_opens_for_listed_origins(world: World) -> None:
    from fastapi.testclient import TestClient

    from monitor.api.app import create_app

    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    closed = world.client.options("/api/v1/alerts", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    opened = create_app(world.settings.updated(api={"cors_origins": ["https://b.example"]}))
    with TestClient(opened) as client:
        ok = client.options("/api/v1/alerts", headers=preflight | {"Origin": "https://b.example"})
        assert ok.headers["access-control-allow-origin"] == "https://b.example"
        bad = client.options("/api/v1/alerts", headers=preflight)
        assert "access-control-allow-origin" not in bad.headers


@pytest.mark.parametrize("path", ["/api/v1/suggestions?material=cocoa", "/api/v1/suppliers?"])
def test_buyer_id_is_for_admins_and_that_buyer_and_enumerates_nothing(
    world: World, path: str
) -> None:
    b, missing = world.ids["buyer_b"], 999_999

    def ask(who: str, buyer_id: int):  # type: ignore[no-untyped-def]
        return world.client.get(f"{path}&buyer_id={buyer_id}", headers=world.as_(who))

    for who in ("operator", "viewer"):
        real, fake = ask(who, b), ask(who, missing)
        assert (real.status_code, fake.status_code) == (403, 403), who
        assert real.json() == fake.json()  # the same answer whether the buyer exists or not
        assert "Buyer B" not in real.text
    real, fake = ask("a", b), ask("a", missing)
    assert (real.status_code, fake.status_code) == (404, 404)
    assert real.json()["detail"] == fake.json()["detail"].replace(str(missing), str(b))
    assert ask("a", world.ids["buyer_a"]).status_code == 200
    assert ask("admin", b).status_code == 200
