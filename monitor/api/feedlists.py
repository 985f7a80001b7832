"""`/feeds/catalogue`: the curated catalogue of real feeds, listed and added (operator, admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from monitor.api.deps import SessionDep, SettingsDep, Staff
from monitor.api.errors import AUTH
from monitor.feeds import catalogue
from monitor.feeds.models import CatalogueAdded, CatalogueEntry

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
