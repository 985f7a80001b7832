"""Import supplier files: validate every record, report bad ones, upsert the good ones."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError
from sqlmodel import Session, col, select

from monitor.errors import MonitorError, explain
from monitor.geo import geocode
from monitor.models import Supplier
from monitor.suppliers import osh, service
from monitor.suppliers.formats import guess_format, read_records, read_text
from monitor.suppliers.models import SupplierCreate

log = logging.getLogger(__name__)


@dataclass
class Problem:
    """A record that was rejected (error) or imported with a caveat (warning)."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did, or would do under --dry-run."""

    dry_run: bool = False
    source_format: str = "project"
    created: int = 0
    updated: int = 0
    geocoded: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """Return one line that says what happened."""
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{verb} {self.created + self.updated} suppliers ({self.created} new, "
            f"{self.updated} updated) from a {self.source_format} file; "
            f"{len(self.errors)} rejected, {self.geocoded} geocoded, "
            f"{len(self.warnings)} warnings"
        )

    def warning_summary(self) -> list[str]:
        """Return the warnings grouped by kind, most frequent first: `351 rows: reason`."""
        counts = Counter(_kind(p.reason) for p in self.warnings)
        return [f"{n} row{'s' if n > 1 else ''}: {kind}" for kind, n in counts.most_common()]

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (what the API answers an import with)."""
        return {
            "dry_run": self.dry_run,
            "source_format": self.source_format,
            "created": self.created,
            "updated": self.updated,
            "geocoded": self.geocoded,
            "rejected": len(self.errors),
            "summary": self.summary(),
            "warning_summary": self.warning_summary(),
            "errors": [asdict(p) for p in self.errors],
            "warnings": [asdict(p) for p in self.warnings],
        }


# Warnings whose text names the row's own values, grouped under one wording in summaries.
_KINDS = (
    (re.compile(r"^geocoded from .*"), "geocoded from the city or address"),
    (re.compile(r"^.* workers may exceed 250: (.*)$"), r"workers may exceed 250, \1"),
    (re.compile(r"^no coordinates: .*"), "no coordinates: the place could not be geocoded"),
)


def _kind(reason: str) -> str:
    for pattern, kind in _KINDS:
        if pattern.match(reason):
            return pattern.sub(kind, reason)
    return reason.replace(": ", ", ", 1)


def import_file(
    *, session: Session, path: Path, fmt: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Import a CSV or JSON supplier file (project or Open Supply Hub format)."""
    kind = guess_format(path, fmt)
    try:
        with path.open("rb") as raw:
            text, note = read_text(raw)
    except OSError as exc:
        raise MonitorError(f"cannot read {path}: {exc.strerror or exc}") from exc
    report = import_stream(
        session=session, stream=io.StringIO(text, newline=""), fmt=kind, dry_run=dry_run
    )
    if note:
        report.warnings.insert(0, Problem(path.name, note))
    return report


def import_stream(
    *, session: Session, stream: TextIO, fmt: str, dry_run: bool = False
) -> ImportReport:
    """Import records from an open stream; see `import_file`."""
    report = ImportReport(dry_run=dry_run)
    valid: list[tuple[str, SupplierCreate]] = []
    for where, record in read_records(stream, fmt):
        if isinstance(record, str):
            report.errors.append(Problem(where, record))
            continue
        if osh.is_osh(set(record)):
            report.source_format = "Open Supply Hub"
        try:
            data, notes = _to_create(record)
        except ValueError as exc:  # ValidationError is a ValueError
            reason = explain(exc) if isinstance(exc, ValidationError) else str(exc)
            report.errors.append(Problem(where, reason))
            continue
        missing = service.missing_buyers(session=session, buyer_ids=data.buyer_ids)
        if missing:
            report.errors.append(Problem(where, f"buyer_ids: no buyer with id {missing}"))
            continue
        report.warnings += [Problem(where, n) for n in notes]
        report.geocoded += any(n.startswith("geocoded") for n in notes)
        valid.append((where, data))
    _apply(session, valid, report)
    log.info("%s", report.summary())
    return report


def _apply(session: Session, valid: list[tuple[str, SupplierCreate]], report: ImportReport) -> None:
    keys = {service.natural_key(d) for _, d in valid}
    existing = set(
        session.exec(select(Supplier.external_id).where(col(Supplier.external_id).in_(keys))).all()
    )
    for _, data in valid:
        key = service.natural_key(data)
        if key in existing:
            report.updated += 1
        else:
            report.created += 1
            existing.add(key)  # a repeated key later in the same file updates this one
        if not report.dry_run:
            service.upsert(session=session, data=data)


def _to_create(record: dict[str, Any]) -> tuple[SupplierCreate, list[str]]:
    notes: list[str] = []
    address = ""
    if osh.is_osh(set(record)):
        record, notes = osh.to_project(record)
        address = record.pop("_address", "")
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in record.items()}
    clean = {k: v for k, v in clean.items() if v not in ("", None)}
    if isinstance(clean.get("is_demo"), str):
        clean["is_demo"] = clean["is_demo"].lower() in ("1", "true", "yes")
    data = SupplierCreate.model_validate(clean)
    if data.lat is None:
        notes.append(_geocode(data, address))
    return data, notes


def _geocode(data: SupplierCreate, address: str) -> str:
    # An OSH address has no city field: try its comma-separated parts, last first.
    names = [data.city] if data.city else [p for p in reversed(address.split(",")) if p.strip()]
    if not names:
        return "no coordinates and no city to geocode: radius exclusion cannot place it"
    for name in names:
        hit = geocode(city=name, country=data.country)
        if hit.found:
            data.lat, data.lon = hit.lat, hit.lon
            data.city = data.city or hit.matched
            return f"geocoded from {hit.matched}, {data.country}"
    return f"no coordinates: {geocode(city=names[0], country=data.country).reason}"
