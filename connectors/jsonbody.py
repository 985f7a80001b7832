"""Reading JSON bodies for the JSON kinds: one error type, one cheap sniffing helper."""

from __future__ import annotations

from typing import Any

from connectors.base import ParseError
from connectors.xmlsafe import check_size
from monitor import strictjson


def load_json(body: bytes, *, what: str) -> Any:
    """Decode a JSON body (UTF-8/16/32, BOM allowed) or raise `ParseError` naming the format.

    NaN, Infinity and numbers too large for a float read as null: a feed's one odd value
    should cost that value, not the feed.
    """
    check_size(body)
    try:
        return strictjson.loads(body, non_finite="null")
    except strictjson.JsonError as exc:
        raise ParseError(f"not valid {what} JSON: {exc}") from None


def json_head(body: bytes, size: int = 4096) -> bytes | None:
    """Return the start of a body that looks like a JSON object, else None."""
    head = body[:size].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head if head.startswith(b"{") else None


def require_object(data: Any, *, what: str) -> dict[str, Any]:
    """Return `data` when it is a JSON object, else raise `ParseError`."""
    if not isinstance(data, dict):
        raise ParseError(f"not {what}: the JSON document is a {type(data).__name__}, not an object")
    return data
