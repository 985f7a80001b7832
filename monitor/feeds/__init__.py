"""Feeds: what the connectors poll, their state and health, and how noisy each one is."""
