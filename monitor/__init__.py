"""Sourcing disruption monitor: domain code, settings and interfaces."""

__version__ = "0.1.0"
