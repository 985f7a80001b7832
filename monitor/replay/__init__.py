"""Replay the `items` topic over a time window through tagging, clustering and matching again."""
