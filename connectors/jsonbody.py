"""Reading JSON bodies for the JSON kinds: one error type, one cheap sniffing helper."""

from __future__ import annotations

import json
from typing import Any

from connectors.base import ParseError
from connectors.xmlsafe import check_size


def load_json(body: bytes, *, what: str) -> Any:
    """Decode a JSON body (UTF-8/16/32, BOM allowed) or raise `ParseError` naming the format."""
    check_size(body)
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"not valid {what} JSON: {exc}") from None
    except RecursionError:
        raise ParseError(f"not usable {what} JSON: nested too deeply") from None


def json_head(body: bytes, size: int = 4096) -> bytes | None:
    """Return the start of a body that looks like a JSON object, else None."""
    head = body[:size].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head if head.startswith(b"{") else None


def require_object(data: Any, *, what: str) -> dict[str, Any]:
    """Return `data` when it is a JSON object, else raise `ParseError`."""
    if not isinstance(data, dict):
        raise ParseError(f"not {what}: the JSON document is a {type(data).__name__}, not an object")
    return data
