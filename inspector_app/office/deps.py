"""What every route needs: the engine, the file store, and the caller's identity from its token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from inspector_app.i18n import _
from inspector_app.office.blobs import BlobStore
from inspector_app.office.gate import PushFirst
from inspector_app.office.principal import Principal, principal_from_token

_bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class OfficeState:
    engine: sa.Engine
    blobs: BlobStore
    max_skew_ms: int
    gate: PushFirst = field(default_factory=PushFirst)  # pulls step aside for pushes


def office(request: Request) -> OfficeState:
    state: OfficeState = request.app.state.office
    return state


def unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"})


def current_principal(
    state: Annotated[OfficeState, Depends(office)],
    cred: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if cred is None or not cred.credentials:
        raise unauthorized(_("Sign in first: this request carries no token"))
    with Session(state.engine) as session:
        principal = principal_from_token(session, cred.credentials)
    if principal is None:
        raise unauthorized(_("The token is not valid or this device was revoked; sign in again"))
    return principal


Office = Annotated[OfficeState, Depends(office)]
Caller = Annotated[Principal, Depends(current_principal)]
