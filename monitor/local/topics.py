"""Create the project's Kafka topics with the configured partition counts."""

from __future__ import annotations

import contextlib
import logging

from monitor.errors import MonitorError
from monitor.local.broker import reachable
from monitor.settings import Settings

log = logging.getLogger(__name__)


def _unreachable(settings: Settings) -> MonitorError:
    return MonitorError(
        f"Kafka is not reachable at {settings.kafka.servers}: "
        "start it with `monitor kafka start` or set MONITOR_KAFKA_BOOTSTRAP_SERVERS"
    )


def require_kafka(settings: Settings) -> None:
    """Raise a one-line MonitorError when no bootstrap server answers."""
    if not reachable(settings.kafka.servers):
        raise _unreachable(settings)


def ensure_topics(settings: Settings, names: list[str] | None = None) -> list[str]:
    """Create any missing topic; return the names that were created."""
    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic
    from kafka.errors import KafkaError, TopicAlreadyExistsError

    wanted = names or settings.topics.names
    require_kafka(settings)
    try:
        admin = KafkaAdminClient(bootstrap_servers=settings.kafka.servers, request_timeout_ms=15000)
    except KafkaError as exc:
        raise _unreachable(settings) from exc
    try:
        missing = [t for t in wanted if t not in set(admin.list_topics())]
        new = [
            NewTopic(t, settings.topics.partitions, settings.topics.replication) for t in missing
        ]
        if new:
            # Another process may create one between list and create.
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(new)
            log.info("created topics %s", ", ".join(missing))
        return missing
    except KafkaError as exc:
        raise MonitorError(f"could not create Kafka topics: {exc}") from exc
    finally:
        admin.close()
