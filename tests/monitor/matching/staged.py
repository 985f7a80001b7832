"""The incident one item makes, tagged and clustered by the pipeline stages' own code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from monitor.incidents import ClusterRules
from monitor.settings import Settings
from monitor.tagger.tag import tag_items
from streams.incidents import cluster_reports
from streams.records import ItemRecord
from streams.tag import tagged


def staged_incident(record: ItemRecord) -> dict[str, Any]:
    """Return the incident `record` opens: tagged (`streams.tag.tagged`), then clustered."""
    [result] = tag_items([record.asdict()])
    report = tagged(record, result).forward
    assert report is not None, result
    rules = ClusterRules.from_settings(Settings().incidents)
    [change] = cluster_reports([report], {}, now=datetime.now(UTC), rules=rules).changes
    return change.incident
