"""Kill drill of the desktop app: the visit window with the real threaded writer runs in a child
process (kill_driver.py) pressing roll-call keys; it is killed with SIGKILL at a random moment,
the data folder is opened again as at the next start, and every edit the UI had shown as saved must
be stored, with SQLite's integrity check passing. A new visit per run, so no edit overwrites another."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlmodel import Session, select

from inspector_app.core.db import DB_FILENAME, integrity_problems, session_scope
from inspector_app.core.models import FormVersion, RollCall, Unit
from inspector_app.core.services.visits import start_visit
from inspector_app.core.workspace import Workspace, open_workspace

DRIVER = Path(__file__).with_name("kill_driver.py")
RUNS = min(int(os.environ.get("INSPECTOR_KILL_RUNS", "6")), 10)
UNIT = "UBND xã Thạch Lạc"  # 30 officials: 30 keys a run


def new_visit(ws: Workspace) -> uuid.UUID:
    with session_scope(ws.engine) as session:
        unit = session.exec(select(Unit).where(Unit.name == UNIT)).one()
        form = session.exec(select(FormVersion).where(FormVersion.code == "kiem-tra-cong-vu-dot-xuat")).one()
        return start_visit(session, ws.editor, unit_id=unit.id, form_id=form.id).id


def run_and_kill(data_dir: Path, visit_id: uuid.UUID, seed: int, delay: float) -> list[str]:
    """Start the child, wait until it is pressing keys, let it run ``delay`` seconds, SIGKILL it."""
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), str(data_dir), str(visit_id), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if first.strip() != "ready":
        proc.kill()
        pytest.fail(f"the app did not start: {first!r} {proc.communicate(timeout=30)[1][-2000:]}")
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=delay)  # normally still running: it is killed mid-stream
    proc.send_signal(signal.SIGKILL)
    out, _err = proc.communicate(timeout=30)
    return out.splitlines()


@pytest.mark.slow
def test_every_edit_shown_as_saved_survives_sigkill(demo_ws: Workspace) -> None:
    data_dir = demo_ws.data_dir
    rng = random.Random(20261130)
    visits = [new_visit(demo_ws) for _ in range(RUNS)]
    demo_ws.close()
    confirmed: dict[uuid.UUID, dict[uuid.UUID, str]] = {}
    for run, visit_id in enumerate(visits):
        lines = run_and_kill(data_dir, visit_id, seed=run, delay=rng.uniform(0.0, 0.45))
        saved = confirmed.setdefault(visit_id, {})
        for line in lines:
            if line.startswith("saved "):
                _word, row_id, status = line.split()
                saved[uuid.UUID(row_id)] = status
        # The next start: integrity first, then every edit shown as saved, read by a fresh workspace.
        assert integrity_problems(data_dir / DB_FILENAME) == []
        ws = open_workspace(data_dir)
        try:
            with Session(ws.engine) as session:
                rows = session.exec(select(RollCall).where(RollCall.visit_id == visit_id)).all()
        finally:
            ws.close()
        stored = {r.id: r.status for r in rows}
        lost = {row_id: status for row_id, status in saved.items() if stored.get(row_id) != status}
        assert not lost, f"run {run}: shown as saved but not stored: {lost}"
    total = sum(len(s) for s in confirmed.values())
    assert total > 0  # the drill really wrote between kills
    print(f"{RUNS} kills, {total} edits shown as saved, all stored")
