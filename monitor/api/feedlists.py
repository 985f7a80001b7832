"""Feed lists (operator, admin): the curated catalogue (`/feeds/catalogue`), and OPML import
and export (`/feeds/import`, `/feeds/export`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from monitor.api.deps import SessionDep, SettingsDep, Staff
from monitor.api.errors import AUTH, responses
from monitor.feeds import catalogue, opml, transfer
from monitor.feeds.models import CatalogueAdded, CatalogueEntry, OpmlImported

router = APIRouter(prefix="/feeds", tags=["feeds"], responses=AUTH)

GroupQuery = Annotated[str | None, Query(max_length=40, description="one group (default: all)")]


class CatalogueAdd(BaseModel):
    group: str | None = Field(default=None, max_length=40, description="one group's feeds")
    all: bool = Field(default=False, description="every group's feeds")


@router.get("/catalogue", response_model=list[CatalogueEntry])
def list_catalogue(_: Staff, group: GroupQuery = None) -> list[CatalogueEntry]:
    """The curated catalogue of real public feeds, by group (docs/catalogue.md)."""
    return catalogue.select_entries(group=group, everything=group is None)


@router.post("/catalogue/add", response_model=CatalogueAdded)
def add_catalogue(
    data: CatalogueAdd, session: SessionDep, settings: SettingsDep, _: Staff
) -> CatalogueAdded:
    """Register a catalogue group's feeds (or all); those already registered are left alone."""
    chosen = catalogue.select_entries(group=data.group, everything=data.all)
    done = catalogue.add_entries(session=session, settings=settings, chosen=chosen)
    session.commit()
    return done


OPML_MEDIA = "text/x-opml"
OPML_BODY = {
    "requestBody": {
        "required": True,
        "description": "an OPML 2.0 file, UTF-8, as feed readers export it",
        "content": {OPML_MEDIA: {"schema": {"type": "string"}}},
    }
}


REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"description": "not a plain UTF-8 OPML list, or an unusable address: nothing imported"}
}


@router.post(
    "/import",
    response_model=OpmlImported,
    openapi_extra=OPML_BODY,
    responses={**responses(413), **REFUSED},
)
async def import_opml(
    request: Request, session: SessionDep, settings: SettingsDep, _: Staff
) -> OpmlImported:
    """Add the feeds of an OPML body (folders and categories become tags, duplicates skipped);
    a file with one unusable address or that is not plain OPML imports nothing."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > opml.MAX_BYTES:
            raise HTTPException(413, f"body over {opml.MAX_BYTES} bytes")
    # Parsing and adding are blocking work: off the event loop.
    done = await run_in_threadpool(
        transfer.import_opml, session=session, settings=settings, body=bytes(body)
    )
    session.commit()
    return done


@router.get("/export", response_class=Response, responses={200: {"content": {OPML_MEDIA: {}}}})
def export_opml(session: SessionDep, _: Staff, format: Literal["opml"] = "opml") -> Response:
    """Every feed as OPML 2.0: its first tag as a folder, the others as `category`."""
    return Response(transfer.export_opml(session=session), media_type=OPML_MEDIA)
