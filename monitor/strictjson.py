"""JSON read from untrusted files and feeds: finite numbers only, nesting bounded, one error type.

Python's `json` accepts `NaN`, `Infinity` and `1e999` (which becomes `inf`), none of which is
JSON, and raises `RecursionError` on deeply nested input; both then crash or poison whatever
reads the value. Everything that reads hostile JSON goes through `loads` instead.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 64  # far deeper than any feed, item or supplier record; far shallower than the stack


class JsonError(ValueError):
    """Input that is not usable JSON; the message is one line."""


def _refuse_constant(name: str) -> Any:
    raise JsonError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonError(f"number {text[:20]} is too large")
    return value


def _none_if_huge(text: str) -> float | None:
    value = float(text)
    return value if math.isfinite(value) else None


def loads(data: str | bytes, *, non_finite: str = "refuse", max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON; `non_finite="null"` reads NaN/Infinity/overflow as None instead of refusing."""
    lenient = non_finite == "null"
    try:
        value = json.loads(
            data,
            parse_constant=(lambda _name: None) if lenient else _refuse_constant,
            parse_float=_none_if_huge if lenient else _finite,
        )
    except JsonError:
        raise
    except json.JSONDecodeError as exc:
        raise JsonError(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except UnicodeDecodeError as exc:
        raise JsonError(f"not UTF-8/16/32 text ({exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise JsonError("nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python's 4,300-digit limit
        raise JsonError(" ".join(str(exc).split())) from None
    if too_deep(value, max_depth):
        raise JsonError(f"nested more than {max_depth} levels deep")
    return value


def too_deep(value: Any, limit: int) -> bool:
    """Return True when lists/objects nest more than `limit` levels (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = node.values()
        elif not isinstance(node, list):
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in node if isinstance(child, dict | list))
    return False


# Characters that `str.splitlines` (and some JSON Lines readers) take for line ends; JSON lets
# them stand raw inside strings, so they are escaped to keep one record on one line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps(value: Any) -> str:
    """Serialise as strict JSON on one line (non-finite numbers raise ValueError)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False).translate(_LINE_BREAKS)
