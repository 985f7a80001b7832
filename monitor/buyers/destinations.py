"""A buyer's chat destinations (Slack, Teams): added, listed masked, removed.

The incoming-webhook URL is the only credential a chat webhook has, so it is kept like a
password: accepted once, then shown only as its host and last four characters.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from monitor.buyers import contacts
from monitor.buyers.models import Destination, DestinationCreate, DestinationPublic
from monitor.errors import Conflict, InvalidInput
from monitor.owned import get_owned


def mask(url: str) -> str:
    """Return `url` as its host and last four characters: enough to recognise, not to use."""
    try:
        host = urlsplit(url).hostname or "?"
    except ValueError:
        host = "?"
    rest = url.split(host, 1)[-1]  # the path and query: the secret part
    # Four characters of a short path would give too much of it away.
    return f"{host}/…{url[-4:]}" if len(rest) >= 16 else f"{host}/…"


def public(row: Destination) -> DestinationPublic:
    """Return the destination as shown to its buyer and admins: the URL masked."""
    assert row.id is not None
    return DestinationPublic(
        id=row.id, buyer_id=row.buyer_id, kind=row.kind, url_hint=mask(row.url),
        created_at=row.created_at,
    )  # fmt: skip


def add_destination(
    *, session: Session, buyer_id: int, data: DestinationCreate
) -> DestinationPublic:
    """Add a Slack or Teams destination to a buyer (one of each kind)."""
    url = data.url.strip()
    try:
        contacts.webhook_url(url)
    except ValueError as exc:
        raise InvalidInput("url", str(exc).replace("webhook_url", "url")) from None
    if urlsplit(url).username or urlsplit(url).password:
        raise InvalidInput("url", "url must not carry a user name or password")
    if kinds(session=session, buyer_id=buyer_id) & {data.kind}:
        raise Conflict(f"buyer {buyer_id} already has a {data.kind} destination: delete it first")
    row = Destination(buyer_id=buyer_id, kind=data.kind, url=url)
    try:
        with session.begin_nested():  # a concurrent add of the same kind loses here
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(f"buyer {buyer_id} already has a {data.kind} destination") from None
    session.refresh(row)
    return public(row)


def list_destinations(*, session: Session, buyer_id: int) -> list[DestinationPublic]:
    """Return a buyer's destinations in id order, masked."""
    stmt = select(Destination).where(Destination.buyer_id == buyer_id).order_by(col(Destination.id))
    return [public(row) for row in session.exec(stmt).all()]


def delete_destination(*, session: Session, buyer_id: int, destination_id: int) -> None:
    """Remove one of a buyer's destinations; alerts stop going there at once."""
    row = get_owned(
        session=session, model=Destination, row_id=destination_id, buyer_id=buyer_id,
        noun="destination",
    )  # fmt: skip
    session.delete(row)
    session.flush()


def kinds(*, session: Session, buyer_id: int) -> set[str]:
    """Return the kinds of destination a buyer has (the channels its alerts go to)."""
    stmt = select(Destination.kind).where(Destination.buyer_id == buyer_id)
    return set(session.exec(stmt).all())
