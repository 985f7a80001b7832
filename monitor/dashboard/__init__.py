"""The web dashboard: static pages and vendored assets that the API serves at `/`."""

from monitor.dashboard.mount import mount_dashboard, router

__all__ = ["mount_dashboard", "router"]
