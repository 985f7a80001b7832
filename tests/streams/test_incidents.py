"""The incidents stage's rules without a broker: what a batch of reports makes the stage send."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from monitor.incidents import ClusterRules
from monitor.settings import IncidentSettings
from streams.incidents import cluster_reports, expire_clusters
from streams.records import DisruptionRecord, IncidentRecord

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
RULES = ClusterRules.from_settings(IncidentSettings())
ANTWERP = {"name": "Antwerp", "country": "BE", "kind": "port", "locode": "BEANR",
           "lat": 51.2, "lon": 4.4}  # fmt: skip


def report(item_id: str, hours_ago: float, **fields: Any) -> DisruptionRecord:
    """Return a tagged strike at Antwerp, published `hours_ago` before NOW."""
    published = (NOW - timedelta(hours=hours_ago)).isoformat()
    return DisruptionRecord(**{"id": item_id, "event_type": "strike", "countries": ["BE"],
                               "places": [ANTWERP], "severity": "medium", "confidence": 0.8,
                               "title": f"Strike at Antwerp ({item_id})", "feed_id": 1,
                               "published": published, **fields})  # fmt: skip


def test_reports_of_one_event_open_one_incident_and_a_new_source_alone_is_quiet() -> None:
    done = cluster_reports([report("a", 3), report("b", 2)], {}, now=NOW, rules=RULES)
    assert [c.event for c in done.changes] == ["opened", "sourced"]
    assert list(done.states) == ["strike:BEANR"]
    sent = done.emitted()
    assert len(sent) == 1 and isinstance(sent[0], IncidentRecord)
    assert (sent[0].event, sent[0].status, sent[0].version) == ("opened", "open", 1)
    assert sent[0].id == done.changes[0].incident["id"]


def test_a_stored_cluster_is_read_and_a_repeat_changes_nothing() -> None:
    first = cluster_reports([report("a", 3)], {}, now=NOW, rules=RULES)
    stored = dict(first.states)
    again = cluster_reports([report("a", 3)], stored, now=NOW, rules=RULES)
    assert again.changes == [] and again.emitted() == []
    worse = cluster_reports([report("c", 1, severity="critical")], stored, now=NOW, rules=RULES)
    [update] = worse.emitted()
    assert (update.event, update.severity, update.version) == ("updated", "critical", 2)
    assert update.id == first.emitted()[0].id  # the stored incident, not a new one


def test_a_recovery_closes_the_incident_and_is_emitted() -> None:
    done = cluster_reports(
        [report("a", 3), report("ends", 1, is_disruption=False, recovery=True)],
        {}, now=NOW, rules=RULES,
    )  # fmt: skip
    assert [(r.event, r.status) for r in done.emitted()] == [("opened", "open"),
                                                            ("closed", "closed")]  # fmt: skip


def test_expiry_touches_only_the_clusters_that_changed() -> None:
    old = cluster_reports([report("a", 60)], {}, now=NOW - timedelta(hours=60), rules=RULES)
    fresh = cluster_reports([report("b", 1, event_type="flood")], {}, now=NOW, rules=RULES)
    clusters = {**old.states, **fresh.states}
    done = expire_clusters(clusters, now=NOW, rules=RULES)
    assert list(done.states) == ["strike:BEANR"]
    [expired] = done.emitted()
    assert (expired.event, expired.status, expired.version) == ("expired", "expired", 2)
    assert done.changes[0].source is None  # nothing new to store as a source


def test_the_incident_carries_its_reports_impacts() -> None:
    closed = {"type": "port_closure", "evidence": {"text": "closed", "start": 0, "end": 6}}
    done = cluster_reports([report("a", 3, impacts=[closed])], {}, now=NOW, rules=RULES)
    (sent,) = done.emitted()
    assert sent.impacts == [closed]
