"""What every route depends on: settings, a database session, the caller and a page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from monitor import db
from monitor.api.capacity import ConnectionGate
from monitor.keys.service import Principal, Verifier
from monitor.keys.throttle import Throttled
from monitor.settings import Settings

T = TypeVar("T")
ID_MAX = 2**31 - 1  # ids are 32-bit in PostgreSQL; larger numbers can name nothing
Id = Annotated[int, Path(ge=1, le=ID_MAX, description="an id")]
BuyerQuery = Annotated[int | None, Query(ge=1, le=ID_MAX, description="admin: one buyer's")]


def get_app_settings(request: Request) -> Settings:
    """Return the settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_session(request: Request, settings: SettingsDep) -> AsyncIterator[Session]:
    """Yield a session for one request, once a connection is free (else 503); routes that
    write commit it themselves."""
    gate: ConnectionGate = request.app.state.db_gate
    async with gate.held():
        session = Session(db.get_engine(settings), expire_on_commit=False)
        try:
            yield session
        finally:
            await run_in_threadpool(session.close)  # returns the connection: a round trip


SessionDep = Annotated[Session, Depends(get_session)]
_bearer = HTTPBearer(auto_error=False, description="an API key from `monitor keys create`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _check_key(request: Request, session: Session, credentials: Credentials) -> Principal:
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise HTTPException(401, "missing API key: send `Authorization: Bearer <key>`", challenge)
    verifier: Verifier = request.app.state.verifier
    client = request.client.host if request.client else ""
    try:
        principal = verifier.principal(session=session, key=credentials.credentials, client=client)
    except Throttled as exc:
        raise HTTPException(429, str(exc), {"Retry-After": str(exc.retry_after_s)}) from None
    if principal is None:
        raise HTTPException(401, "unknown or revoked API key", challenge)
    return principal


def get_principal(request: Request, session: SessionDep, credentials: Credentials) -> Principal:
    """Return who holds the bearer key; 401 without a valid one."""
    return _check_key(request, session, credentials)


async def get_principal_briefly(
    request: Request, settings: SettingsDep, credentials: Credentials
) -> Principal:
    """Return who holds the bearer key, checked in a session closed at once (for streams)."""
    gate: ConnectionGate = request.app.state.db_gate
    async with gate.held():
        return await run_in_threadpool(_check_key_alone, request, settings, credentials)


def _check_key_alone(request: Request, settings: Settings, credentials: Credentials) -> Principal:
    with Session(db.get_engine(settings)) as session:
        return _check_key(request, session, credentials)


def allow(*roles: str, who: Callable[..., Principal] = get_principal) -> Callable[..., Principal]:
    """Return a dependency that lets only keys with one of `roles` through (403 otherwise)."""

    # `who` is a local name, which a string annotation could not resolve: a default it is.
    def check(principal: Principal = Depends(who)) -> Principal:
        if principal.role not in roles:
            raise HTTPException(403, f"a {principal.role} key may not do this")
        return principal

    return check


Admin = Annotated[Principal, Depends(allow("admin"))]
Staff = Annotated[Principal, Depends(allow("admin", "operator"))]
AdminOrBuyer = Annotated[Principal, Depends(allow("admin", "buyer"))]
Anyone = Annotated[Principal, Depends(allow("admin", "operator", "buyer", "viewer"))]
# A stream stays open for hours: its key check must not keep a database connection that long.
StreamingAdminOrBuyer = Annotated[
    Principal, Depends(allow("admin", "buyer", who=get_principal_briefly))
]


def own_buyer(principal: Principal, buyer_id: int | None) -> int | None:
    """Return the buyer a request may act for: a buyer key only ever its own (else 404)."""
    if principal.role != "buyer":
        return buyer_id
    if buyer_id is not None and buyer_id != principal.buyer_id:
        raise HTTPException(404, f"no buyer with id {buyer_id}")
    return principal.buyer_id


class PageParams(BaseModel):
    limit: int
    offset: int


def page_params(
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, description="items per page (MONITOR_API_PAGE_MAX)")] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9, description="items to skip")] = 0,
) -> PageParams:
    """Return the page a list asks for; a limit over `api.page_max` is a 422 like any other."""
    most = settings.api.page_max
    if limit > most:
        raise RequestValidationError(
            [
                {
                    "type": "less_than_equal",
                    "loc": ("query", "limit"),
                    "msg": f"Input should be less than or equal to {most}",
                    "input": str(limit),  # as FastAPI reports a query value
                    "ctx": {"le": most},
                }
            ]
        )
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    """One page of a list, and how many items the whole list has."""

    items: list[T]
    total: int
