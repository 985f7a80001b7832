"""Produce items to Kafka and report which ones the broker acknowledged."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from connectors.base import Item
from connectors.outage import OutageLog
from monitor.settings import Settings

log = logging.getLogger(__name__)


class Producer(Protocol):
    """What the poller needs from a producer (tests pass a recording stand-in)."""

    def produce(self, items: Sequence[Item]) -> tuple[list[Item], str | None]:
        """Send `items`; return those Kafka acknowledged, and the first error."""
        ...

    def dead_letter(
        self, *, feed_id: int | None, url: str | None, error: str, **extra: Any
    ) -> None:
        """Record something that could not become an item."""
        ...


class ProduceError(Exception):
    """Kafka could not be reached or did not acknowledge."""


def problem(item: Item) -> str | None:
    """Return why `item` must not be produced, or None when it is fine."""
    if not item.id or len(item.id) > 64:
        return "item id is empty or longer than 64 characters"
    if not (item.title or "").strip() and not (item.body or "").strip():
        return "item has neither title nor body"
    for name in ("lat", "lon"):
        value = getattr(item, name)
        if value is not None and not math.isfinite(value):
            return f"item {name} is not a finite number"
    return None


def encode(value: dict[str, Any]) -> bytes:
    """Serialise one message value as strict JSON."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str).encode()


class ItemProducer:
    """kafka-python producer with acks=all; `produce` returns the acknowledged items only."""

    def __init__(self, settings: Settings, *, topic: str | None = None) -> None:
        self.settings = settings
        self.topic = topic or settings.topics.items
        self._producer: Any = None
        self.outage = OutageLog(settings.kafka.servers)

    def _client(self) -> Any:
        from kafka import KafkaProducer
        from kafka.errors import KafkaError

        if self._producer is None:
            timeout_ms = int(self.settings.kafka.produce_timeout_s * 1000)
            # The client gives up on a record before `produce` stops waiting for it: a record
            # that missed the wait is never delivered later behind our back (and produced again
            # by the next poll); idempotence keeps the client's own retries from duplicating.
            request_ms = max(500, min(30_000, timeout_ms // 2))
            delivery_ms = max(timeout_ms - 500, 20 + request_ms + 1)
            self.outage.install()
            try:
                self._producer = KafkaProducer(
                    bootstrap_servers=self.settings.kafka.servers,
                    acks="all",
                    enable_idempotence=True,
                    request_timeout_ms=request_ms,
                    delivery_timeout_ms=delivery_ms,
                    linger_ms=20,
                    batch_size=256 * 1024,  # a poll batch's items go out in few requests
                    max_block_ms=timeout_ms,
                    bootstrap_timeout_ms=timeout_ms,
                    client_id="monitor-connectors",
                )
            except (KafkaError, OSError, ValueError) as exc:
                raise ProduceError(
                    f"Kafka is not reachable at {self.settings.kafka.servers}: {exc}"
                ) from exc
        return self._producer

    def produce(self, items: Sequence[Item]) -> tuple[list[Item], str | None]:
        """Send `items`, wait for the acks; return the acknowledged ones and the first error."""
        if not items:
            return [], None
        try:
            client = self._client()
        except ProduceError as exc:
            return [], str(exc)
        futures, error = [], None
        for item in items:
            try:
                value = encode(item.to_dict())
                futures.append((item, client.send(self.topic, key=item.id.encode(), value=value)))
            except Exception as exc:  # one bad record (too large, say) must not sink the rest
                log.warning("item %s not sent: %s", item.id, exc)
                error = error or f"Kafka refused item {item.id}: {exc or type(exc).__name__}"
        try:
            client.flush(timeout=self.settings.kafka.produce_timeout_s)
        except Exception as exc:  # not everything was acknowledged in time; futures tell which
            log.debug("flushing %d items failed: %s", len(futures), exc)
        acked = [item for item, future in futures if future.succeeded()]
        failed = [future for _item, future in futures if not future.succeeded()]
        if failed:
            reason = failed[0].exception or "no acknowledgement in time"
            error = f"Kafka did not acknowledge {len(failed)} of {len(items)} items: {reason}"
            self.outage.failing(str(reason))
        elif acked:
            self.outage.answering()
        return acked, error

    def dead_letter(
        self, *, feed_id: int | None, url: str | None, error: str, **extra: Any
    ) -> None:
        """Send one record to the dead-letters topic; log instead when Kafka is unreachable."""
        record = {
            "stage": "connector",
            "feed_id": feed_id,
            "url": url,
            "error": error,
            "at": datetime.now(UTC).isoformat(),
            **extra,
        }
        try:
            self._client().send(self.settings.topics.dead_letters, value=encode(record))
        except Exception as exc:  # dead letters are diagnostics: never fail the poll for them
            log.warning("could not send a dead letter (%s): %s", exc, record)

    def close(self) -> None:
        """Flush and close the producer, if one was opened."""
        if self._producer is not None:
            self._producer.close(timeout=self.settings.kafka.produce_timeout_s)
            self._producer = None
