"""Delivery of alerts: database rows first, then the buyers' channels."""
