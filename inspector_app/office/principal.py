"""Who is calling: the device record behind a token, its user, and the teams that user belongs to."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from inspector_app.core.models import Team, TeamMember
from inspector_app.core.models.sync import OfficeDevice, OfficeUser
from inspector_app.office.security import token_digest

ROLES = ("inspector", "leader", "admin")


@dataclass(frozen=True)
class Principal:
    device_id: uuid.UUID
    device_tag: str
    user_id: uuid.UUID
    user_name: str
    role: str
    team_ids: frozenset[uuid.UUID]
    team_codes: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def scope_key(self) -> str:
        """Changes when what the device may read changes: the laptop then pulls from zero again."""
        text = self.role + "|" + ",".join(sorted(str(t) for t in self.team_ids))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def teams_of(session: Session, user: OfficeUser) -> list[tuple[uuid.UUID, str]]:
    if user.inspector_id is None:
        return []
    rows = session.exec(
        select(Team.id, Team.code)
        .join(TeamMember, TeamMember.team_id == Team.id)  # type: ignore[arg-type]
        .where(TeamMember.inspector_id == user.inspector_id)
        .where(TeamMember.deleted == sa.false(), Team.deleted == sa.false())
    ).all()
    return sorted({(r[0], r[1]) for r in rows}, key=lambda r: r[1])


def principal_for(session: Session, device: OfficeDevice, user: OfficeUser) -> Principal:
    teams = teams_of(session, user)
    return Principal(
        device_id=device.id,
        device_tag=device.tag,
        user_id=user.id,
        user_name=user.name,
        role=user.role,
        team_ids=frozenset(t[0] for t in teams),
        team_codes=tuple(t[1] for t in teams),
    )


def principal_from_token(session: Session, token: str) -> Principal | None:
    """None for an unknown or revoked token, or a disabled user: the caller answers 401."""
    row = session.exec(
        select(OfficeDevice, OfficeUser)
        .join(OfficeUser, OfficeUser.id == OfficeDevice.user_id)  # type: ignore[arg-type]
        .where(OfficeDevice.token_sha256 == token_digest(token))
    ).first()
    if row is None:
        return None
    device, user = row
    if device.revoked_at is not None or user.disabled:
        return None
    return principal_for(session, device, user)
