"""`/feeds/catalogue`: the curated catalogue listed and added through the API, staff only."""

from __future__ import annotations

from monitor.feeds import catalogue
from tests.monitor.api.conftest import World


def test_catalogue_lists_by_group_and_adds_once(world: World) -> None:
    op = world.as_("operator")
    listed = world.client.get("/api/v1/feeds/catalogue", headers=op)
    assert listed.status_code == 200 and len(listed.json()) == len(catalogue.entries())
    hazards = world.client.get("/api/v1/feeds/catalogue", params={"group": "hazards"}, headers=op)
    assert {e["group"] for e in hazards.json()} == {"hazards"}
    assert all(e["checked"] is False for e in hazards.json())
    added = world.client.post("/api/v1/feeds/catalogue/add", json={"group": "trade"}, headers=op)
    assert added.status_code == 200, added.text
    trade = catalogue.select_entries(group="trade")
    assert [e["url"] for e in added.json()["added"]] == [e.url for e in trade]
    again = world.client.post("/api/v1/feeds/catalogue/add", json={"group": "trade"}, headers=op)
    assert (again.json()["added"], again.json()["already"]) == ([], len(trade))
    feeds = world.client.get("/api/v1/feeds", headers=op).json()
    assert feeds["total"] == 1 + len(trade)  # the world's feed and the trade group


def test_catalogue_refuses_unknown_group_and_non_staff(world: World) -> None:
    op = world.as_("operator")
    unknown = world.client.post("/api/v1/feeds/catalogue/add", json={"group": "x"}, headers=op)
    assert unknown.status_code == 422 and "no catalogue group 'x'" in unknown.text
    neither = world.client.post("/api/v1/feeds/catalogue/add", json={}, headers=op)
    assert neither.status_code == 422 and "give a group" in neither.text
    for who in ("viewer", "a"):
        denied = world.client.post(
            "/api/v1/feeds/catalogue/add", json={"all": True}, headers=world.as_(who)
        )
        assert denied.status_code == 403, who
        listed = world.client.get("/api/v1/feeds/catalogue", headers=world.as_(who))
        assert listed.status_code == 403, who
