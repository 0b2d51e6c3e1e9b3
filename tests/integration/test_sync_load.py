"""Many laptops at once against a real office (SQLite and PostgreSQL): every visit arrives exactly
once, and every laptop ends with every visit of its team."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import sqlalchemy as sa
from sync_helpers import Office, answer, laptop, office_fixture, start_visit  # noqa: F401

from inspector_app.core.workspace import Workspace
from inspector_app.sync import client
from inspector_app.sync.local import dirty_count
from inspector_app.sync.tables import table

DEVICES = 20
VISITS_EACH = 3


def _ids(engine: sa.Engine, name: str, visit_ids: set[uuid.UUID]) -> list[tuple[uuid.UUID, str]]:
    t = table(name)
    col = t.c.id if name == "visit" else t.c.visit_id
    with engine.connect() as conn:
        return sorted(
            (r.id, r.updated_at)
            for r in conn.execute(sa.select(t.c.id, t.c.updated_at).where(col.in_(visit_ids)))
        )


def test_twenty_laptops_sync_at_once(office: Office, tmp_path: Path) -> None:
    laptops: list[Workspace] = [
        laptop(tmp_path / f"l{n:02d}", office, "an" if n % 2 else "binh") for n in range(DEVICES)
    ]
    made: dict[int, list[uuid.UUID]] = {}
    for n, ws in enumerate(laptops):
        made[n] = [start_visit(ws) for _ in range(VISITS_EACH)]
        for v in made[n]:
            answer(ws, v, "B9", "yes")
            answer(ws, v, "B11", "no")
    errors: list[BaseException] = []
    start = threading.Barrier(DEVICES)

    def run(ws: Workspace) -> None:
        try:
            start.wait(timeout=60)
            for _round in range(2):  # push, then pull what the others pushed meanwhile
                client.sync(ws)
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(ws,), daemon=True) for ws in laptops]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)
    for ws in laptops:
        client.sync(ws)  # the last pushes reach everyone

    all_visits = {v for vs in made.values() for v in vs}
    assert len(all_visits) == DEVICES * VISITS_EACH
    visit = table("visit")
    with office.engine.connect() as conn:
        rows = conn.execute(sa.select(visit.c.id).where(visit.c.id.in_(all_visits))).scalars().all()
    assert sorted(rows) == sorted(all_visits)  # every visit, exactly once
    want = {name: _ids(office.engine, name, all_visits) for name in ("visit", "answer", "roll_call")}
    assert len(want["answer"]) == 2 * len(all_visits)
    for ws in laptops:
        assert dirty_count(ws.engine) == 0
        for name, rows_ in want.items():
            assert _ids(ws.engine, name, all_visits) == rows_, (ws.data_dir, name)
