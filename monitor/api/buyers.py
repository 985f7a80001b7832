"""`/buyers` and their `/watches`: admin, or the buyer itself (never another buyer)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from monitor.api.deps import (
    ID_MAX,
    Admin,
    AdminOrBuyer,
    Id,
    Page,
    PageDep,
    SessionDep,
    own_buyer,
)
from monitor.api.errors import AUTH, responses
from monitor.buyers import destinations
from monitor.buyers import service as buyers
from monitor.buyers.models import (
    BuyerCreate,
    BuyerCreated,
    BuyerPublic,
    BuyerUpdate,
    DestinationCreate,
    DestinationPublic,
    WatchCreate,
    WatchPublic,
    WatchUpdate,
)
from monitor.matching.backtest import Backtest, backtest_draft, backtest_watch, parse_since

router = APIRouter(tags=["buyers"], responses=AUTH)
NOT_FOUND = responses(404)
Since = Annotated[str, Query(max_length=16, description="how far back: 12h, 30d, 2w")]


@router.post("/buyers", status_code=201, response_model=BuyerCreated)
def create_buyer(data: BuyerCreate, session: SessionDep, _: Admin) -> BuyerCreated:
    """Create a buyer; the answer carries its webhook secret, shown only this once."""
    created = buyers.create_buyer(session=session, data=data)
    session.commit()
    return created


@router.get("/buyers", response_model=Page[BuyerPublic])
def list_buyers(session: SessionDep, page: PageDep, _: Admin) -> Page[BuyerPublic]:
    """List buyers."""
    rows, total = buyers.list_buyers(session=session, limit=page.limit, offset=page.offset)
    return Page(items=[BuyerPublic.model_validate(b) for b in rows], total=total)


@router.get("/buyers/{buyer_id}", response_model=BuyerPublic, responses=NOT_FOUND)
def get_buyer(buyer_id: Id, session: SessionDep, who: AdminOrBuyer) -> BuyerPublic:
    """One buyer (a buyer key reads only itself)."""
    buyer = buyers.get_buyer(session=session, buyer_id=own_buyer(who, buyer_id) or buyer_id)
    return BuyerPublic.model_validate(buyer)


@router.patch("/buyers/{buyer_id}", response_model=BuyerPublic, responses=NOT_FOUND)
def update_buyer(
    buyer_id: Id, data: BuyerUpdate, session: SessionDep, who: AdminOrBuyer
) -> BuyerPublic:
    """Change a buyer's name, e-mail, webhook URL or digest interval."""
    own_buyer(who, buyer_id)
    updated = buyers.update_buyer(session=session, buyer_id=buyer_id, data=data)
    session.commit()
    return updated


@router.post("/buyers/{buyer_id}/rotate-secret", response_model=BuyerCreated, responses=NOT_FOUND)
def rotate_secret(buyer_id: Id, session: SessionDep, who: AdminOrBuyer) -> BuyerCreated:
    """Give the buyer a new webhook secret, shown only this once."""
    own_buyer(who, buyer_id)
    rotated = buyers.rotate_secret(session=session, buyer_id=buyer_id)
    session.commit()
    return rotated


@router.post(
    "/buyers/{buyer_id}/destinations",
    status_code=201,
    response_model=DestinationPublic,
    responses=responses(404, 409),
)
def add_destination(
    buyer_id: Id, data: DestinationCreate, session: SessionDep, who: AdminOrBuyer
) -> DestinationPublic:
    """Alert the buyer in Slack or Teams too; the URL is a secret, shown masked from now on."""
    own_buyer(who, buyer_id)
    buyers.get_buyer(session=session, buyer_id=buyer_id)
    added = destinations.add_destination(session=session, buyer_id=buyer_id, data=data)
    session.commit()
    return added


@router.get(
    "/buyers/{buyer_id}/destinations", response_model=list[DestinationPublic], responses=NOT_FOUND
)
def list_destinations(
    buyer_id: Id, session: SessionDep, who: AdminOrBuyer
) -> list[DestinationPublic]:
    """A buyer's Slack and Teams destinations, URLs masked (operators and viewers: 403)."""
    own_buyer(who, buyer_id)
    buyers.get_buyer(session=session, buyer_id=buyer_id)
    return destinations.list_destinations(session=session, buyer_id=buyer_id)


@router.delete(
    "/buyers/{buyer_id}/destinations/{destination_id}", status_code=204, responses=NOT_FOUND
)
def delete_destination(
    buyer_id: Id, destination_id: Id, session: SessionDep, who: AdminOrBuyer
) -> Response:
    """Stop alerting the buyer at this destination."""
    own_buyer(who, buyer_id)
    destinations.delete_destination(
        session=session, buyer_id=buyer_id, destination_id=destination_id
    )
    session.commit()
    return Response(status_code=204)


@router.post(
    "/buyers/{buyer_id}/watches", status_code=201, response_model=WatchPublic, responses=NOT_FOUND
)
def create_watch(
    buyer_id: Id, data: WatchCreate, session: SessionDep, who: AdminOrBuyer
) -> WatchPublic:
    """Add a watch: materials, countries, subdivisions, sites and lanes the buyer depends on."""
    own_buyer(who, buyer_id)
    watch = buyers.create_watch(session=session, buyer_id=buyer_id, data=data)
    session.commit()
    return watch


@router.get("/buyers/{buyer_id}/watches", response_model=Page[WatchPublic], responses=NOT_FOUND)
def list_watches(
    buyer_id: Id, session: SessionDep, page: PageDep, who: AdminOrBuyer
) -> Page[WatchPublic]:
    """A buyer's watches."""
    own_buyer(who, buyer_id)
    buyers.get_buyer(session=session, buyer_id=buyer_id)
    rows, total = buyers.list_watches(
        session=session, buyer_id=buyer_id, limit=page.limit, offset=page.offset
    )
    return Page(items=rows, total=total)


@router.post("/watches/backtest", response_model=Backtest, responses=NOT_FOUND)
def backtest_unsaved(
    data: WatchCreate,
    session: SessionDep,
    who: AdminOrBuyer,
    since: Since = "30d",
    buyer_id: Annotated[int | None, Query(ge=1, le=ID_MAX, description="admin: for whom")] = None,
) -> Backtest:
    """Backtest a draft watch (the body `POST /buyers/{id}/watches` takes); stores nothing."""
    owner = own_buyer(who, buyer_id)
    if owner is not None:
        buyers.get_buyer(session=session, buyer_id=owner)
    return backtest_draft(session=session, data=data, since=parse_since(since), buyer_id=owner or 0)


@router.get("/watches/{watch_id}", response_model=WatchPublic, responses=NOT_FOUND)
def get_watch(watch_id: Id, session: SessionDep, who: AdminOrBuyer) -> WatchPublic:
    """One watch."""
    watch = buyers.get_watch(session=session, watch_id=watch_id, buyer_id=own_buyer(who, None))
    return WatchPublic.model_validate(watch)


@router.get("/watches/{watch_id}/backtest", response_model=Backtest, responses=NOT_FOUND)
def backtest(
    watch_id: Id,
    session: SessionDep,
    who: AdminOrBuyer,
    since: Since = "30d",
) -> Backtest:
    """The stored incidents this watch would have alerted on, newest first; sends nothing."""
    return backtest_watch(
        session=session, watch_id=watch_id, since=parse_since(since),
        buyer_id=own_buyer(who, None),
    )  # fmt: skip


@router.patch("/watches/{watch_id}", response_model=WatchPublic, responses=NOT_FOUND)
def update_watch(
    watch_id: Id, data: WatchUpdate, session: SessionDep, who: AdminOrBuyer
) -> WatchPublic:
    """Change the fields given."""
    updated = buyers.update_watch(
        session=session, watch_id=watch_id, data=data, buyer_id=own_buyer(who, None)
    )
    session.commit()
    return updated


@router.delete("/watches/{watch_id}", status_code=204, responses=NOT_FOUND)
def delete_watch(watch_id: Id, session: SessionDep, who: AdminOrBuyer) -> Response:
    """Delete a watch."""
    buyers.delete_watch(session=session, watch_id=watch_id, buyer_id=own_buyer(who, None))
    session.commit()
    return Response(status_code=204)
