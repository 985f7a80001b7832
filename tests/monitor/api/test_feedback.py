"""False-alarm reasons and missed events over the API: buyers and admins read notes,
operators only counts."""

from __future__ import annotations

from tests.monitor.api.conftest import World

NOTE = "Wrong port: we ship from Rotterdam"


def alert(world: World, who: str = "a") -> str:
    return f"/api/v1/alerts/{world.ids[f'alert_{who}']}"


def missed(world: World, who: str = "a") -> str:
    return f"/api/v1/buyers/{world.ids[f'buyer_{who}']}/missed-events"


def test_a_false_alarm_takes_a_reason_and_a_note(world: World) -> None:
    client, me = world.client, world.as_("a")
    body = {"reason": "wrong_place", "note": f"<em>{NOTE}</em>"}
    marked = client.post(f"{alert(world)}/false-alarm", json=body, headers=me)
    assert marked.status_code == 200, marked.text
    assert marked.json()["status"] == "false_alarm"
    for who in ("a", "admin"):
        got = client.get(f"{alert(world)}/feedback", headers=world.as_(who))
        assert got.status_code == 200
        assert (got.json()["reason"], got.json()["note"]) == ("wrong_place", NOTE)
    for who in ("operator", "viewer"):
        assert client.get(f"{alert(world)}/feedback", headers=world.as_(who)).status_code == 403
    assert client.get(f"{alert(world)}/feedback", headers=world.as_("b")).status_code == 404


def test_the_bodyless_call_of_old_clients_still_works_with_reason_other(world: World) -> None:
    client, me = world.client, world.as_("b")
    assert client.get(f"{alert(world, 'b')}/feedback", headers=me).status_code == 404
    marked = client.post(f"{alert(world, 'b')}/false-alarm", headers=me)
    assert marked.status_code == 200, marked.text
    got = client.get(f"{alert(world, 'b')}/feedback", headers=me).json()
    assert (got["reason"], got["note"]) == ("other", "")


def test_a_reason_outside_the_vocabulary_or_a_long_note_is_refused(world: World) -> None:
    client, me = world.client, world.as_("a")
    for body in ({"reason": "meh"}, {"reason": "other", "note": "x" * 1001}, {"note": 3}):
        answer = client.post(f"{alert(world)}/false-alarm", json=body, headers=me)
        assert answer.status_code == 422, (body, answer.text)
    assert client.get(alert(world), headers=me).json()["status"] == "new"


def test_operators_see_counts_per_feed_and_reason_never_notes(world: World) -> None:
    client = world.client
    for who, reason in (("a", "wrong_place"), ("b", "duplicate")):
        body = {"reason": reason, "note": f"{NOTE} ({who})"}
        client.post(f"{alert(world, who)}/false-alarm", json=body, headers=world.as_(who))
    client.post(missed(world), json={"url": "https://news.example/m", "note": NOTE},
                headers=world.as_("a"))  # fmt: skip
    op = world.as_("operator")
    feeds = client.get("/api/v1/feeds", headers=op)
    feed = feeds.json()["items"][0]
    assert (feed["alerts"], feed["false_alarms"], feed["precision"]) == (2, 2, 0.0)
    assert feed["false_alarm_reasons"] == {"wrong_place": 1, "duplicate": 1}
    totals = client.get("/api/v1/feedback", headers=op)
    assert totals.json()["false_alarms"]["wrong_place"] == 1
    assert totals.json()["missed_events"] == 1
    listed = client.get("/api/v1/missed-events", headers=op)
    assert listed.status_code == 200
    assert [m["note"] for m in listed.json()["items"]] == [None]
    for answer in (feeds, totals, listed):
        assert "Rotterdam" not in answer.text
    assert client.get("/api/v1/missed-events?buyer_id=1", headers=op).status_code == 403
    assert client.get(missed(world), headers=op).status_code == 403
    assert client.get("/api/v1/feedback", headers=world.as_("a")).status_code == 403
    metrics = client.get("/api/v1/metrics").text
    assert 'monitor_false_alarms{reason="wrong_place"} 1.0' in metrics
    assert 'monitor_false_alarms{reason="not_relevant"} 0.0' in metrics
    assert "monitor_missed_events 1.0" in metrics


def test_a_buyer_reports_and_lists_its_missed_events(world: World) -> None:
    client, me = world.client, world.as_("a")
    body = {"url": "https://news.example/flood", "note": "<b>Flood</b> at our mill"}
    made = client.post(missed(world), json=body, headers=me)
    assert made.status_code == 201, made.text
    assert (made.json()["url"], made.json()["note"]) == (body["url"], "Flood at our mill")
    for who, path in (
        ("a", missed(world)),
        ("admin", missed(world)),
        ("a", "/api/v1/missed-events"),
    ):
        listed = client.get(path, headers=world.as_(who)).json()
        assert [m["note"] for m in listed["items"]] == ["Flood at our mill"], (who, path)
    assert client.get("/api/v1/missed-events", headers=world.as_("b")).json()["total"] == 0
    assert client.get(missed(world), headers=world.as_("b")).status_code == 404
    assert client.post(missed(world), json=body, headers=world.as_("b")).status_code == 404
    for who in ("operator", "viewer"):
        assert client.post(missed(world), json=body, headers=world.as_(who)).status_code == 403
    assert client.get("/api/v1/missed-events", headers=world.as_("viewer")).status_code == 403


def test_a_missed_event_url_must_be_http(world: World) -> None:
    client, me = world.client, world.as_("a")
    for url in ("javascript:alert(1)", "file:///etc/passwd", "https://u:p@x.example/", "x" * 3000):
        answer = client.post(missed(world), json={"url": url}, headers=me)
        assert answer.status_code == 422, (url, answer.text)
        assert "u:p@" not in answer.text
    assert client.get(missed(world), headers=me).json()["total"] == 0
