"""`GET /me`: who the presented key belongs to, so a client can pick what to show."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from monitor.api.deps import Anyone
from monitor.api.errors import AUTH

router = APIRouter(tags=["keys"], responses=AUTH)


class Me(BaseModel):
    """The key's role, and for a buyer key its buyer."""

    role: str
    buyer_id: int | None


@router.get("/me", response_model=Me)
def me(who: Anyone) -> Me:
    """Return the calling key's role and buyer (null unless a buyer key)."""
    return Me(role=who.role, buyer_id=who.buyer_id)
