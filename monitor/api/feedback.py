"""Buyers' feedback: missed events (the buyer and admins; operators without the notes) and the
feedback counts operators see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from monitor.api.deps import (
    AdminOrBuyer,
    BuyerQuery,
    Id,
    Page,
    PageDep,
    SessionDep,
    Staff,
    allow,
    own_buyer,
)
from monitor.api.errors import AUTH, responses
from monitor.api.scope import buyer_scope
from monitor.buyers import service as buyers
from monitor.feedback import counts
from monitor.feedback import service as feedback
from monitor.feedback.models import FeedbackCounts, MissedEventCreate, MissedEventPublic
from monitor.keys.service import Principal

router = APIRouter(tags=["feedback"], responses=AUTH)
NOT_FOUND = responses(404)
StaffOrBuyer = Annotated[Principal, Depends(allow("admin", "operator", "buyer"))]


@router.post(
    "/buyers/{buyer_id}/missed-events",
    status_code=201,
    response_model=MissedEventPublic,
    responses=NOT_FOUND,
)
def report_missed(
    buyer_id: Id, data: MissedEventCreate, session: SessionDep, who: AdminOrBuyer
) -> MissedEventPublic:
    """Report an event the buyer was not alerted to: the http(s) address of a report, a note."""
    own_buyer(who, buyer_id)
    buyers.get_buyer(session=session, buyer_id=buyer_id)
    row = feedback.report_missed(session=session, buyer_id=buyer_id, data=data)
    session.commit()
    return feedback.public_missed(row, with_note=True)


@router.get(
    "/buyers/{buyer_id}/missed-events",
    response_model=Page[MissedEventPublic],
    responses=NOT_FOUND,
)
def list_buyer_missed(
    buyer_id: Id, session: SessionDep, page: PageDep, who: AdminOrBuyer
) -> Page[MissedEventPublic]:
    """A buyer's missed-event reports, newest first, with its notes."""
    own_buyer(who, buyer_id)
    buyers.get_buyer(session=session, buyer_id=buyer_id)
    rows, total = feedback.list_missed(
        session=session, buyer_id=buyer_id, limit=page.limit, offset=page.offset
    )
    return Page(items=[feedback.public_missed(r, with_note=True) for r in rows], total=total)


@router.get("/missed-events", response_model=Page[MissedEventPublic], responses=NOT_FOUND)
def list_missed(
    session: SessionDep, page: PageDep, who: StaffOrBuyer, buyer_id: BuyerQuery = None
) -> Page[MissedEventPublic]:
    """Missed-event reports, newest first: a buyer key its own, an admin all (or `buyer_id`'s),
    an operator all without the buyers' notes (`note` is null)."""
    scope = buyer_scope(who, buyer_id, what="missed events")
    scope = own_buyer(who, scope)
    rows, total = feedback.list_missed(
        session=session, buyer_id=scope, limit=page.limit, offset=page.offset
    )
    notes = who.role != "operator"
    return Page(items=[feedback.public_missed(r, with_note=notes) for r in rows], total=total)


@router.get("/feedback", response_model=FeedbackCounts)
def feedback_counts(session: SessionDep, _: Staff) -> FeedbackCounts:
    """False alarms by reason and missed events reported: counts only, never a note."""
    return counts.totals(session=session)
