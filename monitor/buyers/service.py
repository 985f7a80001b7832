"""The buyers and watches service: who is alerted, and what each buyer depends on."""

from __future__ import annotations

import base64
import re
import secrets
from typing import Any

from sqlmodel import Session, col, func, select

from monitor.buyers import contacts, lanes
from monitor.buyers.models import (
    Buyer,
    BuyerCreate,
    BuyerCreated,
    BuyerPublic,
    BuyerUpdate,
    Watch,
    WatchCreate,
    WatchPublic,
    WatchUpdate,
)
from monitor.columns import utcnow
from monitor.errors import InvalidInput, NotFound
from monitor.owned import get_owned
from monitor.suppliers.vocab import country_code
from monitor.vocab import require_material

SUBDIVISION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


def new_webhook_secret() -> str:
    """Return a Standard Webhooks secret: `whsec_` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _checked_contacts(fields: dict[str, Any]) -> dict[str, Any]:
    """Return `fields` with the e-mail address normalised; InvalidInput for a bad contact."""
    out = dict(fields)
    if out.get("email") is not None:
        try:
            out["email"] = contacts.email_address(out["email"])
        except ValueError as exc:
            raise InvalidInput("email", f"not an e-mail address: {exc}") from None
    if out.get("webhook_url") is not None:
        try:
            contacts.webhook_url(out["webhook_url"])
        except ValueError as exc:
            raise InvalidInput("webhook_url", str(exc)) from None
    return out


def create_buyer(*, session: Session, data: BuyerCreate) -> BuyerCreated:
    """Create a buyer; the answer holds its webhook secret, shown this once."""
    fields = _checked_contacts(data.model_dump())
    buyer = Buyer.model_validate(fields | {"webhook_secret": new_webhook_secret()})
    session.add(buyer)
    session.flush()
    session.refresh(buyer)
    return BuyerCreated.model_validate(buyer)


def get_buyer(*, session: Session, buyer_id: int) -> Buyer:
    """Return one buyer."""
    buyer = session.get(Buyer, buyer_id)
    if buyer is None:
        raise NotFound(f"no buyer with id {buyer_id}")
    return buyer


def find_buyer(*, session: Session, name: str) -> Buyer | None:
    """Return the buyer with this name (the first by id), or None."""
    return session.exec(select(Buyer).where(Buyer.name == name).order_by(col(Buyer.id))).first()


def count_buyers(*, session: Session) -> int:
    """Return how many buyers there are."""
    return session.exec(select(func.count()).select_from(Buyer)).one()


def list_buyers(*, session: Session, limit: int, offset: int = 0) -> tuple[list[Buyer], int]:
    """Return a page of buyers in id order, and how many there are."""
    rows = session.exec(select(Buyer).order_by(col(Buyer.id)).offset(offset).limit(limit)).all()
    return list(rows), count_buyers(session=session)


def update_buyer(*, session: Session, buyer_id: int, data: BuyerUpdate) -> BuyerPublic:
    """Change a buyer's name, contacts or digest interval."""
    buyer = get_buyer(session=session, buyer_id=buyer_id)
    changes = _checked_contacts(data.model_dump(exclude_unset=True))
    for name, value in changes.items():
        if value is not None or name in ("email", "webhook_url"):
            setattr(buyer, name, value)
    session.add(buyer)
    session.flush()
    return BuyerPublic.model_validate(buyer)


def rotate_secret(*, session: Session, buyer_id: int) -> BuyerCreated:
    """Give a buyer a new webhook secret; the answer shows it this once."""
    buyer = get_buyer(session=session, buyer_id=buyer_id)
    buyer.webhook_secret = new_webhook_secret()
    session.add(buyer)
    session.flush()
    return BuyerCreated.model_validate(buyer)


def _clean_watch(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if out.get("materials") is not None:
        names = [require_material(str(v), field="materials") for v in out["materials"]]
        out["materials"] = list(dict.fromkeys(names))
    if out.get("countries") is not None:
        try:
            out["countries"] = list(dict.fromkeys(country_code(c) for c in out["countries"]))
        except ValueError as exc:
            raise InvalidInput("countries", str(exc)) from None
    if out.get("subdivisions") is not None:
        subs = [s.strip().upper() for s in out["subdivisions"]]
        bad = [s for s in subs if not SUBDIVISION.match(s)]
        if bad:
            raise InvalidInput("subdivisions", f"not ISO 3166-2 (e.g. GH-AH): {bad[0]!r}")
        out["subdivisions"] = list(dict.fromkeys(subs))
    if out.get("lanes") is not None:
        try:
            names = [lanes.lane(v) for v in out["lanes"] if v.strip()]
        except ValueError as exc:
            raise InvalidInput("lanes", str(exc)) from None
        out["lanes"] = list(dict.fromkeys(names))
    if out.get("sites") is not None:
        out["sites"] = [s.model_dump() if hasattr(s, "model_dump") else s for s in out["sites"]]
    return out


def create_watch(*, session: Session, buyer_id: int, data: WatchCreate) -> WatchPublic:
    """Add a watch to a buyer."""
    get_buyer(session=session, buyer_id=buyer_id)
    watch = Watch(buyer_id=buyer_id, **_clean_watch(data.model_dump()))
    session.add(watch)
    session.flush()
    session.refresh(watch)
    return WatchPublic.model_validate(watch)


def draft_watch(*, buyer_id: int, data: WatchCreate) -> Watch:
    """Return the watch `data` describes, checked as `create_watch` checks it, and not stored."""
    return Watch(buyer_id=buyer_id, **_clean_watch(data.model_dump()))


def list_watches(
    *, session: Session, buyer_id: int, limit: int | None = None, offset: int = 0
) -> tuple[list[WatchPublic], int]:
    """Return a page of a buyer's watches in id order, and how many it has."""
    where = Watch.buyer_id == buyer_id
    query = select(Watch).where(where).order_by(col(Watch.id)).offset(offset)
    rows = session.exec(query.limit(limit) if limit is not None else query).all()
    total = session.exec(select(func.count()).select_from(Watch).where(where)).one()
    return [WatchPublic.model_validate(w) for w in rows], total


def get_watch(*, session: Session, watch_id: int, buyer_id: int | None = None) -> Watch:
    """Return a watch; with `buyer_id`, only one of that buyer's."""
    return get_owned(session=session, model=Watch, row_id=watch_id, buyer_id=buyer_id, noun="watch")


def get_watches(*, session: Session, watch_ids: list[int]) -> list[Watch]:
    """Return the watches with these ids (those that exist), in no particular order."""
    return list(session.exec(select(Watch).where(col(Watch.id).in_(watch_ids))).all())


def update_watch(
    *, session: Session, watch_id: int, data: WatchUpdate, buyer_id: int | None = None
) -> WatchPublic:
    """Change the fields given in `data`; with `buyer_id`, only one of that buyer's watches."""
    watch = get_watch(session=session, watch_id=watch_id, buyer_id=buyer_id)
    changes = _clean_watch(data.model_dump(exclude_unset=True))
    for name, value in changes.items():
        if value is not None:
            setattr(watch, name, value)
    watch.updated_at = utcnow()
    session.add(watch)
    session.flush()
    return WatchPublic.model_validate(watch)


def delete_watch(*, session: Session, watch_id: int, buyer_id: int | None = None) -> None:
    """Delete a watch; with `buyer_id`, only one of that buyer's."""
    session.delete(get_watch(session=session, watch_id=watch_id, buyer_id=buyer_id))
    session.flush()
