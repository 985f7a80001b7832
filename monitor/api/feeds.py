"""`/feeds`: what the connectors poll, with health and false-alarm counts (operator, admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from monitor.api.deps import Id, Page, PageDep, SessionDep, SettingsDep, Staff
from monitor.api.errors import AUTH, responses
from monitor.feeds import service as feeds
from monitor.feeds.models import FeedCreate, FeedHealth, FeedUpdate, Noise

router = APIRouter(prefix="/feeds", tags=["feeds"], responses=AUTH)


class CheckRequest(BaseModel):
    url: str = Field(max_length=2048)
    kind: str | None = Field(default=None, max_length=32)


class CheckAnswer(BaseModel):
    url: str
    status: int | None
    kind: str | None
    items: list[dict[str, Any]]
    new_ids: list[str]
    moved_to: str | None
    error: str | None


@router.post("", status_code=201, response_model=FeedHealth, responses=responses(409))
def add_feed(data: FeedCreate, session: SessionDep, _: Staff) -> FeedHealth:
    """Add a feed to poll (its kind is detected on the first fetch when not given)."""
    feed = feeds.add_feed(session=session, data=data)
    session.commit()
    return feeds.health(session=session, feeds=[feed])[0]


@router.get("", response_model=Page[FeedHealth])
def list_feeds(session: SessionDep, page: PageDep, _: Staff) -> Page[FeedHealth]:
    """List feeds with their state, last error and false-alarm counts."""
    rows = feeds.list_feeds(session=session, limit=page.limit, offset=page.offset)
    total = feeds.count_feeds(session=session)
    return Page(items=feeds.health(session=session, feeds=rows), total=total)


@router.get("/noise", response_model=Noise)
def noise(session: SessionDep, _: Staff) -> Noise:
    """False alarms per feed and per watch (rule), so noisy sources stand out."""
    return feeds.noise(session=session)


@router.post("/check", response_model=CheckAnswer)
def check_feed(
    data: CheckRequest, session: SessionDep, settings: SettingsDep, _: Staff
) -> CheckAnswer:
    """Fetch a URL once and say what would be produced; change nothing."""
    report = feeds.check_feed(session=session, settings=settings, url=data.url, kind=data.kind)
    return CheckAnswer(
        url=report.url, status=report.status, kind=report.kind,
        items=[item.to_dict() for item in report.items], new_ids=report.new_ids,
        moved_to=report.moved_to, error=report.error,
    )  # fmt: skip


class ResetAnswer(BaseModel):
    reset: list[int] = Field(description="ids of the feeds whose errors were cleared")


@router.post("/reset-errors", response_model=ResetAnswer)
def reset_all_errors(session: SessionDep, _: Staff) -> ResetAnswer:
    """Clear every feed's error count; feeds that errors paused are polled again."""
    rows = feeds.reset_errors(session=session)
    session.commit()
    return ResetAnswer(reset=[feed.id or 0 for feed in rows])


@router.post("/{feed_id}/reset-errors", response_model=FeedHealth, responses=responses(404))
def reset_errors(feed_id: Id, session: SessionDep, _: Staff) -> FeedHealth:
    """Clear one feed's error count; if errors paused it, it is polled again."""
    feed = feeds.reset_errors(session=session, feed_id=feed_id)[0]
    session.commit()
    return feeds.health(session=session, feeds=[feed])[0]


@router.get("/{feed_id}", response_model=FeedHealth, responses=responses(404))
def get_feed(feed_id: Id, session: SessionDep, _: Staff) -> FeedHealth:
    """One feed's health record."""
    feed = feeds.get_feed(session=session, feed_id=feed_id)
    return feeds.health(session=session, feeds=[feed])[0]


@router.patch("/{feed_id}", response_model=FeedHealth, responses=responses(404))
def update_feed(feed_id: Id, data: FeedUpdate, session: SessionDep, _: Staff) -> FeedHealth:
    """Change a feed's kind, name, interval, or switch it on or off."""
    feed = feeds.update_feed(session=session, feed_id=feed_id, data=data)
    session.commit()
    return feeds.health(session=session, feeds=[feed])[0]


@router.delete("/{feed_id}", status_code=204, responses=responses(404))
def remove_feed(feed_id: Id, session: SessionDep, _: Staff) -> Response:
    """Remove a feed."""
    feeds.remove_feed(session=session, feed_id=feed_id)
    session.commit()
    return Response(status_code=204)
