"""Measure the key check under guessing: a legitimate call's latency while bad keys are tried,
and how long a bad key on a known prefix takes against one on an unknown prefix.

Serves the API with uvicorn in a child process (one worker, SQLite). First, with the failure
throttle lifted (every guess is hashed), it times guesses on a known and an unknown prefix,
interleaved. Then, with the settings' throttle, it times `GET /api/v1/me` with a valid key
alone (the baseline) and while `--bad` keys on a known prefix are tried `--attackers` at once.

Run: .venv/bin/python bench/keys.py [--bad 300] [--attackers 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor import db
from monitor.buyers import service as buyers
from monitor.keys import service as apikeys
from monitor.models import BuyerCreate
from monitor.settings import Settings


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


def prepare(settings: Settings) -> tuple[str, str]:
    """Return a buyer key (the legitimate caller) and an admin key (whose prefix is guessed)."""
    db.upgrade(settings)
    with db.session_scope(settings) as s:
        buyer = buyers.create_buyer(session=s, data=BuyerCreate(name="bench buyer"))
        _, mine = apikeys.create_key(session=s, role="buyer", buyer_id=buyer.id)
        _, target = apikeys.create_key(session=s, role="admin")
    return mine, target


@contextmanager
def serve(url: str, tmp: str, **env: str) -> Iterator[str]:
    """Run the API in a child process; yield its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "monitor.api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=dict(os.environ, MONITOR_DATABASE_URL=url, MONITOR_DATA_DIR=tmp, **env),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/metrics", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def guess(prefix: str) -> dict[str, str]:
    return {"Authorization": f"Bearer smk_{prefix}_{secrets.token_urlsafe(32)}"}


def prefix_timing(base: str, known: str, rounds: int) -> dict[str, list[float]]:
    """Time bad keys on a known and an unknown prefix, interleaved; ms per request."""
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    with httpx.Client(base_url=base) as client:
        for _ in range(rounds):
            for name, prefix in (("known", known), ("unknown", secrets.token_hex(6))):
                start = time.perf_counter()
                assert client.get("/me", headers=guess(prefix)).status_code == 401
                times[name].append((time.perf_counter() - start) * 1000)
    return times


async def legit_calls(client: httpx.AsyncClient, key: str, until: asyncio.Event) -> list[float]:
    """Call /me with the valid key back to back until `until` is set; ms per call."""
    latencies: list[float] = []
    while not until.is_set() or not latencies:
        start = time.perf_counter()
        answer = await client.get("/me", headers={"Authorization": f"Bearer {key}"})
        assert answer.status_code == 200, answer.text
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


async def under_attack(base: str, key: str, prefix: str, bad: int, attackers: int) -> tuple:
    """Return the legitimate call's latencies alone and during `bad` guesses, and the
    guesses' status codes."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        alone = asyncio.Event()
        task = asyncio.create_task(legit_calls(client, key, alone))
        await asyncio.sleep(2.0)
        alone.set()
        baseline = await task
        codes: Counter[int] = Counter()
        queue = list(range(bad))

        async def attacker() -> None:
            while queue:
                queue.pop()
                codes[(await client.get("/me", headers=guess(prefix))).status_code] += 1

        done = asyncio.Event()
        legit = asyncio.create_task(legit_calls(client, key, done))
        await asyncio.gather(*(attacker() for _ in range(attackers)))
        done.set()
        return baseline, await legit, codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bad", type=int, default=300)
    parser.add_argument("--attackers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'keys.db'}"
        mine, target = prepare(Settings(database_url=url))
        prefix = target.split("_")[1]
        print(f"{os.cpu_count()} cores; uvicorn, 1 worker, SQLite")
        with serve(url, tmp, MONITOR_API_KEY_FAILURES="100000") as base:
            times = prefix_timing(base, prefix, args.rounds)
        print(
            f"bad key, throttle lifted, {args.rounds} each: known prefix p50 "
            f"{pct(times['known'], 50):.1f} ms, unknown prefix p50 "
            f"{pct(times['unknown'], 50):.1f} ms"
        )
        with serve(url, tmp) as base:
            baseline, during, codes = asyncio.run(
                under_attack(base, mine, prefix, args.bad, args.attackers)
            )
        print(
            f"legitimate GET /me alone: p50 {pct(baseline, 50):.1f} ms, p95 "
            f"{pct(baseline, 95):.1f} ms ({len(baseline)} calls)"
        )
        print(
            f"  while {args.bad} bad keys on a known prefix are tried {args.attackers} at a "
            f"time: p50 {pct(during, 50):.1f} ms, p95 {pct(during, 95):.1f} ms, max "
            f"{max(during):.1f} ms ({len(during)} calls); the bad keys got "
            + ", ".join(f"{n}x {code}" for code, n in sorted(codes.items()))
        )


if __name__ == "__main__":
    main()
