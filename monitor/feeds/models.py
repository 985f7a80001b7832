"""Feeds an operator added, with their polling state and health."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints
from sqlmodel import Field, SQLModel

from monitor.columns import json_list, utcnow

TAG_MAX = 100  # characters in one tag
TAGS_MAX = 20  # tags on one feed
# A tag as sent: cut to TAG_MAX when stored, so longer is allowed, but not without end.
Tag = Annotated[str, StringConstraints(max_length=10 * TAG_MAX)]


class FeedBase(SQLModel):
    url: str = Field(max_length=2048, unique=True, index=True)
    kind: str | None = Field(default=None, max_length=32, description="rss, gdacs, usgs, cap, nws…")
    name: str = Field(default="", max_length=200)
    interval_s: int = Field(default=600, ge=30, description="seconds between polls")
    enabled: bool = True


class FeedCreate(SQLModel):
    url: str = Field(max_length=2048, description="http:// or https:// address of the feed")
    kind: str | None = Field(default=None, max_length=32, description="default: detected")
    name: str = Field(default="", max_length=200)
    interval_s: int = Field(default=600, ge=30, le=7 * 86400, description="seconds between polls")
    tags: list[Tag] = Field(
        default_factory=list, max_length=TAGS_MAX, description="folders and labels (OPML)"
    )


class FeedUpdate(SQLModel):
    kind: str | None = Field(default=None, max_length=32)
    name: str | None = Field(default=None, max_length=200)
    interval_s: int | None = Field(default=None, ge=30, le=7 * 86400)
    enabled: bool | None = None
    tags: list[Tag] | None = Field(default=None, max_length=TAGS_MAX)


class Feed(FeedBase, table=True):
    __tablename__ = "feeds"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    tags: list[str] = json_list(description="folders and labels, as OPML carries them")
    # Conditional GET and scheduling
    etag: str | None = Field(default=None, max_length=512)
    last_modified: str | None = Field(default=None, max_length=128)
    next_poll_at: datetime | None = Field(default=None, index=True)
    # Health, as `monitor feeds show` reports it
    last_fetch_at: datetime | None = None
    last_success_at: datetime | None = None
    last_status: int | None = None
    consecutive_failures: int = 0
    last_error: str | None = Field(default=None, max_length=2000)
    items_produced: int = 0
    disabled_reason: str | None = Field(default=None, max_length=500)
    paused_at: datetime | None = None  # set when errors in a row paused it; reset-errors clears
    # Adaptive polling: when new items last arrived, and the smoothed gap between them
    last_new_item_at: datetime | None = None
    publish_interval_s: float | None = None


class WebSubSubscription(SQLModel, table=True):
    """A feed's WebSub subscription at its hub: where hubs call back, and the lease they gave."""

    __tablename__ = "websub_subscriptions"

    id: int | None = Field(default=None, primary_key=True)
    # Kept when its feed is removed (feed_id NULL), so the hub's next call is answered 410.
    feed_id: int | None = Field(
        default=None, foreign_key="feeds.id", ondelete="SET NULL", unique=True, index=True
    )
    hub_url: str = Field(max_length=2048)
    topic_url: str = Field(max_length=2048)
    token: str = Field(max_length=64, unique=True, index=True)  # the callback path's secret part
    secret: str = Field(max_length=128)  # hub.secret: signs deliveries; never logged or shown
    state: str = Field(default="pending", max_length=16)  # pending, requested, active, denied
    lease_s: int | None = None
    expires_at: datetime | None = None
    next_attempt_at: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    deliveries: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class FeedPublic(FeedBase):
    id: int
    created_at: datetime
    tags: list[str]
    last_fetch_at: datetime | None
    last_success_at: datetime | None
    last_status: int | None
    consecutive_failures: int
    last_error: str | None
    items_produced: int
    disabled_reason: str | None
    paused_at: datetime | None
    next_poll_at: datetime | None
    publish_interval_s: float | None = Field(
        description="observed seconds between its new items (smoothed); adaptive polling uses it"
    )


class FeedHealth(FeedPublic):
    """A feed with its state in one word and how often its reports were false alarms."""

    state: str = Field(description="new, ok, failing, paused or disabled")
    alerts: int = Field(default=0, description="alerts its reports led to")
    false_alarms: int = Field(default=0, description="of those, marked false alarm")
    false_alarm_reasons: dict[str, int] = Field(
        default_factory=dict, description="false alarms by the reason buyers gave (counts only)"
    )
    precision: float | None = Field(
        default=None, description="share of its alerts not marked false; null without alerts"
    )
    items_per_day: float = Field(default=0.0, description="new items a day, last 7 days' mean")


class WatchNoise(SQLModel):
    watch_id: int
    buyer_id: int
    name: str
    false_alarms: int


class Noise(SQLModel):
    """Which feeds and which rules (watches) raise false alarms, noisiest first."""

    feeds: list[FeedHealth]
    watches: list[WatchNoise]


class CatalogueEntry(SQLModel):
    """One feed of the curated catalogue (monitor/feeds/data/catalogue.toml)."""

    group: str = Field(min_length=1, max_length=40, regex=r"^[a-z][a-z0-9-]*$")
    name: str = Field(min_length=1, max_length=200)
    url: str = Field(max_length=2048)
    kind: str = Field(max_length=32, description="the connector kind that parses it")
    topics: list[str] = Field(min_length=1, max_length=20)
    regions: list[str] = Field(min_length=1, max_length=20)
    cadence_s: int = Field(ge=60, le=7 * 86400, description="how often it is expected to publish")
    licence: str = Field(min_length=1, max_length=300, description="licence or terms of use")
    checked: bool = Field(description="fetched and parsed from the live address by the curator")


class CatalogueAdded(SQLModel):
    """What adding catalogue feeds did: the feeds added, and those already registered."""

    added: list[CatalogueEntry]
    already: int = Field(description="entries whose URL was registered already (left alone)")


class OpmlImported(SQLModel):
    """What an OPML import did."""

    outlines: int = Field(description="feeds the file lists")
    added: int = Field(description="feeds added")
    duplicates: int = Field(description="skipped: the address (normalised) is registered already")
