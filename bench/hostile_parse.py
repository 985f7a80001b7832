"""Parse 10 MB feeds built to be slow or big; print seconds, items and peak memory per case.

Each case runs in its own child process, which reads the body from a file and reports its
peak resident memory (VmHWM) above what it held once the body was read (Linux only).
Baseline, measured in the same run on the same body: the bare decoding step (expat or
`json.loads`), so the ratio shows what a full parse costs on top of reading the bytes.
The bodies repeat real entries from the shared fixtures.

    .venv/bin/python bench/hostile_parse.py [--size MB] [--code DIR] [--timeout S] [--case TEXT]

`--code DIR` parses with the project tree in DIR (e.g. an export of an older commit), so
before/after figures come from the same script and machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def _rss_items(body: bytes, item: bytes, size: int) -> bytes:
    head = body.split(b"<item>")[0]
    count = size // len(item)
    return head + b"".join(item.replace(b"</title>", b" %d</title>" % n, 1) for n in range(count))


def _first_item(body: bytes) -> bytes:
    return b"<item>" + body.split(b"<item>")[1].split(b"</item>")[0] + b"</item>"


def cases(size: int) -> dict[str, tuple[str, bytes]]:
    """Return name -> (kind, body) of every case, each about `size` bytes."""

    def rss(item: bytes) -> bytes:
        return _rss_items(news, item, size) + close

    def gd(item: bytes) -> bytes:
        return _rss_items(gdacs, item, size) + close

    news = (FIXTURES / "rss/rss_2.0_nbcny.xml").read_bytes()
    small = _first_item(news).split(b"<description>")[0] + b"</item>"
    gdacs = (FIXTURES / "gdacs/gdacs-rss-7d.xml").read_bytes()
    usgs = json.loads((FIXTURES / "usgs/all_week.geojson").read_bytes())
    features = usgs["features"]
    tiny_feature = {"type": "Feature", "properties": {"mag": 1, "place": "x"}, "id": "a"}
    close = b"</channel></rss>"
    html = b"<p><b>Port</b> closed <a href='https://example.org/'>more</a></p>"
    n, depth = size // len(html), size // 8
    escaped = html.replace(b"<", b"&lt;").replace(b">", b"&gt;")
    rss_head = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
    one = rss_head + b"<item><title>T</title><description>%s</description></item>" + close
    return {
        "rss, many tiny items": ("rss", rss(b"<item><title>Port strike</title></item>")),
        "rss, many small items": ("rss", rss(small)),
        "rss, real items repeated": ("rss", rss(_first_item(news))),
        "rss, one item of HTML": ("rss", one % (b"<![CDATA[" + html * n + b"]]>")),
        "rss, one item of escaped HTML": ("rss", one % (escaped * (size // len(escaped)))),
        "rss, one deeply nested item": ("rss", one % (b"<x>" * depth + b"</x>" * depth)),
        "gdacs, real items repeated": ("gdacs", gd(_first_item(gdacs))),
        "gdacs, many tiny items": ("gdacs", gd(b"<item><title>x</title></item>")),
        "usgs, real features repeated": ("usgs", json.dumps({**usgs, "features": [
            {**features[n % len(features)], "id": f"f{n}"}
            for n in range(size // len(json.dumps(features[0])))]}).encode()),
        "usgs, many tiny features": ("usgs", json.dumps({"type": "FeatureCollection", "features": [
            tiny_feature] * (size // len(json.dumps(tiny_feature)))}).encode()),
    }  # fmt: skip


def _peak_bytes() -> int:
    # VmHWM, not ru_maxrss: Linux carries the parent's peak into a forked child's ru_maxrss.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def child(path: str, kind: str, baseline: bool) -> None:
    """Parse one body and print one JSON line: seconds, items, extra peak memory (bytes)."""
    from xml.parsers import expat

    from connectors import registry
    from connectors.base import ParseError

    registry.get(kind)  # imports done before the memory mark: only the parse is measured
    body = Path(path).read_bytes()
    before = _peak_bytes()
    start = time.perf_counter()
    items: object = None
    if baseline:
        if body.lstrip().startswith(b"{"):
            json.loads(body)
        else:
            with contextlib.suppress(expat.ExpatError):
                expat.ParserCreate().Parse(body, True)
    else:
        try:
            items = len(registry.parse(body, kind=kind))
        except ParseError as exc:
            items = f"error: {str(exc)[:60]}"
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "items": items, "extra": _peak_bytes() - before}))


def run_child(code: Path, path: Path, kind: str, baseline: bool, timeout: float) -> dict:
    """Run one case in a fresh interpreter with `code` first on the path."""
    args = [sys.executable, __file__, "--child", str(path), kind]
    env = {**os.environ, "PYTHONPATH": str(code)}
    try:
        out = subprocess.run(
            [*args, *(["--baseline"] if baseline else [])],
            capture_output=True, text=True, timeout=timeout, env=env, check=True, cwd=code,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"seconds": float("inf"), "items": "timed out", "extra": 0}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    """Run every case and print one line per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=10.0, help="body size in MB")
    parser.add_argument("--code", type=Path, default=ROOT, help="project tree to parse with")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per case")
    parser.add_argument("--case", default="", help="run only the cases whose name has this")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "KIND"), help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, baseline=args.baseline)
        return
    print(f"code: {args.code}; {os.cpu_count()} cores; bodies of about {args.size:g} MB")
    print(f"{'case':<32}{'MB':>6}{'items':>8}{'s':>8}{'base s':>8}{'x base':>8}"
          f"{'peak MB':>9}{'x body':>8}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for name, (kind, body) in cases(int(args.size * 1024 * 1024)).items():
            if args.case not in name:
                continue
            path = Path(tmp) / "body"
            path.write_bytes(body)
            base = run_child(args.code, path, kind, True, args.timeout)
            full = run_child(args.code, path, kind, False, args.timeout)
            mb = len(body) / 1e6
            print(
                f"{name:<32}{mb:>6.1f}{full['items']!s:>8}{full['seconds']:>8.1f}"
                f"{base['seconds']:>8.2f}{full['seconds'] / max(base['seconds'], 1e-6):>8.0f}"
                f"{full['extra'] / 1e6:>9.0f}{full['extra'] / len(body):>8.1f}"
            )


if __name__ == "__main__":
    main()
