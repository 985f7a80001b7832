"""The tag agent's tagger: on a thread or in child processes, the same tags; a dead child is
replaced and its batch fails with an error (the stage then isolates the item)."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from monitor.tagger.tag import tag_batch
from streams.tag_pool import TaggerCrashed, TaggerPool

ITEMS = [
    {"id": "a", "title": "Strike closes the port of Antwerp", "body": "Dockworkers walked out."},
    {"id": "b", "title": "Local bakery wins award", "body": "Bread was praised."},
    {"id": "c", "title": "Earthquake hits Taiwan chip plants", "body": "Production halted."},
]


@pytest.mark.parametrize("processes", [0, 1])
async def test_same_tags_on_a_thread_and_in_a_process(processes: int) -> None:
    pool = TaggerPool(processes)
    try:
        assert await pool.tag(ITEMS) == tag_batch(ITEMS)
    finally:
        pool.close()


async def test_batches_in_flight_share_one_tagger_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from streams import tag_pool

    running, most = 0, 0
    lock = threading.Lock()

    def slow(items: list[dict[str, str]]) -> list[dict[str, str]]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return [{"id": i["id"]} for i in items]

    monkeypatch.setattr(tag_pool, "_tag", slow)
    pool = TaggerPool(0)
    try:
        done = await asyncio.gather(*(pool.tag([item]) for item in ITEMS))
    finally:
        pool.close()
    assert [d[0]["id"] for d in done] == ["a", "b", "c"]
    assert most == 1  # one spaCy pipeline is never run by two threads at once


async def test_a_killed_tagger_process_fails_its_batch_and_is_replaced() -> None:
    pool = TaggerPool(1)
    try:
        await pool.tag(ITEMS[:1])  # the child is up and warm
        assert pool._pool is not None
        (child,) = pool._pool._processes.values()  # type: ignore[attr-defined]
        big = [{**ITEMS[0], "id": str(n)} for n in range(20_000)]
        running = asyncio.ensure_future(pool.tag(big))
        await asyncio.sleep(0.5)
        os.kill(child.pid, signal.SIGKILL)  # what the kernel's OOM killer does
        with pytest.raises(TaggerCrashed):
            await running
        assert await pool.tag(ITEMS) == tag_batch(ITEMS)  # a new child took over
    finally:
        pool.close()


CHILD_SCRIPT = """
import asyncio, os, sys
from streams.tag_pool import TaggerPool

async def main():
    pool = TaggerPool(1)
    await pool.tag([{"id": "a", "title": "x", "body": ""}])
    print(*[c.pid for c in pool._pool._processes.values()], flush=True)
    await asyncio.sleep(120)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_tagger_processes_end_when_the_worker_is_killed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys
    import time

    script = tmp_path / "worker.py"
    script.write_text(CHILD_SCRIPT)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        parent.kill()  # SIGKILL: no clean-up code runs in the worker
        parent.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)
        os.kill(child, signal.SIGKILL)
        pytest.fail("the tagger process outlived its worker")
    finally:
        parent.kill()
