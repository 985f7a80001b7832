"""Match incidents to buyers' watches (and their own suppliers) and decide what to alert."""

from monitor.matching.alerts import AlertDecision, decide_alerts
from monitor.matching.index import Match, WatchIndex
from monitor.matching.watches import WatchSpec

__all__ = ["AlertDecision", "Match", "WatchIndex", "WatchSpec", "decide_alerts"]
