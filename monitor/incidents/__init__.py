"""Incidents: many reports of one real-world event, clustered into one incident."""

from monitor.incidents.cluster import Change, ClusterRules, apply_report, cluster_key, expire

__all__ = ["Change", "ClusterRules", "apply_report", "cluster_key", "expire"]
