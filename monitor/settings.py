"""The one settings class: every knob is a `MONITOR_*` environment variable."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Environment(StrEnum):
    """Where the monitor runs; a value outside these fails at start-up."""

    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    """Runtime configuration, read from `MONITOR_*` variables and an optional `.env`."""

    model_config = SettingsConfigDict(env_prefix="MONITOR_", env_file=".env", extra="ignore")

    environment: Environment = Environment.development

    # Where local state lives: the SQLite file, the Kafka jars, logs and broker data.
    data_dir: Path = PROJECT_ROOT / ".local"

    # Kafka
    kafka_host: str = "127.0.0.1"
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    kafka_bootstrap_servers: str | None = None
    kafka_heap: str = "512m"
    kafka_lib_dir: Path | None = None  # where Maven copies the broker jars (data_dir/kafka/lib)
    kafka_start_timeout: float = 90.0
    topic_items: str = "items"
    topic_disruptions: str = "disruptions"
    topic_incidents: str = "incidents"
    topic_alerts: str = "alerts"
    topic_dead_letters: str = "dead-letters"
    topic_partitions: int = 4
    topic_replication: int = 1

    # Faust
    faust_app_id: str = "sourcing-monitor"
    faust_web_enabled: bool = False  # the compose worker turns it on for its healthcheck
    faust_web_port: int = 6066
    # at_least_once: every sink is idempotent (see docs/design.md, "Processing guarantee").
    faust_processing_guarantee: str = "at_least_once"
    # A worker that died (SIGKILL, lost host) holds its partitions until the broker has heard
    # no heartbeat for this long; a restarted worker waits that long before it gets them back.
    faust_session_timeout_s: float = 45.0
    faust_heartbeat_s: float = 3.0  # a third of the session timeout or less
    stream_batch: int = 64  # messages per processing batch in the agents
    stream_batch_within_s: float = 0.5  # longest wait to fill a batch
    recent_ids_keep_h: float = 24.0  # how long a stage remembers item ids it has handled
    # Processes that run spaCy for the tag agent (0: a thread of the worker, sharing its lock).
    tag_processes: int = Field(default=1, ge=0, le=64)
    # Batches the tag agent holds at once: while the tagger works on one, the worker's own
    # process decodes, sends and acknowledges another.
    tag_batches_in_flight: int = Field(default=2, ge=1, le=16)

    # Incidents: when reports are one event, and how long incidents live.
    incident_distance_km: float = 300.0
    incident_window_h: float = 72.0
    incident_expiry_h: float = 48.0  # no report for this long: the incident expires
    incident_keep_closed_h: float = 168.0  # closed incidents kept so late reports join them
    incident_expiry_check_s: float = 60.0

    # Matching: watches reach workers within one refresh; a buyer's own suppliers are
    # watched within this radius.
    watch_refresh_s: float = 5.0
    supplier_watch_radius_km: float = 100.0

    # Database: SQLite file under data_dir unless a URL is given.
    database_url: str | None = None

    # `monitor run`: serve the bundled sample feeds and load the demo directory.
    demo: bool = True
    demo_feeds_port: int = 8765

    # API
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    cors_origins: list[str] = Field(
        default_factory=list, description="browser origins allowed to call the API (none)"
    )
    api_page_max: int = 500  # the largest `limit` a list accepts
    api_import_max_bytes: int = 20 * 1024 * 1024  # a supplier import body larger than this: 413
    api_stream_poll_s: float = 1.0  # how often GET /alerts/stream looks for new alerts
    api_stream_heartbeat_s: float = 15.0  # a comment line this often keeps proxies from closing

    # Suggestions: the weight of each score part (each part is 0..1 before weighting).
    suggest_weight_material: float = 0.30
    suggest_weight_capacity: float = 0.15
    suggest_weight_lead_time: float = 0.15
    suggest_weight_size: float = 0.15
    suggest_weight_certifications: float = 0.10
    suggest_weight_diversification: float = 0.15
    suggest_substitute_factor: float = Field(0.5, description="material part of a substitute")
    suggest_point_radius_km: float = Field(100.0, description="safety radius around a point event")
    suggest_candidate_cap: int = Field(20000, description="most candidate rows one query reads")

    # Connectors: loopback/private feed addresses are refused unless listed here.
    allow_private_hosts: list[str] = Field(default_factory=list)
    user_agent: str = "sourcing-monitor/0.1 (feed poller; contact the operator of this instance)"
    fetch_connect_timeout: float = 10.0
    fetch_read_timeout: float = 30.0
    fetch_total_timeout: float = 120.0  # one whole fetch, slow-drip servers included
    fetch_max_bytes: int = 10 * 1024 * 1024  # decoded body, so a gzip bomb stops here too
    fetch_max_redirects: int = 5
    poll_concurrency: int = 200  # fetches in flight at once, per connector process
    poll_per_host: int = 4  # fetches in flight to one host, to stay polite
    poll_pool_size: int = 8  # connections per HTTP client; many small pools beat one big one
    poll_idle_s: float = 30.0  # longest sleep between rounds when no feed is due
    poll_batch: int = 200  # fetched feeds handled per database/Kafka batch
    poll_backoff_max_s: int = 6 * 3600  # longest wait after repeated failures
    poll_max_age_cap_s: int = 24 * 3600  # a Cache-Control max-age longer than this is ignored
    dedup_chunk: int = 500  # ids per IN query on the seen-items index
    produce_timeout_s: float = 30.0  # how long to wait for Kafka to acknowledge a batch

    # Delivery to buyers (monitor/delivery): webhooks, and e-mail once smtp_host is set.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "sourcing-monitor@localhost"
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    delivery_timeout_s: float = 10.0  # one webhook POST or SMTP conversation, all in
    delivery_max_attempts: int = 8  # then the delivery is given up (status gave_up)
    delivery_max_age_s: int = 24 * 3600  # nor retried longer than this after it was due
    delivery_backoff_s: float = 30.0  # first retry delay, doubled per attempt, with jitter
    delivery_backoff_max_s: float = 3600.0
    delivery_poll_s: float = 5.0  # how often run_deliveries looks for due deliveries
    delivery_batch: int = 100  # deliveries claimed per database round
    delivery_concurrency: int = 20  # sends in flight at once

    @property
    def bootstrap_servers(self) -> str:
        """Return the Kafka bootstrap servers, defaulting to the local broker."""
        return self.kafka_bootstrap_servers or f"{self.kafka_host}:{self.kafka_port}"

    @property
    def db_url(self) -> str:
        """Return the database URL, defaulting to a SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'monitor.db'}"

    @property
    def demo_feeds_allow(self) -> str:
        """Return the allowlist entry of the demo's sample server: its host and port, no other."""
        host = f"[{self.api_host}]" if ":" in self.api_host else self.api_host
        return f"{host}:{self.demo_feeds_port}"

    @property
    def topics(self) -> list[str]:
        """Return every topic the project owns, in pipeline order."""
        return [
            self.topic_items,
            self.topic_disruptions,
            self.topic_incidents,
            self.topic_alerts,
            self.topic_dead_letters,
        ]


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return Settings()
