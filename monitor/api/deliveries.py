"""`/deliveries`: how each alert reached (or failed to reach) its buyer, and why not."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from monitor.alerts.models import DeliveryPublic
from monitor.api.deps import ID_MAX, BuyerQuery, Page, PageDep, SessionDep, allow, own_buyer
from monitor.api.errors import AUTH, responses
from monitor.delivery.store import list_deliveries
from monitor.keys.service import Principal

router = APIRouter(prefix="/deliveries", tags=["alerts"], responses=AUTH)
Reader = Annotated[Principal, Depends(allow("admin", "operator", "buyer"))]
Status = Literal["pending", "delivered", "failed", "gave_up"]


@router.get("", response_model=Page[DeliveryPublic], responses=responses(404))
def deliveries(
    session: SessionDep,
    page: PageDep,
    who: Reader,
    buyer_id: BuyerQuery = None,
    alert_id: Annotated[int | None, Query(ge=1, le=ID_MAX, description="one alert's")] = None,
    status: Status | None = None,
) -> Page[DeliveryPublic]:
    """Deliveries, newest first, with the last error: a buyer key sees its own."""
    rows, total = list_deliveries(
        session=session, buyer_id=own_buyer(who, buyer_id), alert_id=alert_id, status=status,
        limit=page.limit, offset=page.offset,
    )  # fmt: skip
    return Page(items=[DeliveryPublic.model_validate(d) for d in rows], total=total)
