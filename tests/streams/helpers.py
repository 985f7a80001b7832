"""Shared builders for the stream tests: run a Faust worker in-process, read a topic back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import faust
from kafka import KafkaConsumer


@asynccontextmanager
async def running_worker(app: faust.App) -> AsyncIterator[faust.Worker]:
    """Run `app`'s agents on the test's event loop until the block ends."""
    # daemon=False: start() returns once the worker is up instead of waiting for it to stop.
    worker = faust.Worker(app, loop=asyncio.get_running_loop(), loglevel="warning",
                          override_logging=False, daemon=False)  # fmt: skip
    await worker.start()
    try:
        yield worker
    finally:
        await worker.stop()


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return {"undecodable": raw.decode("utf-8", errors="replace")}


def read_topic(bootstrap: str, topic: str, count: int) -> list[dict[str, Any]]:
    """Read `count` JSON messages from the start of `topic` (60 s at most)."""
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             consumer_timeout_ms=60_000, value_deserializer=_loads)  # fmt: skip
    out: list[dict[str, Any]] = []
    try:
        for message in consumer:
            out.append(message.value)
            if len(out) == count:
                break
    finally:
        consumer.close()
    return out


async def wait_for(check, timeout: float = 90.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until `check()` is true (the pipeline is asynchronous); fail after `timeout`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await asyncio.to_thread(check):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the pipeline did not get there in time")
        await asyncio.sleep(0.5)
