"""Connectors: fetch and parse feeds, produce normalised items to Kafka."""
