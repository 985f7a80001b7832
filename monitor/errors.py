"""Errors an operator can act on: each says what is wrong and how to fix it."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class MonitorError(Exception):
    """A problem reported to the operator as one line, without a traceback."""


class NotFound(MonitorError):
    """The thing asked for does not exist (or is not the caller's to see): HTTP 404."""


class Conflict(MonitorError):
    """The change clashes with what is stored, such as a duplicate URL: HTTP 409."""


class InvalidInput(MonitorError):
    """A value the caller gave is unusable: HTTP 422 naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def explain(exc: ValidationError) -> str:
    """Return a validation error as one line: `field: reason; field: reason`."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def validated(model: type[M], **fields: Any) -> M:
    """Build `model` from keyword fields, or raise InvalidInput naming the first bad field."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]["loc"]
        raise InvalidInput(".".join(str(p) for p in first) or "record", explain(exc)) from None
