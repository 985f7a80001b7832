"""Buyers' feedback: why an alert was a false alarm, and events the monitor missed."""
