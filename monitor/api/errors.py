"""Errors as JSON `{"detail": ...}`: service errors mapped to 404, 409, 422, 400 and 503."""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

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
        429: "too many failed keys from this client or on this key prefix (see Retry-After)",
        503: "the database is unavailable or busy (see Retry-After)",
    }
    return {code: {"model": ErrorBody, "description": words[code]} for code in codes}


AUTH = responses(401, 403, 429)
EXCERPT = 80  # characters of a refused input echoed back: enough to spot it, never the bulk
MESSAGE = 300


def safe_text(text: str, limit: int) -> str:
    """Return `text` cut to `limit` characters, lone surrogates written as escapes."""
    text = text.encode("utf-8", "backslashreplace").decode()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def excerpt(value: Any) -> Any:
    """Return a short stand-in for an input value that JSON can always carry."""
    if value is None or isinstance(value, bool) or (isinstance(value, int) and abs(value) < 2**53):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple | dict):
        value = json.dumps(value, default=str)[: EXCERPT + 1]  # ASCII: escapes surrogates
    return safe_text(str(value), EXCERPT)


def validation_detail(errors: Any) -> list[dict[str, Any]]:
    """Return pydantic's errors with every echoed value short and encodable."""
    detail = []
    for error in errors:
        entry: dict[str, Any] = {
            "type": safe_text(str(error.get("type", "value_error")), 64),
            "loc": [p if isinstance(p, int) else safe_text(str(p), 64) for p in error["loc"]],
            "msg": safe_text(str(error.get("msg", "")), MESSAGE),
        }
        if "input" in error:
            entry["input"] = excerpt(error["input"])
        if error.get("ctx"):
            entry["ctx"] = {safe_text(str(k), 64): excerpt(v) for k, v in error["ctx"].items()}
        detail.append(entry)
    return detail


def install(app: FastAPI) -> None:
    """Register the handlers that turn service errors into JSON answers."""

    @app.exception_handler(RequestValidationError)
    async def _validation(_r: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes each input whole, and fails (a 500) on one it cannot
        # encode: NaN, a lone surrogate. This one never echoes more than an excerpt.
        return JSONResponse({"detail": validation_detail(exc.errors())}, status_code=422)

    @app.exception_handler(NotFound)
    async def _not_found(_r: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(Conflict)
    async def _conflict(_r: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(InvalidInput)
    async def _invalid(_r: Request, exc: InvalidInput) -> JSONResponse:
        detail = [{"loc": [exc.field], "msg": safe_text(str(exc), MESSAGE), "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(MonitorError)
    async def _monitor(_r: Request, exc: MonitorError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(DataError)
    async def _data(_r: Request, exc: DataError) -> JSONResponse:
        # A value the schema allowed but the database cannot hold (a NUL byte in PostgreSQL).
        reason = str(exc.orig or exc).splitlines()[0]
        detail = [
            {"loc": ["body"], "msg": f"a value cannot be stored: {reason}", "type": "value_error"}
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(IntegrityError)
    async def _integrity(_r: Request, exc: IntegrityError) -> JSONResponse:
        log.info("integrity error: %s", str(exc.orig or exc).splitlines()[0])
        return JSONResponse({"detail": "clashes with what is stored"}, status_code=409)

    @app.exception_handler(OperationalError)
    async def _database(_r: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", str(exc.orig or exc).splitlines()[0])
        return JSONResponse({"detail": "the database is unavailable"}, status_code=503)
