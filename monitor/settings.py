"""The one settings class: every knob is a `MONITOR_*` environment variable.

Settings come in groups; a group's knob is `MONITOR_<GROUP>_<NAME>` (`MONITOR_KAFKA_PORT`,
`MONITOR_POLLING_CONCURRENCY`). The flat names of before the groups (`MONITOR_POLL_CONCURRENCY`,
`MONITOR_FAUST_APP_ID`…) still work: `monitor/old_setting_names.py` says where each now lives.
"""

from __future__ import annotations

import math
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from monitor.old_setting_names import OldNamesSource, WithoutOldNames, nest_old_names

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Environment(StrEnum):
    """Where the monitor runs; a value outside these fails at start-up."""

    development = "development"
    test = "test"
    production = "production"


class DemoFeeds(StrEnum):
    """Which feeds `monitor run` starts on: the bundled samples, or the real-feed catalogue."""

    samples = "samples"
    catalogue = "catalogue"


class ProcessingGuarantee(StrEnum):
    """Faust's processing guarantees."""

    at_least_once = "at_least_once"
    exactly_once = "exactly_once"


class SettingsGroup(BaseModel):
    """A group of settings: read once at start-up, never changed in place (`updated` copies)."""

    model_config = ConfigDict(frozen=True)


class KafkaSettings(SettingsGroup):
    """The broker: the local one `monitor kafka start` runs, or any given by address."""

    host: str = "127.0.0.1"
    port: int = 9092
    controller_port: int = 9093
    bootstrap_servers: str | None = None  # any Kafka; the local broker when unset
    heap: str = "512m"  # the local broker's JVM heap (-Xmx)
    lib_dir: Path | None = None  # where Maven copies the broker jars (data_dir/kafka/lib)
    start_timeout_s: float = 90.0
    produce_timeout_s: float = 30.0  # how long to wait for Kafka to acknowledge a batch

    @property
    def servers(self) -> str:
        """Return the bootstrap servers, defaulting to the local broker."""
        return self.bootstrap_servers or f"{self.host}:{self.port}"


class TopicSettings(SettingsGroup):
    """The pipeline's topic names, partitions and replication."""

    items: str = "items"
    disruptions: str = "disruptions"
    incidents: str = "incidents"
    alerts: str = "alerts"
    dead_letters: str = "dead-letters"
    partitions: int = 4
    replication: int = 1

    @property
    def names(self) -> list[str]:
        """Return every topic the project owns, in pipeline order."""
        return [self.items, self.disruptions, self.incidents, self.alerts, self.dead_letters]


class StreamSettings(SettingsGroup):
    """The Faust worker and its agents."""

    app_id: str = "sourcing-monitor"
    web_enabled: bool = False  # the compose worker turns it on for its healthcheck
    web_port: int = 6066
    # at_least_once: every sink is idempotent (see docs/design.md, "Processing guarantee").
    processing_guarantee: ProcessingGuarantee = ProcessingGuarantee.at_least_once
    # A worker that died (SIGKILL, lost host) holds its partitions until the broker has heard
    # no heartbeat for this long; a restarted worker waits that long before it gets them back.
    session_timeout_s: float = 45.0
    heartbeat_s: float = 3.0  # a third of the session timeout or less
    batch_size: int = 64  # messages per processing batch in the agents
    batch_within_s: float = 0.5  # longest wait to fill a batch
    recent_ids_keep_h: float = 24.0  # how long a stage remembers item ids it has handled
    # Processes that run spaCy for the tag agent (0: a thread of the worker, sharing its lock).
    tag_processes: int = Field(default=1, ge=0, le=64)
    # Batches the tag agent holds at once: while the tagger works on one, the worker's own
    # process decodes, sends and acknowledges another.
    tag_batches_in_flight: int = Field(default=2, ge=1, le=16)


class IncidentSettings(SettingsGroup):
    """When reports are one event, and how long incidents live."""

    distance_km: float = 300.0  # two points closer than this are one place
    window_h: float = 72.0  # reports this far apart are still one event
    expiry_h: float = 48.0  # no report for this long: the incident expires
    keep_closed_h: float = 168.0  # closed incidents kept so late reports join them
    expiry_check_s: float = 60.0


class MatchingSettings(SettingsGroup):
    """Watches reach workers within one refresh; a buyer's suppliers are watched in a radius."""

    watch_refresh_s: float = 5.0
    supplier_watch_radius_km: float = 100.0


class ApiSettings(SettingsGroup):
    """The REST API."""

    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: list[str] = Field(
        default_factory=list, description="browser origins allowed to call the API (none)"
    )
    page_max: int = 500  # the largest `limit` a list accepts
    import_max_bytes: int = 20 * 1024 * 1024  # a supplier import body larger than this: 413
    max_body_bytes: int = 1024 * 1024  # any other request body larger than this: 413, unread
    stream_poll_s: float = 1.0  # how often GET /alerts/stream looks for new alerts
    stream_heartbeat_s: float = 15.0  # a comment line this often keeps proxies from closing
    stream_max_per_key: int = Field(default=5, ge=1)  # more open streams per key: 429
    stream_max: int = Field(default=200, ge=1)  # more open streams in all: 503
    stream_key_check_s: float = Field(default=30.0, gt=0)  # a revoked key's stream ends this soon
    # A key that passed is trusted this long without reading its row: a key revoked by another
    # process (`monitor keys revoke`) works this much longer; one revoked in-process stops at once.
    key_cache_s: float = Field(default=10.0, ge=0, le=3600)
    key_failures: int = Field(default=10, ge=1)  # failed keys per client or prefix, then 429
    key_failures_window_s: float = Field(default=60.0, gt=0)  # ... within this many seconds
    # The address the world reaches this API at (https://monitor.example.com). WebSub hubs call
    # back under it; unset, WebSub is off and every feed is polled.
    public_url: str | None = Field(default=None, max_length=1000)


class SuggestionSettings(SettingsGroup):
    """Suggestions: each score part's weight (parts are 0..1; the weights sum to 1), and bounds."""

    weight_material: float = Field(0.30, ge=0, le=1)
    weight_capacity: float = Field(0.15, ge=0, le=1)
    weight_lead_time: float = Field(0.15, ge=0, le=1)
    weight_size: float = Field(0.15, ge=0, le=1)
    weight_certifications: float = Field(0.10, ge=0, le=1)
    weight_diversification: float = Field(0.15, ge=0, le=1)
    substitute_factor: float = Field(0.5, description="material part of a substitute")
    point_radius_km: float = Field(100.0, description="safety radius around a point event")
    candidate_cap: int = Field(20000, description="most candidate rows one query reads")

    @cached_property  # read for every candidate scored; a group is frozen
    def weights(self) -> dict[str, float]:
        """Return each score part's weight by part name."""
        prefix = "weight_"
        return {
            name.removeprefix(prefix): getattr(self, name)
            for name in type(self).model_fields
            if name.startswith(prefix)
        }

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> SuggestionSettings:
        total = sum(self.weights.values())
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(f"the suggestion weights sum to {total:g}, not 1")
        return self


class FetchSettings(SettingsGroup):
    """Outbound HTTP (feeds and webhooks): its bounds, and which private hosts it may reach."""

    # Loopback/private addresses are refused unless listed here.
    allow_private_hosts: list[str] = Field(default_factory=list)
    user_agent: str = "sourcing-monitor/0.1 (feed poller; contact the operator of this instance)"
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    total_timeout_s: float = 120.0  # one whole fetch, slow-drip servers included
    max_bytes: int = 10 * 1024 * 1024  # decoded body, so a gzip bomb stops here too
    max_redirects: int = 5


class PollingSettings(SettingsGroup):
    """The connectors' poller."""

    concurrency: int = 200  # fetches in flight at once, per connector process
    per_host: int = 4  # fetches in flight to one host, to stay polite
    pool_size: int = 8  # connections per HTTP client; many small pools beat one big one
    idle_s: float = 30.0  # longest sleep between rounds when no feed is due
    batch_size: int = 200  # fetched feeds handled per database/Kafka batch
    backoff_max_s: int = 6 * 3600  # longest wait after repeated failures
    pause_after_failures: int = 10  # errors in a row that pause a feed (0: never pause)
    # Adaptive polling: a feed is polled at half the observed gap between its new items,
    # within [adaptive_min_s, max(its interval, adaptive_max_s)] (max 0: never slower than set;
    # the default, since a quiet hazard feed must not be read late when it does speak).
    adaptive: bool = True
    adaptive_min_s: int = 60
    adaptive_max_s: int = 0
    host_gap_s: float = 1.0  # politeness: at most one request to a host per this many seconds
    max_age_cap_s: int = 24 * 3600  # a Cache-Control max-age longer than this is ignored
    dedup_chunk: int = 500  # ids per IN query on the seen-items index
    # WebSub (on when api.public_url is set): the lease asked of hubs, how long before its end
    # it is renewed, and how much slower a feed whose hub pushes is still polled.
    websub_lease_s: int = Field(default=10 * 86400, ge=300)
    websub_renew_before_s: int = Field(default=86400, ge=60)
    websub_fallback_factor: int = Field(default=6, ge=1, le=1000)
    websub_check_s: float = Field(default=60.0, gt=0)  # how often subscriptions are looked at


class SmtpSettings(SettingsGroup):
    """E-mail delivery, on once `host` is set."""

    host: str | None = None
    port: int = 25
    from_address: str = "sourcing-monitor@localhost"
    starttls: bool = False
    user: str | None = None
    password: SecretStr | None = None


class DeliverySettings(SettingsGroup):
    """Delivery to buyers (monitor/delivery): webhooks and e-mail, retried with backoff."""

    timeout_s: float = 10.0  # one webhook POST or SMTP conversation, all in
    max_attempts: int = 8  # then the delivery is given up (status gave_up)
    max_age_s: int = 24 * 3600  # nor retried longer than this after it was due
    backoff_s: float = 30.0  # first retry delay, doubled per attempt, with jitter
    backoff_max_s: float = 3600.0
    poll_s: float = 5.0  # how often run_deliveries looks for due deliveries
    batch_size: int = 100  # deliveries claimed per database round
    concurrency: int = 20  # sends in flight at once


class Settings(BaseSettings):
    """Runtime configuration, read from `MONITOR_*` variables and an optional `.env`."""

    model_config = SettingsConfigDict(
        env_prefix="MONITOR_",
        env_file=".env",
        extra="ignore",
        env_nested_delimiter="_",
        env_nested_max_split=1,  # MONITOR_KAFKA_CONTROLLER_PORT is kafka.controller_port
    )

    environment: Environment = Environment.development
    # Where local state lives: the SQLite file, the Kafka jars, logs and broker data.
    data_dir: Path = PROJECT_ROOT / ".local"
    # Database: SQLite file under data_dir unless a URL is given.
    database_url: str | None = None
    # Connections each process keeps open, the extra ones it may open under load, and how long
    # a request waits for a free one before it is answered 503 with Retry-After.
    database_pool_size: int = Field(default=5, ge=1, le=1000)
    database_max_overflow: int = Field(default=10, ge=0, le=1000)
    database_pool_timeout_s: float = Field(default=10.0, gt=0, le=600)
    # `monitor run`: serve the bundled sample feeds and load the demo directory.
    demo: bool = True
    demo_feeds: DemoFeeds = DemoFeeds.samples  # catalogue: the real feeds of docs/catalogue.md
    demo_feeds_port: int = 8765

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    topics: TopicSettings = Field(default_factory=TopicSettings)
    streams: StreamSettings = Field(default_factory=StreamSettings)
    incidents: IncidentSettings = Field(default_factory=IncidentSettings)
    matching: MatchingSettings = Field(default_factory=MatchingSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    suggestions: SuggestionSettings = Field(default_factory=SuggestionSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    polling: PollingSettings = Field(default_factory=PollingSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Read the old flat names too, below the grouped ones."""
        assert isinstance(env_settings, EnvSettingsSource)
        assert isinstance(dotenv_settings, DotEnvSettingsSource)
        old = OldNamesSource(settings_cls, env_settings, dotenv_settings)
        dotenv = WithoutOldNames(settings_cls, dotenv_settings)  # read by `old`, below the new
        return init_settings, env_settings, dotenv, old, file_secret_settings

    @model_validator(mode="before")
    @classmethod
    def _nest_old_keywords(cls, data: Any) -> Any:
        # Settings(kafka_port=1) and updated(kafka_port=1) still mean kafka.port.
        return nest_old_names(data) if isinstance(data, dict) else data

    def updated(self, **changes: Any) -> Settings:
        """Return a validated copy with `changes` (group dicts, or the old flat names)."""
        data = self.model_dump()
        for key, value in nest_old_names(changes).items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return type(self).model_validate(data)

    @property
    def db_url(self) -> str:
        """Return the database URL, defaulting to a SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'monitor.db'}"

    @property
    def demo_feeds_allow(self) -> str:
        """Return the allowlist entry of the demo's sample server: its host and port, no other."""
        host = f"[{self.api.host}]" if ":" in self.api.host else self.api.host
        return f"{host}:{self.demo_feeds_port}"


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return Settings()
