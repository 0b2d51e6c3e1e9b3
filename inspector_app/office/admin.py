"""Office administration used by the command line: database, users, devices, demo data."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from inspector_app.core.db import make_engine, upgrade
from inspector_app.core.demo.load import REFERENCE_STAMP, load_reference
from inspector_app.core.forms import load_form, shipped_forms
from inspector_app.core.hlc import HybridClock
from inspector_app.core.ids import stable_id
from inspector_app.core.models import Inspector, Team, TeamMember, TeamRole, utcnow
from inspector_app.core.models.sync import OfficeDevice, OfficeUser
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.core.services.forms_registry import register_form
from inspector_app.i18n import _
from inspector_app.office import store
from inspector_app.office.principal import ROLES
from inspector_app.office.security import hash_password
from inspector_app.sync import tables

DEFAULT_DB = "inspector-office.sqlite3"
OFFICE_DEVICE = "office"


def office_engine(url: str | None) -> sa.Engine:
    """Engine at the newest schema: a SQLite file by default, PostgreSQL with postgresql+psycopg://."""
    engine = make_engine(url or DEFAULT_DB)
    if engine.dialect.name == "sqlite":
        # Pushes wait for each other on SQLite's single writer lock; give a big batch time to commit.
        sa.event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA busy_timeout=60000"))
    upgrade(engine)
    return engine


def default_blob_dir(engine: sa.Engine) -> Path:
    db = engine.url.database if engine.dialect.name == "sqlite" else None
    return (Path(db).resolve().parent if db else Path.cwd()) / "office-files"


def office_editor() -> Editor:
    return Editor(OFFICE_DEVICE, HybridClock(OFFICE_DEVICE), actor="office")


def sequence_new_rows(conn: sa.Connection) -> int:
    """Give rows written outside a push (demo, admin commands) a seq, so laptops pull them."""
    value = store.lock_counter(conn)
    start = value
    for t in tables.synced_tables():
        ids = list(conn.execute(sa.select(t.c.id).where(t.c.seq.is_(None)).order_by(t.c.id)).scalars())
        if ids:
            stmt = (
                t.update().where(t.c.id == sa.bindparam("_id")).values(seq=sa.bindparam("_seq"), dirty=False)
            )
            conn.execute(stmt, [{"_id": i, "_seq": value + n} for n, i in enumerate(ids, 1)])
            value += len(ids)
    store.save_counter(conn, value)
    return value - start


def load_demo_reference(engine: sa.Engine) -> dict[str, int]:
    """The demo province with the same stable ids and stamps as a laptop's demo, and the shipped forms."""
    with Session(engine) as session:
        counts = load_reference(session)
        editor = office_editor()
        for path in shipped_forms():
            register_form(session, editor, load_form(path))
        session.commit()
    with engine.begin() as conn:
        sequence_new_rows(conn)
    return counts


@dataclass(frozen=True)
class DeviceInfo:
    id: uuid.UUID
    user: str
    tag: str
    name: str
    created_at: str
    revoked: bool
    state: str = "active"  # see device_state()


def add_user(engine: sa.Engine, name: str, role: str, password: str, team: str | None = None) -> OfficeUser:
    """A user linked to an inspector record (made if needed) and, with ``team``, to that team."""
    if role not in ROLES:
        raise InvalidInput(_("Unknown role: {role}").format(role=role))
    if len(password) < 8:
        raise InvalidInput(_("The password must have at least 8 characters"))
    editor = office_editor()
    with Session(engine, expire_on_commit=False) as session:
        if session.exec(select(OfficeUser).where(OfficeUser.name == name)).first():
            raise InvalidInput(_("User {name} already exists").format(name=name))
        inspector_id = stable_id("office-user", name)
        if session.get(Inspector, inspector_id) is None:
            inspector = Inspector(id=inspector_id, full_name=name, position="", agency="")
            editor.stamp(inspector)
            session.add(inspector)
        if team:
            row = session.exec(select(Team).where(Team.code == team)).first()
            if row is None:
                raise NotFound(_("Team not found: {code}").format(code=team))
            member = TeamMember(
                id=stable_id("team_member", f"{team}/{name}"),
                team_id=row.id,
                inspector_id=inspector_id,
                role=TeamRole.LEADER if role == "leader" else TeamRole.MEMBER,
            )
            editor.stamp(member)
            session.add(member)
        user = OfficeUser(
            name=name, role=role, password_hash=hash_password(password), inspector_id=inspector_id
        )
        session.add(user)
        session.commit()
    with engine.begin() as conn:
        sequence_new_rows(conn)
    return user


def list_devices(engine: sa.Engine) -> list[DeviceInfo]:
    with Session(engine) as session:
        rows = session.exec(
            select(OfficeDevice, OfficeUser.name)
            .join(OfficeUser, OfficeUser.id == OfficeDevice.user_id)  # type: ignore[arg-type]
            .order_by(OfficeDevice.created_at)  # type: ignore[arg-type]
        ).all()
        return [
            DeviceInfo(
                d.id,
                n,
                d.tag,
                d.name,
                d.created_at.isoformat(timespec="seconds"),
                d.revoked_at is not None,
                device_state(d),
            )
            for d, n in rows
        ]


# Device states (no schema change: told apart by ``revoked_at`` and the stored token digest).
ACTIVE = "active"
PENDING_WIPE = "revoked_pending_wipe"  # revoked, token kept for one last contact: push, then wipe
WIPED = "wiped"  # the laptop confirmed it removed its data: the token is dead
SIGNED_OUT = "signed_out"  # logout or a revocation without wipe: the token is dead
_RETIRED = {WIPED: "wiped-", SIGNED_OUT: "closed-"}  # a real digest is 64 hex digits: never matches


def device_state(device: OfficeDevice) -> str:
    if device.revoked_at is None:
        return ACTIVE
    for state, prefix in _RETIRED.items():
        if device.token_sha256.startswith(prefix):
            return state
    return PENDING_WIPE


def _retire(device: OfficeDevice, state: str) -> None:
    prefix = _RETIRED[state]
    digest = hashlib.sha256(device.token_sha256.encode()).hexdigest()
    device.token_sha256 = prefix + digest[: 64 - len(prefix)]


def revoke_device(engine: sa.Engine, device_id: uuid.UUID, *, wipe: bool = True) -> bool:
    """Every ordinary request with that device's token is refused at once.

    ``wipe`` (an administrator's revocation): the device becomes ``revoked_pending_wipe``. A laptop
    that knows the protocol may still make one last contact (``/auth/final/*``): upload its files,
    push the rows it has not pushed (nothing is lost; it reads nothing), then it deletes its local
    data and confirms; after that the token is dead (401). Without ``wipe`` (sign-out) the token
    is dead immediately."""
    with Session(engine) as session:
        device = session.get(OfficeDevice, device_id)
        if device is None:
            return False
        state = device_state(device)
        if device.revoked_at is None:
            device.revoked_at = utcnow()
        if not wipe and state in (ACTIVE, PENDING_WIPE):
            _retire(device, SIGNED_OUT)
        session.commit()
        return True


def confirm_wiped(engine: sa.Engine, device_id: uuid.UUID) -> bool:
    """The laptop removed its data: retire the token of a ``revoked_pending_wipe`` device."""
    with Session(engine) as session:
        device = session.get(OfficeDevice, device_id)
        if device is None or device_state(device) != PENDING_WIPE:
            return False
        _retire(device, WIPED)
        session.commit()
        return True


__all__ = [
    "REFERENCE_STAMP",
    "add_user",
    "confirm_wiped",
    "device_state",
    "list_devices",
    "load_demo_reference",
    "office_engine",
    "revoke_device",
]
