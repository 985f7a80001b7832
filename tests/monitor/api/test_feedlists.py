"""Feed lists through the API, staff only: the catalogue listed and added, OPML in and out."""

from __future__ import annotations

from monitor.feeds import catalogue, opml
from tests.monitor.api.conftest import World
from tests.samples import fixture_bytes


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


def test_opml_import_then_export_round_trips(world: World) -> None:
    op = {**world.as_("operator"), "Content-Type": "text/x-opml"}
    body = fixture_bytes("opml/freshrss.opml.xml")
    done = world.client.post("/api/v1/feeds/import", content=body, headers=op)
    assert done.status_code == 200, done.text
    assert done.json() == {"outlines": 6, "added": 6, "duplicates": 0}
    listed = world.client.get("/api/v1/feeds", headers=op).json()["items"]
    assert {"Hazards", "hurricanes"} <= {tag for feed in listed for tag in feed["tags"]}
    exported = world.client.get("/api/v1/feeds/export", params={"format": "opml"}, headers=op)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith(
        "text/x-opml"
    )
    urls = {o.url for o in opml.parse(exported.content)}
    assert urls == {feed["url"] for feed in listed}
    again = world.client.post("/api/v1/feeds/import", content=exported.content, headers=op)
    assert again.json() == {"outlines": 7, "added": 0, "duplicates": 7}


def test_opml_import_refuses_hostile_large_and_non_staff(world: World) -> None:
    op = world.as_("operator")
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">]>'
        b'<opml version="2.0"><body><outline text="&b;" xmlUrl="https://a.example/"/></body></opml>'
    )
    refused = world.client.post("/api/v1/feeds/import", content=laughs, headers=op)
    assert refused.status_code == 422 and "nothing was imported" in refused.text
    large = world.client.post("/api/v1/feeds/import", content=b" " * (4 * 2**20 + 1), headers=op)
    assert large.status_code == 413
    assert world.client.get("/api/v1/feeds", headers=op).json()["total"] == 1  # the world's
    for who in ("viewer", "a"):
        body = fixture_bytes("opml/miniflux.opml.xml")
        headers = world.as_(who)
        posted = world.client.post("/api/v1/feeds/import", content=body, headers=headers)
        assert posted.status_code == 403
        assert world.client.get("/api/v1/feeds/export", headers=headers).status_code == 403
