"""`/suppliers`: the directory; read by any key, changed, imported and exported by an admin."""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel
from sqlmodel import Session

from monitor.api.deps import (
    Admin,
    Anyone,
    Id,
    Page,
    PageDep,
    SessionDep,
    SettingsDep,
)
from monitor.api.errors import AUTH, responses
from monitor.api.scope import buyer_scope
from monitor.errors import InvalidInput, MonitorError
from monitor.suppliers import service
from monitor.suppliers.exporter import export_stream
from monitor.suppliers.importer import import_stream
from monitor.suppliers.models import SupplierCreate, SupplierPublic, SupplierUpdate

router = APIRouter(prefix="/suppliers", tags=["suppliers"], responses=AUTH)
NOT_FOUND = responses(404)
Format = Literal["csv", "json"]
IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "the project's columns, an Open Supply Hub facilities download or a "
        "contributor list; CSV, a JSON array or JSON Lines",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        },
    }
}


class Problem(BaseModel):
    where: str
    reason: str


class ImportAnswer(BaseModel):
    """The same report `monitor suppliers import` prints."""

    dry_run: bool
    source_format: str
    created: int
    updated: int
    geocoded: int
    rejected: int
    summary: str
    warning_summary: list[str]
    errors: list[Problem]
    warnings: list[Problem]


@router.get("", response_model=Page[SupplierPublic], responses=NOT_FOUND)
def list_suppliers(
    session: SessionDep,
    page: PageDep,
    who: Anyone,
    country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    material: Annotated[str | None, Query(max_length=100)] = None,
    buyer_id: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="only this buyer's suppliers")
    ] = None,
) -> Page[SupplierPublic]:
    """Suppliers in id order, optionally of one country or material, or one buyer's own
    (a buyer key may ask only for its own; operators and viewers do not see who buys where)."""
    buyer_id = buyer_scope(who, buyer_id, what="suppliers")
    rows, total = service.list_shown(
        session=session, who=who, buyer_id=buyer_id, country=country, material=material,
        limit=page.limit, offset=page.offset,
    )  # fmt: skip
    return Page(items=rows, total=total)


@router.post("", status_code=201, response_model=SupplierPublic, responses=responses(409))
def create_supplier(data: SupplierCreate, session: SessionDep, who: Admin) -> SupplierPublic:
    """Add a supplier (409 when one with the same external id, or name+country+city, exists)."""
    supplier = service.create(session=session, data=data)
    session.commit()
    return service.get_shown(session=session, supplier_id=supplier.id or 0, who=who)


@router.post(
    "/import", response_model=ImportAnswer, openapi_extra=IMPORT_BODY, responses=responses(413)
)
async def import_suppliers(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    _: Admin,
    dry_run: bool = False,
    format: Format | None = None,
) -> ImportAnswer:
    """Import a CSV or JSON body; rows that fail validation are reported and skipped."""
    fmt = format or _format_of(request.headers.get("content-type", ""))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > settings.api.import_max_bytes:
            raise HTTPException(413, f"body over {settings.api.import_max_bytes} bytes")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("body", "the body is not UTF-8 text") from None
    # The import is blocking database work: run it off the event loop.
    from starlette.concurrency import run_in_threadpool

    report = await run_in_threadpool(_import, session, text, fmt, dry_run)
    return ImportAnswer.model_validate(report)


def _format_of(content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("text/csv", "text/plain", "application/csv"):
        return "csv"
    if kind in ("application/json", "application/x-ndjson", "application/jsonl"):
        return "json"
    raise InvalidInput("format", "send Content-Type text/csv or application/json, or ?format=")


def _import(session: Session, text: str, fmt: str, dry_run: bool) -> dict[str, Any]:
    try:
        report = import_stream(session=session, stream=io.StringIO(text), fmt=fmt, dry_run=dry_run)
    except MonitorError as exc:
        raise InvalidInput("body", str(exc)) from None
    session.commit()
    return report.to_dict()


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
)
def export_suppliers(session: SessionDep, _: Admin, format: Format = "csv") -> Response:
    """The whole directory in the project's format (re-importable as is)."""
    out = io.StringIO()
    export_stream(session=session, stream=out, fmt=format)
    media = "text/csv" if format == "csv" else "application/json"
    return Response(out.getvalue(), media_type=media)


@router.get("/{supplier_id}", response_model=SupplierPublic, responses=NOT_FOUND)
def get_supplier(supplier_id: Id, session: SessionDep, who: Anyone) -> SupplierPublic:
    """One supplier with its materials."""
    return service.get_shown(session=session, supplier_id=supplier_id, who=who)


@router.patch("/{supplier_id}", response_model=SupplierPublic, responses=NOT_FOUND)
def update_supplier(
    supplier_id: Id, data: SupplierUpdate, session: SessionDep, who: Admin
) -> SupplierPublic:
    """Change the fields given."""
    service.change(session=session, supplier_id=supplier_id, data=data)
    session.commit()
    return service.get_shown(session=session, supplier_id=supplier_id, who=who)


@router.delete("/{supplier_id}", status_code=204, responses=NOT_FOUND)
def delete_supplier(supplier_id: Id, session: SessionDep, _: Admin) -> Response:
    """Delete a supplier."""
    service.remove(session=session, supplier_id=supplier_id)
    session.commit()
    return Response(status_code=204)
