"""Export the supplier directory in the project's own CSV or JSON format."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from sqlmodel import Session

from monitor.suppliers import service
from monitor.suppliers.formats import write_records


def records(*, session: Session) -> Iterator[dict[str, Any]]:
    """Yield every supplier as a plain record in the export column set."""
    for sup in service.list_public(session=session):
        yield sup.model_dump(mode="json")


def export_stream(*, session: Session, stream: TextIO, fmt: str) -> int:
    """Write the whole directory to `stream`; return how many suppliers were written."""
    return write_records(stream, fmt, records(session=session))
