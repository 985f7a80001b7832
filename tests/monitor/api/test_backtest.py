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
