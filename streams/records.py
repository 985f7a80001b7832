"""Typed messages of the pipeline's topics: plain JSON objects with a `schema` version.

`include_metadata=False` keeps Faust's own type tag out of the JSON, so producers outside
Faust (the connectors, the API, other languages) read and write the same shape.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, Optional, TypeVar

import faust
import orjson

SCHEMA = 1
OPTIONS = {"serializer": "json", "include_metadata": False}


class ItemRecord(faust.Record, **OPTIONS):
    """A normalised feed item (`items`, key: item id), as the connectors produce it."""

    id: str
    feed_id: Optional[int] = None  # noqa: UP045 - Faust reads these annotations at runtime
    kind: str = ""
    title: str = ""
    body: str = ""
    url: Optional[str] = None  # noqa: UP045
    published: Optional[str] = None  # noqa: UP045
    language: Optional[str] = None  # noqa: UP045
    lat: Optional[float] = None  # noqa: UP045
    lon: Optional[float] = None  # noqa: UP045
    bbox: Optional[list] = None  # noqa: UP045
    country_hint: Optional[list] = None  # noqa: UP045
    severity_hint: Optional[str] = None  # noqa: UP045
    event_hint: Optional[str] = None  # noqa: UP045
    categories: Optional[list] = None  # noqa: UP045
    extra: Optional[dict] = None  # noqa: UP045
    raw: str = ""
    replay: Optional[str] = None  # noqa: UP045 - the `monitor replay` run that re-sent it
    schema: int = SCHEMA


class DisruptionRecord(faust.Record, **OPTIONS):
    """A tagged disruption or recovery (`disruptions`, key: item id): DESIGN's tag output."""

    id: str
    is_disruption: bool = True
    recovery: bool = False
    event_type: Optional[str] = None  # noqa: UP045
    impacts: Optional[list] = None  # noqa: UP045 - [{type, evidence}]: what happened to supply
    countries: Optional[list] = None  # noqa: UP045
    places: Optional[list] = None  # noqa: UP045
    materials: Optional[list] = None  # noqa: UP045
    severity: Optional[str] = None  # noqa: UP045
    confidence: float = 0.0
    evidence: Optional[list] = None  # noqa: UP045
    title: Optional[str] = None  # noqa: UP045
    url: Optional[str] = None  # noqa: UP045
    published: Optional[str] = None  # noqa: UP045
    kind: Optional[str] = None  # noqa: UP045
    feed_id: Optional[int] = None  # noqa: UP045
    lat: Optional[float] = None  # noqa: UP045
    lon: Optional[float] = None  # noqa: UP045
    language: Optional[str] = None  # noqa: UP045
    area: Optional[list] = None  # noqa: UP045 - the feed's shapes (monitor/areas.py)
    routine: bool = False  # a routine weather warning (yellow, CAP Moderate or below)
    schema: int = SCHEMA


class IncidentRecord(faust.Record, **OPTIONS):
    """An incident that opened or changed (`incidents`, key: incident id)."""

    id: str
    title: str
    event_type: str
    severity: str
    status: str
    version: int
    countries: list
    places: list
    materials: list
    sources: list  # the first and the latest (monitor.incidents.cluster.SOURCES_KEPT)
    evidence: list
    first_seen: str
    last_seen: str
    event: str = "opened"  # opened, updated, closed or expired
    source_count: int = 0  # every report of it; the database keeps them all
    cluster_key: str = ""
    confidence: float = 0.0
    impacts: Optional[list] = None  # noqa: UP045 - the union of its reports' impacts
    area: Optional[list] = None  # noqa: UP045 - the union of its reports' shapes
    routine: bool = False  # every report of it is a routine weather warning
    closed_at: Optional[str] = None  # noqa: UP045
    updated_at: Optional[str] = None  # noqa: UP045
    schema: int = SCHEMA


class AlertRecord(faust.Record, **OPTIONS):
    """An alert for one buyer (`alerts`, key: buyer id): DESIGN's alert plus `kind`."""

    id: str
    buyer_id: int
    incident_id: str
    incident_version: int
    kind: str
    severity: str
    why: dict
    suggestions: list
    incident: dict
    watch_id: Optional[int] = None  # noqa: UP045
    status: str = "new"
    feed_ids: Optional[list] = None  # noqa: UP045
    schema: int = SCHEMA


class DeadLetter(faust.Record, **OPTIONS):
    """Something a stage could not handle (`dead-letters`): where it came from, and why."""

    stage: str
    error: str
    payload: Optional[str] = None  # noqa: UP045 - the raw value, as text
    topic: Optional[str] = None  # noqa: UP045
    partition: Optional[int] = None  # noqa: UP045
    offset: Optional[int] = None  # noqa: UP045
    key: Optional[str] = None  # noqa: UP045
    at: Optional[str] = None  # noqa: UP045
    schema: int = SCHEMA


R = TypeVar("R", bound=faust.Record)


class DecodeError(ValueError):
    """A message value that is not the record it should be; the text says why in one line."""


@functools.cache
def _accepts(hint: Any, kind: Any) -> bool:
    """Return whether a value of type `kind` fits `hint` (it depends on the type alone)."""
    if kind is type(None):
        return type(None) in typing.get_args(hint) or hint is type(None)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_accepts(arg, kind) for arg in typing.get_args(hint) if arg is not type(None))
    if hint is float:
        return issubclass(kind, int | float) and not issubclass(kind, bool)
    if hint is int:
        return issubclass(kind, int) and not issubclass(kind, bool)
    target = origin or hint
    return issubclass(kind, target) if isinstance(target, type) else True


def decode(raw: Any, record: type[R]) -> R:
    """Parse a raw message value as `record`; raise DecodeError with a one-line reason."""
    try:
        data = orjson.loads(raw) if isinstance(raw, bytes | str) else raw
    except (UnicodeDecodeError, ValueError) as exc:  # orjson's error is a ValueError
        raise DecodeError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DecodeError(f"not a JSON object but {type(data).__name__}")
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise DecodeError(f"unknown schema version {schema!r} (this worker reads {SCHEMA})")
    hints, required = _shape(record)  # type: ignore[arg-type]
    fields = hints.keys()
    missing = [name for name in required if name not in data]
    if missing:
        raise DecodeError(f"{record.__name__} lacks {', '.join(missing)}")
    for name in fields & data.keys():
        kind: Any = type(data[name])
        if not _accepts(hints[name], kind):
            raise DecodeError(f"{record.__name__}.{name} has the wrong type ({kind.__name__})")
    known = {name: data[name] for name in fields if name in data}
    return record(**known)


@functools.cache
def _shape(record: type[faust.Record]) -> tuple[dict[str, Any], list[str]]:
    """Return the record's field types and its required fields (read once per class)."""
    options = record._options
    hints = typing.get_type_hints(record)
    fields = {name: hints[name] for name in options.fields}
    return fields, [name for name in fields if name not in options.defaults]


def encode(record: faust.Record) -> bytes:
    """Serialise a record as its plain JSON value."""
    return orjson.dumps(record.asdict(), default=str)
