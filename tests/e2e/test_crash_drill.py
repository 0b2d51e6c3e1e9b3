"""Crash drill: the service layer in a child process is killed with SIGKILL at random moments
while edits stream in. Every edit reported as saved before the kill must be there afterwards,
and SQLite's integrity check must pass. 50 kills here (bench scripts may run more)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlmodel import Session, select

from inspector_app.core.db import DB_FILENAME, integrity_problems
from inspector_app.core.models import Answer, Finding
from inspector_app.core.services.queries import VisitFilter, list_visits
from inspector_app.core.workspace import Workspace

WORKER = Path(__file__).with_name("crash_worker.py")
RUNS = int(os.environ.get("INSPECTOR_CRASH_RUNS", "50"))


def _kill_after(data_dir: Path, visit_id: str, start: int, delay: float) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(data_dir), visit_id, str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until the worker is actually writing, then let it run a random while and kill it.
    first = proc.stdout.readline() if proc.stdout else ""
    assert first, proc.stderr.read() if proc.stderr else "worker printed nothing"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    rest, _err = proc.communicate(timeout=30)
    return [first.strip(), *(line for line in rest.splitlines() if line.strip())]


@pytest.mark.slow
def test_every_saved_edit_survives_sigkill(demo_ws: Workspace) -> None:
    with Session(demo_ws.engine) as s:
        visit_id = str(list_visits(s, VisitFilter(status="draft"), limit=1)[0]["id"])
    demo_ws.close()
    rng = random.Random(20261201)
    saved_findings: set[str] = set()
    last_answer: dict[str, int] = {}
    counter = 0
    for _run in range(RUNS):
        lines = _kill_after(demo_ws.data_dir, visit_id, counter, rng.uniform(0.0, 0.25))
        for line in lines:
            kind, *rest = line.split()
            if kind == "finding":
                saved_findings.add(f"Ghi nhận số {rest[0]}")
                counter = max(counter, int(rest[0]))
            else:
                last_answer[rest[0]] = int(rest[1])
                counter = max(counter, int(rest[1]))
        counter += 1  # an edit may have committed without being printed: never reuse its number
        # Checked after every kill: integrity first, then the edits.
        assert integrity_problems(demo_ws.data_dir / DB_FILENAME) == []
    with Session(demo_ws.engine) as s:
        stored = {f.text for f in s.exec(select(Finding).where(Finding.source == "manual")).all()}
        answers = s.exec(select(Answer).where(Answer.visit_id == uuid.UUID(visit_id))).all()
        notes = {a.item_code: a.note for a in answers}
    assert saved_findings <= stored, sorted(saved_findings - stored)[:5]
    assert len(saved_findings) > RUNS  # the drill really wrote between kills
    for item, n in last_answer.items():
        stored_n = int(notes[item].split()[-1]) if notes.get(item) else -1
        assert stored_n >= n, (item, n, stored_n)  # the last saved edit, or a later unprinted one
    print(json.dumps({"kills": RUNS, "edits_confirmed": len(saved_findings) + len(last_answer)}))
