"""Each resource through the API: feeds, buyers, watches, alerts, incidents, suppliers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor import db
from monitor.models import Alert, Feed, SeenItem
from monitor.settings import Settings
from monitor.suppliers import service
from monitor.suppliers.models import SupplierCreate
from tests.monitor.api.conftest import World, build_world, incident_row
from tests.samples import FIXTURES
from tests.servers.feedserver import FeedServer

DATA = Path(__file__).resolve().parents[2] / "data" / "suppliers"
OSH_LIST = FIXTURES / "oshub" / "facility-list-geocoded.csv"


def test_feeds_crud_with_health(world: World) -> None:
    op = world.as_("operator")
    made = world.client.post(
        "/api/v1/feeds", json={"url": "https://b.example/rss", "interval_s": 120}, headers=op
    )
    assert made.status_code == 201, made.text
    feed = made.json()
    assert feed["state"] == "new" and feed["false_alarms"] == 0
    again = world.client.post("/api/v1/feeds", json={"url": "https://b.example/rss"}, headers=op)
    assert again.status_code == 409 and "already exists" in again.json()["detail"]
    bad = world.client.post("/api/v1/feeds", json={"url": "ftp://b.example/x"}, headers=op)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "url"
    short = world.client.post(
        "/api/v1/feeds", json={"url": "https://c.example/x", "interval_s": 5}, headers=op
    )
    assert short.status_code == 422 and short.json()["detail"][0]["loc"][-1] == "interval_s"
    changed = world.client.patch(
        f"/api/v1/feeds/{feed['id']}", json={"enabled": False}, headers=op
    ).json()
    assert changed["state"] == "disabled"
    listed = world.client.get("/api/v1/feeds?limit=1&offset=1", headers=op).json()
    assert listed["total"] == 2 and len(listed["items"]) == 1
    assert world.client.delete(f"/api/v1/feeds/{feed['id']}", headers=op).status_code == 204
    assert world.client.get(f"/api/v1/feeds/{feed['id']}", headers=op).status_code == 404


def test_a_paused_feed_shows_why_counts_in_metrics_and_resumes(world: World) -> None:
    op = world.as_("operator")
    with db.session_scope(world.settings) as session:
        feed = session.get(Feed, world.ids["feed"])
        assert feed is not None
        feed.enabled, feed.paused_at, feed.consecutive_failures = False, datetime.now(UTC), 10
        feed.disabled_reason = "paused after 10 errors in a row (HTTP 500)"
    listed = world.client.get("/api/v1/feeds", headers=op).json()["items"]
    row = next(f for f in listed if f["id"] == world.ids["feed"])
    assert row["state"] == "paused" and row["paused_at"]
    assert row["disabled_reason"].startswith("paused after 10 errors")
    assert 'monitor_feeds{state="paused"} 1.0' in world.client.get("/api/v1/metrics").text
    one = world.client.post(f"/api/v1/feeds/{world.ids['feed']}/reset-errors", headers=op)
    assert one.status_code == 200 and one.json()["state"] != "paused"
    assert one.json()["consecutive_failures"] == 0 and one.json()["enabled"]
    assert 'monitor_feeds{state="paused"} 0.0' in world.client.get("/api/v1/metrics").text
    missing = world.client.post("/api/v1/feeds/999999/reset-errors", headers=op)
    assert missing.status_code == 404
    every = world.client.post("/api/v1/feeds/reset-errors", headers=op)
    assert every.status_code == 200 and every.json() == {"reset": []}
    viewer = world.client.post("/api/v1/feeds/reset-errors", headers=world.as_("viewer"))
    assert viewer.status_code == 403


def test_a_page_over_api_page_max_is_a_422(api_settings: Settings) -> None:
    world = build_world(api_settings.updated(api={"page_max": 1}))
    with world.client:
        op = world.as_("operator")
        fits = world.client.get("/api/v1/feeds?limit=1", headers=op)
        over = world.client.get("/api/v1/feeds?limit=2", headers=op)
    assert fits.status_code == 200 and len(fits.json()["items"]) == 1
    assert over.status_code == 422 and over.json()["detail"][0]["ctx"] == {"le": 1}


def test_feed_check_fetches_once_and_changes_nothing(
    world: World,
    feed_server: FeedServer,
) -> None:
    url = feed_server.serve(f"/{uuid.uuid4().hex}", fixture="rss/rss_2.0_nbcny.xml")
    op = world.as_("operator")
    report = world.client.post("/api/v1/feeds/check", json={"url": url}, headers=op).json()
    assert report["status"] == 200 and report["kind"] == "rss" and report["items"]
    assert len(report["new_ids"]) == len(report["items"]) and report["error"] is None
    assert world.client.get("/api/v1/feeds", headers=op).json()["total"] == 1


def test_false_alarms_count_per_feed_and_per_watch(world: World) -> None:
    a, op = world.as_("a"), world.as_("operator")
    marked = world.client.post(f"/api/v1/alerts/{world.ids['alert_a']}/false-alarm", headers=a)
    assert marked.status_code == 200 and marked.json()["status"] == "false_alarm"
    feed = world.client.get(f"/api/v1/feeds/{world.ids['feed']}", headers=op).json()
    assert (feed["alerts"], feed["false_alarms"]) == (2, 1)
    noise = world.client.get("/api/v1/feeds/noise", headers=op).json()
    assert noise["feeds"][0]["id"] == world.ids["feed"]
    assert noise["watches"] == [
        {"watch_id": world.ids["watch_a"], "buyer_id": world.ids["buyer_a"],
         "name": "cocoa watch a", "false_alarms": 1}
    ]  # fmt: skip


def test_alerts_acknowledge_and_filter(world: World) -> None:
    a = world.as_("a")
    alert = world.client.get(f"/api/v1/alerts/{world.ids['alert_a']}", headers=a).json()
    assert alert["status"] == "new" and alert["why"] == {"watch": "cocoa watch a"}
    acked = world.client.post(f"/api/v1/alerts/{world.ids['alert_a']}/acknowledge", headers=a)
    assert acked.json()["status"] == "acknowledged" and acked.json()["acknowledged_at"]
    assert world.client.get("/api/v1/alerts?status=new", headers=a).json()["total"] == 0
    bad = world.client.get("/api/v1/alerts?status=wrong", headers=a)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "status"]


def test_buyers_and_watches(world: World) -> None:
    admin, a = world.as_("admin"), world.as_("a")
    made = world.client.post("/api/v1/buyers", json={"name": "New Co"}, headers=admin)
    assert made.status_code == 201 and made.json()["webhook_secret"].startswith("whsec_")
    buyer_id = made.json()["id"]
    shown = world.client.get(f"/api/v1/buyers/{buyer_id}", headers=admin).json()
    assert "webhook_secret" not in shown
    me = world.client.get(f"/api/v1/buyers/{world.ids['buyer_a']}", headers=a)
    assert me.status_code == 200 and me.json()["name"] == "Buyer A"
    rotated = world.client.post(f"/api/v1/buyers/{world.ids['buyer_a']}/rotate-secret", headers=a)
    assert rotated.json()["webhook_secret"].startswith("whsec_")
    bad = world.client.post("/api/v1/buyers", json={"name": "x", "email": "nope"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["email"]
    watch = {
        "name": "plant", "materials": ["cocoa beans"], "countries": ["ci"],
        "sites": [{"lat": 5.3, "lon": -4.0, "radius_km": 80, "label": "Abidjan"}],
        "lanes": ["CIABJ"], "min_severity": "high",
    }  # fmt: skip
    made_watch = world.client.post(
        f"/api/v1/buyers/{world.ids['buyer_a']}/watches", json=watch, headers=a
    )
    assert made_watch.status_code == 201, made_watch.text
    body = made_watch.json()
    assert body["materials"] == ["cocoa"] and body["countries"] == ["CI"]
    listed = world.client.get(f"/api/v1/buyers/{world.ids['buyer_a']}/watches", headers=a).json()
    assert listed["total"] == 2
    patched = world.client.patch(
        f"/api/v1/watches/{body['id']}", json={"min_severity": "low"}, headers=a
    )
    assert patched.json()["min_severity"] == "low"
    assert body["routine_warnings"] is False  # routine weather warnings: off unless asked
    patched = world.client.patch(
        f"/api/v1/watches/{body['id']}", json={"routine_warnings": True}, headers=a
    )
    assert patched.json()["routine_warnings"] is True
    unknown = world.client.patch(
        f"/api/v1/watches/{body['id']}", json={"materials": ["unobtainium"]}, headers=a
    )
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["materials"]
    assert world.client.delete(f"/api/v1/watches/{body['id']}", headers=a).status_code == 204


def test_incidents_filter_and_detail(world: World) -> None:
    with db.session_scope(world.settings) as s:
        halted = {"type": "production_halt", "evidence": {"text": "halted"}}
        quake = {"title": "Quake", "event_type": "earthquake", "severity": "medium",
                 "countries": ["JP"], "materials": [], "status": "closed",
                 "impacts": [halted]}  # fmt: skip
        s.add(incident_row("inc-quake", world.ids["feed"], **quake))
    v = world.as_("viewer")

    def ids(query: str) -> list[str]:
        answer = world.client.get(f"/api/v1/incidents?{query}", headers=v)
        assert answer.status_code == 200, answer.text
        return [i["id"] for i in answer.json()["items"]]

    assert ids("") == [world.incident, "inc-quake"] or set(ids("")) == {world.incident, "inc-quake"}
    assert ids("country=be") == [world.incident]
    assert ids("material=cocoa%20beans") == [world.incident]
    assert ids("severity=high") == [world.incident]
    assert ids("status=closed&event_type=earthquake") == ["inc-quake"]
    assert ids("since=2999-01-01T00:00:00Z") == []
    assert ids("impact=production_halt") == ["inc-quake"] and ids("impact=shortage") == []
    detail = world.client.get(f"/api/v1/incidents/{world.incident}", headers=v).json()
    assert detail["sources"][0]["url"] == "https://news.example/a" and detail["evidence"]
    assert world.client.get("/api/v1/incidents/nope", headers=v).status_code == 404
    assert world.client.get("/api/v1/incidents/nope/sources", headers=v).status_code == 404
    bad = world.client.get("/api/v1/incidents?material=unobtainium", headers=v)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["material"]
    assert world.client.get("/api/v1/incidents?impact=closed", headers=v).status_code == 422
    detail = world.client.get("/api/v1/incidents/inc-quake", headers=v).json()
    assert detail["impacts"][0]["type"] == "production_halt"


def test_the_impact_filter_offers_every_impact_type() -> None:
    import typing

    from monitor.api.incidents import Impact
    from monitor.vocab import IMPACTS

    assert typing.get_args(Impact) == IMPACTS


def test_suggestions_leave_out_the_affected_country(world: World) -> None:
    from monitor.suppliers import demo

    with db.session_scope(world.settings) as s:
        demo.load(session=s, count=150, seed=3)
    a = world.as_("a")
    answer = world.client.get(
        "/api/v1/suggestions",
        params={"material": "cocoa", "exclude_country": ["CI", "GH"], "limit": 5},
        headers=a,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["suggestions"] and all(
        s["country"] not in ("CI", "GH") and s["reasons"] for s in body["suggestions"]
    )
    bad = world.client.get("/api/v1/suggestions?material=unobtainium", headers=a)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["material"]
    near = world.client.get("/api/v1/suggestions?material=cocoa&near=abc", headers=a)
    assert near.status_code == 422 and near.json()["detail"][0]["loc"] == ["near"]


def test_suppliers_crud_import_and_export(world: World) -> None:
    admin = world.as_("admin")
    csv_body = (DATA / "project_with_bad_rows.csv").read_bytes()
    report = world.client.post(
        "/api/v1/suppliers/import?dry_run=true", content=csv_body,
        headers=admin | {"Content-Type": "text/csv"},
    ).json()  # fmt: skip
    assert report["dry_run"] and report["rejected"] >= 1 and report["created"] == 4
    assert any(
        e["where"] == "line 4" and "unknown country" in e["reason"] for e in report["errors"]
    )
    osh = world.client.post(
        "/api/v1/suppliers/import", content=(DATA / "open_supply_hub_export.csv").read_bytes(),
        headers=admin | {"Content-Type": "text/csv"},
    ).json()  # fmt: skip
    assert osh["source_format"] == "Open Supply Hub" and osh["created"] >= 1
    contributor = world.client.post(
        "/api/v1/suppliers/import?dry_run=true&format=csv", content=OSH_LIST.read_bytes(),
        headers=admin,
    ).json()  # fmt: skip
    assert "rows: number of workers unknown, size class assumed medium" in " ".join(
        contributor["warning_summary"]
    )
    as_json = world.client.post(
        "/api/v1/suppliers/import",
        json=[{"name": "Lagos Shea", "country": "NG", "city": "Lagos", "materials": "coffee"}],
        headers=admin,
    ).json()
    assert as_json["created"] == 1, as_json
    broken = world.client.post(
        "/api/v1/suppliers/import",
        content=b"[1,",
        headers=admin | {"Content-Type": "application/json"},
    )
    assert broken.status_code == 422 and broken.json()["detail"][0]["loc"] == ["body"]
    made = world.client.post(
        "/api/v1/suppliers",
        json={"name": "Accra Cocoa", "country": "GH", "materials": ["cocoa"], "buyer_ids": [999]},
        headers=admin,
    )
    assert made.status_code == 422 and made.json()["detail"][0]["loc"] == ["buyer_ids"]
    made = world.client.post(
        "/api/v1/suppliers",
        json={"name": "Accra Cocoa", "country": "GH", "materials": ["cocoa"]},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    sid = made.json()["id"]
    patched = world.client.patch(
        f"/api/v1/suppliers/{sid}", json={"lead_time_days": 9}, headers=admin
    )
    assert patched.json()["lead_time_days"] == 9
    ghana = world.client.get("/api/v1/suppliers?country=GH&material=cocoa", headers=admin).json()
    assert sid in [s["id"] for s in ghana["items"]]
    exported = world.client.get("/api/v1/suppliers/export?format=csv", headers=admin)
    assert exported.headers["content-type"].startswith("text/csv")
    assert "Accra Cocoa" in exported.text
    assert world.client.delete(f"/api/v1/suppliers/{sid}", headers=admin).status_code == 204
    assert world.client.get(f"/api/v1/suppliers/{sid}", headers=admin).status_code == 404


def test_import_refuses_a_body_over_the_limit(world: World) -> None:
    from fastapi.testclient import TestClient

    from monitor.api.app import create_app

    small = create_app(world.settings.updated(api={"import_max_bytes": 100}))
    with TestClient(small) as client:
        answer = client.post(
            "/api/v1/suppliers/import", content=b"x" * 500,
            headers=world.as_("admin") | {"Content-Type": "text/csv"},
        )  # fmt: skip
    assert answer.status_code == 413


def test_metrics_count_requests_by_route(world: World) -> None:
    world.client.get(f"/api/v1/alerts/{world.ids['alert_a']}", headers=world.as_("a"))
    text = world.client.get("/api/v1/metrics").text
    assert 'route="/api/v1/alerts/{alert_id}"' in text and "monitor_api_requests_total" in text


def test_docs_pages_load_their_assets_from_the_package(world: World) -> None:
    for page, asset in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        html = world.client.get(page).text
        assert asset in html and "cdn" not in html.lower() and "googleapis" not in html
        src = next(part.split('"')[0] for part in html.split('src="')[1:] if asset in part)
        assert world.client.get(src).status_code == 200


def test_an_alert_row_from_another_process_is_visible(world: World) -> None:
    with db.session_scope(world.settings) as s:
        s.add(Alert(buyer_id=world.ids["buyer_a"], incident_id="inc-x", severity="low"))
    assert world.client.get("/api/v1/alerts", headers=world.as_("a")).json()["total"] == 2


def test_me_names_the_keys_role_and_buyer(world: World) -> None:
    for who, role in (("admin", "admin"), ("operator", "operator"), ("viewer", "viewer")):
        me = world.client.get("/api/v1/me", headers=world.as_(who)).json()
        assert me == {"role": role, "buyer_id": None}
    me = world.client.get("/api/v1/me", headers=world.as_("a")).json()
    assert me == {"role": "buyer", "buyer_id": world.ids["buyer_a"]}


def test_suppliers_of_one_buyer(world: World) -> None:
    with db.session_scope(world.settings) as s:
        other, _ = service.upsert(
            session=s,
            data=SupplierCreate(name="Unlinked Mill", country="GH", materials=["cocoa"]),
        )
    a = world.ids["buyer_a"]
    mine = world.client.get(f"/api/v1/suppliers?buyer_id={a}", headers=world.as_("a")).json()
    assert [s["id"] for s in mine["items"]] == [world.ids["supplier"]] and mine["total"] == 1
    every = world.client.get("/api/v1/suppliers", headers=world.as_("a")).json()
    assert other.id in [s["id"] for s in every["items"]]
    admin = world.client.get(f"/api/v1/suppliers?buyer_id={a}", headers=world.as_("admin"))
    assert admin.json()["total"] == 1
    b = world.ids["buyer_b"]
    assert (
        world.client.get(f"/api/v1/suppliers?buyer_id={b}", headers=world.as_("a")).status_code
        == 404
    )
    for who in ("operator", "viewer"):
        answer = world.client.get(f"/api/v1/suppliers?buyer_id={a}", headers=world.as_(who))
        assert answer.status_code == 403
    missing = world.client.get("/api/v1/suppliers?buyer_id=999999", headers=world.as_("admin"))
    assert missing.status_code == 404


def test_feed_rows_carry_items_per_day_over_the_last_week(world: World) -> None:
    feed = world.ids["feed"]
    now = datetime.now(UTC)
    with db.session_scope(world.settings) as s:
        for n, age in enumerate((0, 1, 6, 6, 6, 6, 6, 20)):
            s.add(
                SeenItem(item_id=f"x{n}", feed_id=feed, seen_at=now - timedelta(days=age, hours=1))
            )
    rows = world.client.get("/api/v1/feeds", headers=world.as_("operator")).json()["items"]
    assert [r["items_per_day"] for r in rows if r["id"] == feed] == [1.0]  # 7 items / 7 days


def test_every_source_of_an_incident_pages(world: World) -> None:
    from monitor.incidents.store import add_sources

    with db.session_scope(world.settings) as s:
        add_sources(s, [(world.incident, {"item_id": f"n{i}", "url": f"https://news.example/{i}",
                                          "title": f"report {i}",
                                          "published": f"2026-11-2{i}T00:00:00+00:00"})
                        for i in range(5)])  # fmt: skip
    v = world.as_("viewer")
    answer = world.client.get(f"/api/v1/incidents/{world.incident}/sources?limit=2&offset=1",
                              headers=v)  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == 5
    assert [x["item_id"] for x in body["items"]] == ["n1", "n2"]
    assert set(body["items"][0]) == {"incident_id", "item_id", "url", "title", "published",
                                     "feed_id"}  # fmt: skip


def test_affected_suppliers_are_a_buyers_own_and_follow_the_alert_rule(world: World) -> None:
    with db.session_scope(world.settings) as s:  # a quake whose shaking reaches Kumasi
        shaking = {"kind": "circle", "lat": 6.0, "lon": -1.0, "radius_km": 120.0}
        s.add(incident_row("inc-quake", world.ids["feed"], event_type="earthquake",
                           countries=["GH"], materials=[], places=[], area=[shaking]))  # fmt: skip
    url = "/api/v1/incidents/affected-suppliers"
    mine = world.client.get(url, headers=world.as_("a"))
    assert mine.status_code == 200, mine.text
    assert [(i["supplier_id"], i["incident_id"]) for i in mine.json()["items"]] == [
        (world.ids["supplier"], "inc-quake")
    ]
    assert mine.json()["items"][0]["places"] == ["site Kumasi Cocoa Coop: inside the hazard area"]
    other = world.client.get(f"{url}?buyer_id={world.ids['buyer_b']}", headers=world.as_("a"))
    assert other.status_code == 404
    admin = world.client.get(f"{url}?buyer_id={world.ids['buyer_b']}", headers=world.as_("admin"))
    assert admin.json()["total"] == 1
    unnamed = world.client.get(url, headers=world.as_("admin"))
    assert unnamed.status_code == 422 and unnamed.json()["detail"][0]["loc"] == ["buyer_id"]
    assert world.client.get(url, headers=world.as_("viewer")).status_code == 403


def test_affected_suppliers_name_the_buyers_watches_an_incident_hits(world: World) -> None:
    # The Antwerp strike hits each buyer's cocoa watch on Belgium, and neither's supplier.
    url = "/api/v1/incidents/affected-suppliers"
    mine = world.client.get(url, headers=world.as_("a")).json()
    assert (mine["items"], mine["total"]) == ([], 0)
    assert mine["watch_hits"] == [
        {"watch_id": world.ids["watch_a"], "name": "cocoa watch a", "incident_id": world.incident,
         "title": "Dockworkers strike at the port of Antwerp", "places": ["country BE"],
         "materials": ["cocoa"]}
    ]  # fmt: skip
    theirs = world.client.get(f"{url}?buyer_id={world.ids['buyer_b']}", headers=world.as_("admin"))
    assert [w["watch_id"] for w in theirs.json()["watch_hits"]] == [world.ids["watch_b"]]
