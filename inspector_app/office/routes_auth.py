"""Login (a device gets a token), logout (the device revokes itself), and who-am-I."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlmodel import Session, select

from inspector_app.core.models.sync import OfficeDevice, OfficeUser
from inspector_app.i18n import _
from inspector_app.office.deps import Caller, Office, unauthorized
from inspector_app.office.principal import principal_for
from inspector_app.office.security import check_password, new_token, token_digest
from inspector_app.sync.protocol import ErrorBody, LoginRequest, LoginResult, Me

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
    from inspector_app.office.admin import revoke_device

    revoke_device(state.engine, p.device_id)


@router.get("/me", response_model=Me, responses={401: {"model": ErrorBody}})
def me(p: Caller) -> Me:
    return Me(user=p.user_name, role=p.role, device_id=str(p.device_id), teams=list(p.team_codes))
