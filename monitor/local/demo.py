"""The local demo behind `make run`: sample feeds served on 127.0.0.1, demo suppliers and buyers."""

from __future__ import annotations

import functools
import logging
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from monitor.buyers import service as buyers
from monitor.buyers.models import BuyerCreate, WatchCreate
from monitor.db import session_scope
from monitor.errors import NotFound
from monitor.feeds.models import FeedCreate
from monitor.keys import service as apikeys
from monitor.settings import PROJECT_ROOT, Settings
from monitor.suppliers import service as suppliers

log = logging.getLogger(__name__)

SAMPLES = PROJECT_ROOT / "deploy" / "samples"
# file name -> feed kind (given, so the demo does not depend on detection)
SAMPLE_FEEDS = {
    "demo-news.xml": "rss",
    "gdacs-rss.xml": "gdacs",
    "usgs-all-day.geojson": "usgs",
    "nws-alerts.json": "nws",
    "meteoalarm-poland.atom": "cap",
    "nhc-atlantic.xml": "rss",
}


# Demo buyers and the material each buys; its watch is built from its current suppliers.
DEMO_BUYERS = {
    "Demo: Chocolaterie du Nord": "cocoa",
    "Demo: Coastal Electronics": "semiconductors",
    "Demo: Atelier Textile": "cotton",
    "Demo: Bean & Leaf Roasters": "coffee",
}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        log.debug("sample feed server: " + format, *args)


def serve_samples(host: str, port: int) -> ThreadingHTTPServer:
    """Serve deploy/samples over HTTP in a daemon thread; return the server (port 0 = any)."""
    handler = functools.partial(_QuietHandler, directory=str(SAMPLES))
    server = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, name="sample-feeds", daemon=True).start()
    return server


def register_feeds(*, settings: Settings, base_url: str, interval_s: int = 60) -> list[str]:
    """Add the sample feeds that are not registered yet; return the URLs added."""
    from monitor.feeds.service import add_feed, list_feeds

    added = []
    with session_scope(settings) as session:
        known = {feed.url for feed in list_feeds(session=session)}
        for name, kind in SAMPLE_FEEDS.items():
            url = f"{base_url}/{name}"
            if url not in known:
                data = FeedCreate(url=url, kind=kind, name=f"sample: {name}", interval_s=interval_s)
                add_feed(session=session, data=data)
                added.append(url)
    return added


def register_catalogue(*, settings: Settings) -> tuple[int, int]:
    """Add every catalogue feed not registered yet; return (added, already registered)."""
    from monitor.feeds import catalogue

    with session_scope(settings) as session:
        done = catalogue.add_entries(
            session=session, settings=settings, chosen=catalogue.select_entries(everything=True)
        )
    return len(done.added), done.already


def load_directory(*, settings: Settings, count: int = 400, seed: int = 7) -> tuple[int, int]:
    """Load the demo suppliers and buyers (idempotent); return (suppliers, buyers) in the DB."""
    from monitor.suppliers import demo

    with session_scope(settings) as session:
        demo.load(session=session, count=count, seed=seed)
    with session_scope(settings) as session:
        for name, material in DEMO_BUYERS.items():
            if buyers.find_buyer(session=session, name=name) is not None:
                continue
            buyer = buyers.create_buyer(session=session, data=BuyerCreate(name=name))
            # The first three suppliers of the material stand for the buyer's current ones.
            current = suppliers.first_offering(session=session, material=material, limit=3)
            countries = sorted({country for _, country in current})
            watch = WatchCreate(
                name=f"{material} from {', '.join(countries)}", materials=[material],
                countries=countries, min_severity="medium",
            )  # fmt: skip
            buyers.create_watch(session=session, buyer_id=buyer.id, data=watch)
            for supplier_id, _ in current:
                suppliers.link_buyer(session=session, buyer_id=buyer.id, supplier_id=supplier_id)
        return (
            suppliers.count_suppliers(session=session),
            buyers.count_buyers(session=session),
        )


DEMO_KEY_NAME = "demo buyer (monitor run)"


def demo_key(*, settings: Settings) -> tuple[str, str]:
    """Create a buyer key for the first demo buyer; return (buyer name, key).

    Each run prints a fresh key, so the previous run's demo key is revoked: one works at a time.
    """
    name = next(iter(DEMO_BUYERS))
    with session_scope(settings) as session:
        buyer = buyers.find_buyer(session=session, name=name)
        if buyer is None or buyer.id is None:
            raise NotFound(f"no demo buyer {name!r}: the demo directory is not loaded")
        apikeys.revoke_named(session=session, buyer_id=buyer.id, name=DEMO_KEY_NAME)
        _, key = apikeys.create_key(
            session=session, role="buyer", buyer_id=buyer.id, name=DEMO_KEY_NAME
        )
    return name, key
