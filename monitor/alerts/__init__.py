"""Alerts: one per buyer, incident and version; the inbox a buyer reads and marks."""
