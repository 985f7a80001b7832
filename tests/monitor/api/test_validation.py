"""Bad numbers and strings are 422, never 500; every list is bounded; lanes are real; a 422
echoes no more than an excerpt of what it refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor import db
from monitor.api.errors import EXCERPT, excerpt, validation_detail
from monitor.models import Buyer, Feed, Watch
from tests.monitor.api.conftest import World

HOSTILE = ["NaN", "Infinity", "-Infinity", "1e999", '"\\ud800"']  # JSON text, as a client sends


def places(world: World) -> list[tuple[str, str, str]]:
    """(method, path, body template): watch sites, supplier numbers, feed intervals, buyer
    digest minutes, names: where the issue found a 500 for each hostile value."""
    a, supplier = world.ids["buyer_a"], world.ids["supplier"]
    return [
        ("POST", f"/api/v1/buyers/{a}/watches", '{{"sites": [{{"lat": {v}, "lon": 0}}]}}'),
        ("PATCH", f"/api/v1/suppliers/{supplier}", '{{"capacity_monthly": {v}}}'),
        ("POST", "/api/v1/feeds", '{{"url": "https://x.example/f", "interval_s": {v}}}'),
        ("PATCH", f"/api/v1/buyers/{a}", '{{"digest_minutes": {v}}}'),
        ("POST", "/api/v1/buyers", '{{"name": {v}}}'),
    ]


def rows(world: World) -> tuple[int, int, int]:
    with db.session_scope(world.settings) as s:
        return tuple(len(s.query(m).all()) for m in (Buyer, Watch, Feed))  # type: ignore[return-value]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("place", range(5))
def test_hostile_numbers_and_strings_are_422(world: World, place: int, value: str) -> None:
    method, path, body = places(world)[place]
    before = rows(world)
    answer = world.client.request(
        method, path, content=body.format(v=value).encode(),
        headers=world.as_("admin") | {"Content-Type": "application/json"},
    )  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"][0] == "body"
    assert rows(world) == before


SURROGATE = st.builds("{}\ud800{}".format, st.text(max_size=5), st.text(max_size=5))
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | SURROGATE
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), value=VALUES, huge=st.booleans())
def test_any_value_in_any_field_is_never_a_server_error(
    fuzz_world: World, data: st.DataObject, value: Any, huge: bool
) -> None:
    place = data.draw(st.integers(0, 4))
    method, path, body = places(fuzz_world)[place]
    text = json.dumps(value)  # NaN and Infinity as Python writes them; surrogates escaped
    if huge:
        text = text.replace("Infinity", "1e999")
    answer = fuzz_world.client.request(
        method, path, content=body.format(v=text).encode(),
        headers=fuzz_world.as_("admin") | {"Content-Type": "application/json"},
    )  # fmt: skip
    assert answer.status_code in (200, 201, 409, 422), answer.text
    assert len(answer.content) < 4000


@pytest.fixture(scope="module")
def fuzz_world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from monitor.settings import Settings
    from tests.monitor.api.conftest import build_world

    path = tmp_path_factory.mktemp("fuzz") / "api.db"
    settings = Settings(database_url=f"sqlite:///{path}")
    db.upgrade(settings)
    built = build_world(settings)
    with built.client:
        yield built


def test_a_refused_input_is_echoed_as_a_short_excerpt(world: World) -> None:
    huge = "x" * 500_000
    answer = world.client.post("/api/v1/buyers", json={"name": huge}, headers=world.as_("admin"))
    assert answer.status_code == 422 and len(answer.content) < 600
    [error] = answer.json()["detail"]
    assert error["loc"] == ["body", "name"] and len(error["input"]) <= EXCERPT
    watch = {"lanes": ["CIABJ"] * 201}
    path = f"/api/v1/buyers/{world.ids['buyer_a']}/watches"
    answer = world.client.post(path, json=watch, headers=world.as_("a"))
    assert answer.status_code == 422 and len(answer.content) < 600


def test_excerpts_are_always_json() -> None:
    assert excerpt(float("nan")) == "nan" and excerpt(float("inf")) == "inf"
    assert excerpt("a\ud800b") == "a\\ud800b"
    assert excerpt(10**400).endswith("…") and len(excerpt(10**400)) == EXCERPT
    assert excerpt([1.5, None]) == "[1.5, null]"
    detail = validation_detail(
        [{"type": "x", "loc": ("body", "n\udc00"), "msg": "m" * 1000, "input": "\ud800",
          "ctx": {"error": ValueError("no")}}]
    )  # fmt: skip
    json.dumps(detail, allow_nan=False).encode()  # encodable, whatever came in
    assert len(detail[0]["msg"]) == 300 and detail[0]["ctx"] == {"error": "no"}


@pytest.mark.parametrize(
    ("field", "item", "most"),
    [("materials", "cocoa", 100), ("countries", "GH", 250), ("subdivisions", "GH-AH", 500),
     ("sites", {"lat": 1, "lon": 1}, 500), ("lanes", "CIABJ", 200)],
)  # fmt: skip
def test_watch_lists_are_bounded(world: World, field: str, item: object, most: int) -> None:
    path = f"/api/v1/buyers/{world.ids['buyer_a']}/watches"
    over = world.client.post(path, json={field: [item] * (most + 1)}, headers=world.as_("a"))
    assert over.status_code == 422 and over.json()["detail"][0]["loc"] == ["body", field]
    made = world.client.post(path, json={field: [item] * most}, headers=world.as_("a"))
    assert made.status_code == 201, made.text
    changed = world.client.patch(
        f"/api/v1/watches/{made.json()['id']}", json={field: [item] * (most + 1)},
        headers=world.as_("a"),
    )  # fmt: skip
    assert changed.status_code == 422


@pytest.mark.parametrize(
    ("field", "item", "most"),
    [("materials", "cocoa", 100), ("certifications", "organic", 50), ("buyer_ids", 1, 1000)],
)
def test_supplier_lists_are_bounded(world: World, field: str, item: object, most: int) -> None:
    supplier = {"name": "Big Co", "country": "GH", "materials": ["cocoa"]}
    answer = world.client.post(
        "/api/v1/suppliers", json=supplier | {field: [item] * (most + 1)},
        headers=world.as_("admin"),
    )  # fmt: skip
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][:2] == ["body", field]
    answer = world.client.patch(
        f"/api/v1/suppliers/{world.ids['supplier']}", json={field: [item] * (most + 1)},
        headers=world.as_("admin"),
    )  # fmt: skip
    assert answer.status_code == 422


def test_feed_tags_are_bounded(world: World) -> None:
    feed = {"url": "https://x.example/feed", "tags": ["t" * 1001]}
    answer = world.client.post("/api/v1/feeds", json=feed, headers=world.as_("admin"))
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "tags", 0]
    answer = world.client.patch(
        f"/api/v1/feeds/{world.ids['feed']}", json={"tags": ["t" * 1001]},
        headers=world.as_("admin"),
    )  # fmt: skip
    assert answer.status_code == 422


def test_lanes_are_locodes_ports_or_waterways(world: World) -> None:
    path = f"/api/v1/buyers/{world.ids['buyer_a']}/watches"
    lanes = ["ci abj", "Suez Canal", "antwerpen", "BEANR", "the Canal Zone"]
    made = world.client.post(path, json={"lanes": lanes}, headers=world.as_("a"))
    assert made.status_code == 201 and made.json()["lanes"] == ["CIABJ", "Suez Canal", "BEANR"]
    for bad in ("Mordor", "XXABC", "12345"):
        answer = world.client.post(path, json={"lanes": [bad]}, headers=world.as_("a"))
        assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["lanes"]
