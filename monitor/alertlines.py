"""The alert lines `monitor run` prints: one per alert stored since the last look."""

from __future__ import annotations

from sqlmodel import col, select

from monitor.db import session_scope
from monitor.models import Alert, Buyer
from monitor.settings import Settings


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
                newest = session.exec(select(Alert.id).order_by(col(Alert.id).desc())).first()
                self.last_id = newest or 0
                return []
            rows = session.exec(
                select(Alert, Buyer.name)
                .join(Buyer, col(Buyer.id) == col(Alert.buyer_id))
                .where(col(Alert.id) > self.last_id)
                .order_by(col(Alert.id))
            ).all()
            lines = []
            for alert, buyer in rows:
                self.last_id = alert.id
                title = str(alert.incident.get("title") or alert.incident_id)[:100]
                lines.append(f"alert [{alert.kind}] {buyer}: {title} — severity {alert.severity}")
            return lines
