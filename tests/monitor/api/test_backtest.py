"""GET /watches/{id}/backtest: the same roles as reading the watch; a bad `since` is a 422."""

from __future__ import annotations

from tests.monitor.api.conftest import World


def _backtest(world: World, who: str, watch: str, since: str = "30d"):  # type: ignore[no-untyped-def]
    path = f"/api/v1/watches/{world.ids[watch]}/backtest"
    return world.client.get(path, params={"since": since}, headers=world.as_(who))


def test_a_buyer_backtests_its_own_watch(world: World) -> None:
    answer = _backtest(world, "a", "watch_a")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["count"] == 1 and body["watch_id"] == world.ids["watch_a"]
    alert = body["alerts"][0]
    assert alert["incident_id"] == world.incident
    assert alert["why"]["watch"]["id"] == world.ids["watch_a"]
    assert alert["why"]["materials"] == ["cocoa"]


def test_the_roles_are_those_of_reading_the_watch(world: World) -> None:
    assert _backtest(world, "admin", "watch_b").status_code == 200
    assert _backtest(world, "a", "watch_b").status_code == 404
    for who in ("operator", "viewer"):
        assert _backtest(world, who, "watch_a").status_code == 403


def test_a_bad_since_is_a_422_naming_it(world: World) -> None:
    for since in ("30", "soon", "0d", "9999d"):
        answer = _backtest(world, "a", "watch_a", since)
        assert answer.status_code == 422, answer.text
        assert "since" in answer.text


def _draft(world: World, who: str, body: dict[str, object], **params: object):  # type: ignore[no-untyped-def]
    return world.client.post(
        "/api/v1/watches/backtest", json=body, params={"since": "30d", **params},
        headers=world.as_(who),
    )  # fmt: skip


def test_a_draft_watch_is_backtested_and_nothing_is_stored(world: World) -> None:
    answer = _draft(
        world, "a", {"name": "draft", "materials": ["Cocoa beans"], "countries": ["BE"]}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["watch_id"] is None and body["count"] == 1
    assert body["alerts"][0]["incident_id"] == world.incident
    assert body["alerts"][0]["why"]["watch"]["name"] == "draft"
    missed = _draft(world, "a", {"materials": ["coffee"]}).json()
    assert missed["count"] == 0 and missed["scanned"] == 1
    watches = world.client.get(
        f"/api/v1/buyers/{world.ids['buyer_a']}/watches", headers=world.as_("a")
    ).json()
    assert watches["total"] == 1  # the draft was not saved


def test_a_draft_backtest_has_the_roles_of_creating_a_watch(world: World) -> None:
    body = {"materials": ["cocoa"]}
    assert _draft(world, "admin", body).status_code == 200
    assert _draft(world, "admin", body, buyer_id=world.ids["buyer_b"]).status_code == 200
    assert _draft(world, "admin", body, buyer_id=999999).status_code == 404
    assert _draft(world, "a", body, buyer_id=world.ids["buyer_b"]).status_code == 404
    for who in ("operator", "viewer"):
        assert _draft(world, who, body).status_code == 403


def test_a_bad_draft_is_a_422_naming_the_field(world: World) -> None:
    for body, field in [
        ({"materials": ["unobtainium"]}, "materials"),
        ({"countries": ["Atlantis"]}, "countries"),
        ({"min_severity": "apocalyptic"}, "min_severity"),
        ({"sites": [{"lat": 91, "lon": 0}]}, "lat"),
    ]:
        answer = _draft(world, "a", body)
        assert answer.status_code == 422, answer.text
        assert field in answer.text
    assert "since" in _draft(world, "a", {}, since="forever").text
