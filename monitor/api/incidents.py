"""`/incidents`: disruptions clustered from every report, filtered; detail; every source."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from monitor.api.deps import Anyone, BuyerQuery, Page, PageDep, SessionDep, SettingsDep, own_buyer
from monitor.api.errors import AUTH, responses
from monitor.errors import InvalidInput
from monitor.incidents import service as incidents
from monitor.incidents.models import IncidentPublic, IncidentSource, IncidentStatus
from monitor.matching import affected

router = APIRouter(prefix="/incidents", tags=["incidents"], responses=AUTH)
Severity = Literal["low", "medium", "high", "critical"]
Impact = Literal[
    "port_closure",
    "port_congestion",
    "route_blockage",
    "sailings_cancelled",
    "production_halt",
    "power_outage",
    "export_halt",
    "transport_suspension",
    "shortage",
]  # monitor.vocab.IMPACTS, spelled out for OpenAPI (a test checks they agree)


@router.get("", response_model=Page[IncidentPublic])
def list_incidents(
    session: SessionDep,
    page: PageDep,
    _: Anyone,
    status: IncidentStatus | None = None,
    event_type: Annotated[str | None, Query(max_length=32, description="e.g. strike")] = None,
    country: Annotated[
        str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")
    ] = None,
    material: Annotated[str | None, Query(max_length=100, description="name or HS")] = None,
    impact: Annotated[
        Impact | None, Query(description="what happened to supply, e.g. port_closure")
    ] = None,
    severity: Annotated[Severity | None, Query(description="this severity or worse")] = None,
    since: Annotated[datetime | None, Query(description="last seen at or after")] = None,
) -> Page[IncidentPublic]:
    """Incidents, most recently seen first."""
    rows, total = incidents.list_incidents(
        session=session, status=status, event_type=event_type,
        country=country, material=material, impact=impact, severity=severity,
        since=since, limit=page.limit, offset=page.offset,
    )  # fmt: skip
    return Page(items=[IncidentPublic.model_validate(i) for i in rows], total=total)


class AffectedSupplier(BaseModel):
    """One of the buyer's suppliers that an open incident hits, and what overlapped."""

    supplier_id: int
    incident_id: str
    title: str
    places: list[str]
    materials: list[str]


class WatchHit(BaseModel):
    """One of the buyer's written watches that an open incident hits, and what overlapped."""

    watch_id: int
    name: str
    incident_id: str
    title: str
    places: list[str]
    materials: list[str]


class AffectedSuppliers(Page[AffectedSupplier]):
    """The affected suppliers, and the written watches open incidents hit (suppliers or not)."""

    watch_hits: list[WatchHit]


@router.get("/affected-suppliers", response_model=AffectedSuppliers, responses=responses(403))
def affected_suppliers(
    session: SessionDep, settings: SettingsDep, who: Anyone, buyer_id: BuyerQuery = None
) -> AffectedSuppliers:
    """The buyer's own suppliers that open incidents hit: the rule its supplier alerts follow;
    and in `watch_hits` its written watches they hit, which alert it whether or not a supplier
    is hit (a buyer key: its own; admin: `?buyer_id=`)."""
    if who.role in ("operator", "viewer"):
        raise HTTPException(403, f"a {who.role} key may not see a buyer's suppliers")
    buyer = own_buyer(who, buyer_id)
    if buyer is None:
        raise InvalidInput("buyer_id", "an admin key names the buyer whose suppliers to show")
    found = affected.affected(
        session=session, buyer_id=buyer, radius_km=settings.matching.supplier_watch_radius_km
    )
    return AffectedSuppliers(
        items=[AffectedSupplier(**f) for f in found.suppliers],
        total=len(found.suppliers),
        watch_hits=[WatchHit(**w) for w in found.watches],
    )


@router.get("/{incident_id}", response_model=IncidentPublic, responses=responses(404))
def get_incident(incident_id: str, session: SessionDep, _: Anyone) -> IncidentPublic:
    """One incident with its sources and evidence."""
    incident = incidents.get_incident(session=session, incident_id=incident_id[:64])
    return IncidentPublic.model_validate(incident)


@router.get("/{incident_id}/sources", response_model=Page[IncidentSource], responses=responses(404))
def list_sources(
    incident_id: str, session: SessionDep, page: PageDep, _: Anyone
) -> Page[IncidentSource]:
    """Every report of the incident, earliest published first (the incident itself carries
    its first and latest sources, and `source_count`)."""
    rows, total = incidents.list_sources(
        session=session, incident_id=incident_id[:64], limit=page.limit, offset=page.offset
    )
    return Page(items=rows, total=total)
