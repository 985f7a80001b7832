"""Which buyer's data a key may ask for by `?buyer_id=`: the one rule every route shares."""

from __future__ import annotations

from fastapi import HTTPException

from monitor.api.deps import own_buyer
from monitor.keys.service import Principal


def buyer_scope(who: Principal, buyer_id: int | None, *, what: str) -> int | None:
    """Return the `buyer_id` asked for when the key may: an admin any, a buyer its own (else
    404), operators and viewers none (403); None when none was asked for.

    The 403 comes before any look-up, so operators and viewers cannot tell which ids exist.
    """
    if buyer_id is None:
        return None
    if who.role in ("operator", "viewer"):
        raise HTTPException(403, f"a {who.role} key may not read a buyer's {what}")
    return own_buyer(who, buyer_id)
