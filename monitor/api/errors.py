"""Errors as JSON `{"detail": ...}`: service errors mapped to 404, 409, 422, 400 and 503."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError

from monitor.errors import Conflict, InvalidInput, MonitorError, NotFound

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    detail: str


def responses(*codes: int) -> dict[int | str, dict[str, object]]:
    """Return the OpenAPI `responses` entries for these error codes."""
    words = {
        400: "the request cannot be carried out",
        401: "no key, or an unknown or revoked one",
        403: "the key's role may not do this",
        404: "not found (or not the caller's)",
        409: "clashes with what is stored",
        413: "the body is too large",
        503: "the database is unavailable",
    }
    return {code: {"model": ErrorBody, "description": words[code]} for code in codes}


AUTH = responses(401, 403)


def install(app: FastAPI) -> None:
    """Register the handlers that turn service errors into JSON answers."""

    @app.exception_handler(NotFound)
    async def _not_found(_r: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(Conflict)
    async def _conflict(_r: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(InvalidInput)
    async def _invalid(_r: Request, exc: InvalidInput) -> JSONResponse:
        detail = [{"loc": [exc.field], "msg": str(exc), "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(MonitorError)
    async def _monitor(_r: Request, exc: MonitorError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(OperationalError)
    async def _database(_r: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", str(exc.orig or exc).splitlines()[0])
        return JSONResponse({"detail": "the database is unavailable"}, status_code=503)
