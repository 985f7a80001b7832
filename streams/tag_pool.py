"""Where the tag agent runs spaCy: in processes of their own, or on a thread of the worker.

A Faust worker's event loop, its consumer thread and the tagger share one interpreter lock, so
on a thread the tagger and the Kafka plumbing take turns on one core. With
`MONITOR_STREAMS_TAG_PROCESSES` > 0 batches are tagged in that many child processes (started with
`spawn`, each loading the pipeline once), and the worker's own process only moves messages.
A child that dies (out of memory, a crash in native code) breaks the pool: it is replaced and
the batch fails with an error, so the stage re-runs it one item at a time and dead-letters the
item that still fails.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

log = logging.getLogger(__name__)

WARM_UP = {"id": "warm-up", "title": "Strike closes the port of Antwerp", "body": ""}


class TaggerCrashed(RuntimeError):
    """A tagger process died while it held the batch."""


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)  # the worker is gone (even by SIGKILL): no orphan keeps its memory


def _start() -> None:
    """Run in each child first: follow the parent, and load the pipeline."""
    from monitor.tagger.tag import tag_batch

    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    tag_batch([WARM_UP])


def _tag(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from monitor.tagger.tag import tag_batch

    return tag_batch(items)


class TaggerPool:
    """Tag batches on `processes` child processes, or on a thread when `processes` is 0."""

    def __init__(self, processes: int) -> None:
        self.processes = max(0, processes)
        self._pool: ProcessPoolExecutor | None = None
        # One thread: a spaCy pipeline is not safe to share between threads (its string store
        # breaks), and the tag agent may hold more than one batch at a time.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tagger")

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
            )
        return self._pool

    async def tag(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return the tags of `items`, in order."""
        loop = asyncio.get_running_loop()
        if not self.processes:
            # spaCy is CPU-bound and blocking: on a thread the event loop keeps fetching,
            # committing and answering the broker's heartbeats.
            return await loop.run_in_executor(self._thread, _tag, items)
        try:
            return await loop.run_in_executor(self._executor(), _tag, items)
        except BrokenProcessPool as exc:
            log.warning("a tagger process died; starting a new one")
            self.close()
            raise TaggerCrashed("the tagger process died on this batch") from exc

    def close(self) -> None:
        """Stop the child processes (a later `tag` starts new ones)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
