"""Login (a device gets a token), logout (the device revokes itself), who-am-I, and the last
contact of a device revoked by an administrator (``/auth/final/*``).

The last contact: a ``revoked_pending_wipe`` device is refused (401) by every ordinary route. A
laptop that sends ``X-Inspector-Final-Contact: wipe`` may still upload its files and push the rows
it has not pushed (write only: the answers carry no office rows), is told ``wipe``, deletes its
local data and confirms with ``POST /auth/final/wiped``; from then on its token is dead (401).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session, select

from inspector_app.core.models.sync import OfficeDevice, OfficeUser
from inspector_app.i18n import _
from inspector_app.office import admin, routes_blobs
from inspector_app.office.blobs import MAX_BLOB
from inspector_app.office.deps import Caller, Office, unauthorized
from inspector_app.office.principal import Principal, principal_for
from inspector_app.office.routes_blobs import Sha
from inspector_app.office.routes_sync import PUSH_BODY_DOC, PUSH_ERRORS, After, PushBody, push_response
from inspector_app.office.security import check_password, new_token, token_digest
from inspector_app.sync.protocol import (
    FINAL_CONTACT_HEADER,
    BlobStatus,
    ErrorBody,
    FinalContact,
    LoginRequest,
    LoginResult,
    Me,
    PushResult,
)

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=LoginResult, responses={401: {"model": ErrorBody}})
def login(body: LoginRequest, state: Office) -> LoginResult:
    with Session(state.engine, expire_on_commit=False) as session:
        user = session.exec(select(OfficeUser).where(OfficeUser.name == body.user)).first()
        ok = check_password(user.password_hash if user else None, body.password)
        if user is None or not ok or user.disabled:
            raise unauthorized(_("Wrong user name or password"))
        token = new_token()
        device = OfficeDevice(
            user_id=user.id, token_sha256=token_digest(token), tag=body.device_tag, name=body.device_name
        )
        session.add(device)
        session.commit()
        p = principal_for(session, device, user)
    return LoginResult(
        token=token, device_id=str(p.device_id), user=p.user_name, role=p.role, teams=list(p.team_codes)
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses={401: {"model": ErrorBody}})
def logout(p: Caller, state: Office) -> None:
    admin.revoke_device(state.engine, p.device_id, wipe=False)  # signing out deletes nothing


@router.get("/me", response_model=Me, responses={401: {"model": ErrorBody}})
def me(p: Caller) -> Me:
    return Me(user=p.user_name, role=p.role, device_id=str(p.device_id), teams=list(p.team_codes))


# --- the last contact of a revoked device -------------------------------------------------------
_bearer = HTTPBearer(auto_error=False)
_FINAL_ERRORS: dict[int | str, dict[str, object]] = {401: {"model": ErrorBody}}


def departing_device(
    state: Office,
    cred: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    final: Annotated[str | None, Header(alias=FINAL_CONTACT_HEADER)] = None,
) -> tuple[Principal, OfficeDevice]:
    """A ``revoked_pending_wipe`` device whose laptop declares it wipes; anything else is 401."""
    refused = unauthorized(_("The token is not valid or this device was revoked; sign in again"))
    if final != "wipe" or cred is None or not cred.credentials:
        raise refused
    with Session(state.engine, expire_on_commit=False) as session:
        row = session.exec(
            select(OfficeDevice, OfficeUser)
            .join(OfficeUser, OfficeUser.id == OfficeDevice.user_id)  # type: ignore[arg-type]
            .where(OfficeDevice.token_sha256 == token_digest(cred.credentials))
        ).first()
        if row is None or row[1].disabled or admin.device_state(row[0]) != admin.PENDING_WIPE:
            raise refused
        return principal_for(session, row[0], row[1]), row[0]


Departing = Annotated[tuple[Principal, OfficeDevice], Depends(departing_device)]


@router.get("/final", response_model=FinalContact, responses=_FINAL_ERRORS)
def final_contact(d: Departing) -> FinalContact:
    revoked_at = d[1].revoked_at
    assert revoked_at is not None
    return FinalContact(state=admin.PENDING_WIPE, revoked_at=revoked_at.isoformat(timespec="seconds"))


@router.get("/final/blobs/{sha}/status", response_model=BlobStatus, responses=_FINAL_ERRORS)
def final_blob_status(sha: Sha, d: Departing, state: Office) -> BlobStatus:
    return routes_blobs.blob_status(sha, d[0], state)


@router.put("/final/blobs/{sha}", response_model=BlobStatus, responses=_FINAL_ERRORS)
async def final_upload(
    sha: Sha,
    request: Request,
    d: Departing,
    state: Office,
    offset: Annotated[int, Query(ge=0, le=MAX_BLOB)],
    size: Annotated[int, Query(ge=1, le=MAX_BLOB)],
) -> Response:
    return await routes_blobs.upload(sha, request, d[0], state, offset, size)


@router.post(
    "/final/push",
    response_model=PushResult,
    responses={**_FINAL_ERRORS, **PUSH_ERRORS},
    openapi_extra=PUSH_BODY_DOC,
)
def final_push(d: Departing, batch: PushBody, state: Office, after: After = None) -> Response:
    """Like ``/sync/push``; the answer says ``wipe`` and carries no office rows."""
    return push_response(state, d[0], batch, final=True, after=after)


@router.post("/final/wiped", status_code=status.HTTP_204_NO_CONTENT, responses=_FINAL_ERRORS)
def final_wiped(d: Departing, state: Office) -> None:
    """The laptop deleted its data: its token is dead from now on."""
    admin.confirm_wiped(state.engine, d[0].device_id)
