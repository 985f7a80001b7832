"""Rows that belong to a buyer (alerts, watches): a buyer key reads only its own."""

from __future__ import annotations

from typing import Protocol, TypeVar

from sqlmodel import Session

from monitor.errors import NotFound


class Owned(Protocol):
    buyer_id: int


T = TypeVar("T", bound=Owned)


def get_owned(
    *, session: Session, model: type[T], row_id: int, buyer_id: int | None, noun: str
) -> T:
    """Return the row with this id; with `buyer_id`, only one of that buyer's (else NotFound)."""
    row = session.get(model, row_id)
    if row is None or (buyer_id is not None and row.buyer_id != buyer_id):
        raise NotFound(f"no {noun} with id {row_id}")
    return row
