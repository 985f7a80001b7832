"""The alert lines `monitor run` prints: one per alert stored since the last look."""

from __future__ import annotations

from monitor.alerts import service as alerts
from monitor.buyers import service as buyers
from monitor.db import session_scope
from monitor.settings import Settings

BATCH = 100  # alerts read per query; a poll reads on until none are left


class AlertLines:
    """Reads alerts newer than the last one seen and formats them as one line each."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.last_id: int | None = None

    def poll(self) -> list[str]:
        """Return a line per alert stored since the previous call (none on the first call
        for alerts that were already there)."""
        with session_scope(self.settings) as session:
            if self.last_id is None:
                self.last_id = alerts.last_id(session=session, buyer_id=None)
                return []
            lines: list[str] = []
            while batch := alerts.alerts_after(
                session=session, after_id=self.last_id, buyer_id=None, limit=BATCH
            ):
                for alert in batch:
                    self.last_id = alert.id or self.last_id
                    buyer = buyers.get_buyer(session=session, buyer_id=alert.buyer_id).name
                    title = str(alert.incident.get("title") or alert.incident_id)[:100]
                    lines.append(
                        f"alert [{alert.kind}] {buyer}: {title} — severity {alert.severity}"
                    )
            return lines
