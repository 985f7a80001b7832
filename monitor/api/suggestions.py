"""`/suggestions`: alternative small suppliers outside the affected places."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import StringConstraints, TypeAdapter

from monitor.api.deps import Anyone, BuyerQuery, SessionDep, SettingsDep, own_buyer
from monitor.api.errors import AUTH, responses
from monitor.api.scope import buyer_scope
from monitor.buyers.service import get_buyer
from monitor.errors import InvalidInput, MonitorError
from monitor.suggestions import Need, suggest
from monitor.suggestions.areas import areas_from_query
from monitor.suggestions.result import Suggestions

router = APIRouter(tags=["suggestions"], responses=AUTH)
Country = Annotated[str, StringConstraints(pattern="^[A-Za-z]{2}$")]
Subdivision = Annotated[str, StringConstraints(pattern="^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$")]
Certification = Annotated[str, StringConstraints(min_length=1, max_length=60)]
ANSWER = TypeAdapter(Suggestions)


@router.get("/suggestions", response_model=Suggestions, responses=responses(403, 404))
def suggestions(
    session: SessionDep,
    settings: SettingsDep,
    who: Anyone,
    material: Annotated[str, Query(min_length=1, max_length=100, description="name or HS")],
    exclude_country: Annotated[list[Country], Query(description="ISO alpha-2")] = [],  # noqa: B006
    exclude_subdivision: Annotated[list[Subdivision], Query(description="ISO 3166-2")] = [],  # noqa: B006
    near: Annotated[str | None, Query(max_length=60, description="LAT,LON")] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=20000)] = None,
    buyer_id: BuyerQuery = None,
    quantity: Annotated[float | None, Query(ge=0, le=1e12)] = None,
    max_lead_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
    cert: Annotated[list[Certification], Query(description="wanted certifications")] = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Suggestions:
    """Suppliers of the material (or a substitute) outside every excluded area, ranked
    (`buyer_id`: an admin any buyer's, a buyer key its own; operator and viewer keys get 403)."""
    # Ranking for a buyer reads its suppliers and country shares into the reasons.
    buyer = own_buyer(who, buyer_scope(who, buyer_id, what="suppliers"))
    if buyer is not None:
        get_buyer(session=session, buyer_id=buyer)
    areas = areas_from_query(
        countries=exclude_country, subdivisions=exclude_subdivision, near=near, radius_km=radius_km
    )
    need = Need(quantity=quantity, max_lead_days=max_lead_days, certifications=cert)
    try:
        result = suggest(
            material, areas, buyer, limit, session=session, need=need, settings=settings
        )
    except MonitorError as exc:
        raise InvalidInput("material", str(exc)) from None
    return ANSWER.validate_python(result.to_dict())
