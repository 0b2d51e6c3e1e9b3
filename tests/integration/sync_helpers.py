"""A real office service for sync tests: uvicorn on a free loopback port in a thread, over a
SQLite file or a throwaway PostgreSQL database; laptops are real data folders."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import uvicorn
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.demo.load import load_reference
from inspector_app.core.ids import stable_id
from inspector_app.core.models import Answer, Team, Unit, Visit
from inspector_app.core.services import visits
from inspector_app.core.services.forms_registry import latest_form
from inspector_app.core.workspace import Workspace, open_workspace
from inspector_app.office import admin
from inspector_app.office.app import create_app
from inspector_app.sync import client
from inspector_app.sync.tables import table

os.environ["INSPECTOR_TOKEN_STORE"] = "file"  # never touch the keyring of the machine running tests
PASSWORD = "mat-khau-thu-nghiem"
OTHER_TEAM = "khac"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Office:
    url: str
    engine: sa.Engine
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.engine.dispose()


def prepare_office(db_url: str) -> sa.Engine:
    """An office database at the newest schema with the demo reference data and the test users."""
    engine = admin.office_engine(db_url)
    admin.load_demo_reference(engine)
    _second_team(engine)
    for name, role, team in (
        ("an", "inspector", "demo"),
        ("binh", "inspector", "demo"),
        ("chi", "inspector", OTHER_TEAM),
        ("quantri", "admin", None),
    ):
        admin.add_user(engine, name, role, PASSWORD, team)
    return engine


def start_office(db_url: str, files: Path) -> Office:
    engine = prepare_office(db_url)
    port = free_port()
    config = uvicorn.Config(
        create_app(engine, blob_dir=files), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "office did not start"
    return Office(f"http://127.0.0.1:{port}", engine, server, thread)


def sqlite_office(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Office]:
    """An office on a SQLite file for a module's tests of the laptop side (``yield from`` it)."""
    folder = tmp_path_factory.mktemp(name)
    running = start_office(str(folder / "office.sqlite3"), folder / "files")
    yield running
    running.stop()


def _second_team(engine: sa.Engine) -> None:
    editor = admin.office_editor()
    with Session(engine) as s:
        team = Team(id=stable_id("team", OTHER_TEAM), code=OTHER_TEAM, name="Đoàn khác", issuer="UBND tỉnh")
        editor.stamp(team)
        s.add(team)
        s.commit()
    with engine.begin() as conn:
        admin.sequence_new_rows(conn)


def laptop(folder: Path, office: Office, user: str) -> Workspace:
    """A fresh laptop: its own device id, the demo reference data, signed in as ``user``."""
    ws = open_workspace(folder)
    with session_scope(ws.engine) as s:
        load_reference(s)
    client.login(ws, office.url, user, PASSWORD)
    return ws


def start_visit(ws: Workspace, unit_code: str = "HT-XA-CAN-LOC") -> uuid.UUID:
    with session_scope(ws.engine) as s:
        unit = s.exec(select(Unit).where(Unit.code == unit_code)).one()
        team = s.exec(select(Team).where(Team.code == "demo")).one()
        form = latest_form(s, "kiem-tra-cong-vu-dot-xuat")
        assert form is not None
        visit = visits.start_visit(
            s,
            ws.editor,
            unit_id=unit.id,
            form_id=form.id,
            team_id=team.id,
            arrived_at=dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC),
        )
        return visit.id


def answer(ws: Workspace, visit_id: uuid.UUID, item: str, value: object) -> None:
    with session_scope(ws.engine) as s:
        visits.record_answer(s, ws.editor, visit_id=visit_id, item_code=item, value=value)


def answers(engine: sa.Engine, visit_id: uuid.UUID) -> dict[str, str | None]:
    with Session(engine) as s:
        rows = s.exec(select(Answer).where(Answer.visit_id == visit_id, Answer.deleted == sa.false())).all()
        return {r.item_code: r.value for r in rows}


def visit_row(engine: sa.Engine, visit_id: uuid.UUID) -> Visit | None:
    with Session(engine) as s:
        return s.get(Visit, visit_id)


def dirty(ws: Workspace) -> int:
    from inspector_app.sync.local import dirty_count

    return dirty_count(ws.engine)


def fresh_pg_url(pg_url: str) -> str:
    """A database of its own on the session's PostgreSQL server."""
    engine = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        name = f"sync_{uuid.uuid4().hex[:8]}"
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return sa.make_url(pg_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(name="office", scope="module", params=["sqlite", "pg"])
def office_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Office]:
    folder = tmp_path_factory.mktemp(f"office-{request.param}")
    if request.param == "pg":
        url = fresh_pg_url(request.getfixturevalue("pg_url"))  # pg_url is shared by the session
    else:
        url = str(folder / "office.sqlite3")
    office = start_office(url, folder / "files")
    yield office
    office.stop()


def token(ws: Workspace, office: Office) -> str:
    value = client._tokens(ws, office.url).load()
    assert value
    return value


def http(ws: Workspace, office: Office) -> httpx.Client:
    return httpx.Client(
        base_url=office.url, headers={"Authorization": f"Bearer {token(ws, office)}"}, timeout=60
    )


# --- processes for the kill -9 tests: they die with the test run, or after a deadline anyway ----------


def _die_with_parent(deadline_s: int) -> None:
    import ctypes
    import signal

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    signal.alarm(deadline_s)  # kept across exec: the process stops by itself


def spawn(args: list[str], log: Path, deadline_s: int = 240) -> subprocess.Popen[bytes]:
    env = dict(os.environ, INSPECTOR_TOKEN_STORE="file", PYTHONPATH=str(Path(__file__).parent))
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, *args],
            stdout=subprocess.PIPE,
            stderr=out,
            env=env,
            preexec_fn=lambda: _die_with_parent(deadline_s),
        )


def spawn_office(db_url: str, files: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    code = "import sys; from inspector_app.office.cli import main; sys.exit(main(sys.argv[1:]))"
    args = ["--database-url", db_url, "serve", "--port", str(port), "--files", str(files)]
    proc = spawn(["-c", code, *args], log)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.05)
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError(f"office did not start; see {log}")


def spawn_worker(folder: Path, seed: int, log: Path) -> subprocess.Popen[bytes]:
    code = "import sys, sync_helpers; sync_helpers.crash_worker(sys.argv[1], int(sys.argv[2]))"
    return spawn(["-c", code, str(folder), str(seed)], log, deadline_s=60)


def crash_worker(folder: str, seed: int) -> None:
    """Edit and sync in a loop until killed: new visits, answers, edits of the other laptop's items."""
    import random

    from inspector_app.sync.transport import SyncError

    rnd = random.Random(seed)
    ws = open_workspace(Path(folder))
    print("ready", flush=True)
    visit_t = table("visit")
    for _ in range(200):
        with ws.engine.connect() as conn:
            known = list(
                conn.execute(sa.select(visit_t.c.id).where(visit_t.c.deleted == sa.false())).scalars()
            )
        if not known or rnd.random() < 0.4:
            known.append(start_visit(ws))
        for item in rnd.sample(["B9", "B11", "B12"], 2):
            answer(ws, rnd.choice(known), item, rnd.choice(["yes", "no"]))
        try:
            client.sync(ws)
        except SyncError:
            time.sleep(0.05)  # the office is down: keep editing offline
