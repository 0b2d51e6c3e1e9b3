"""The office's acks on the laptop (``sync.local.apply_result``): a row is found by the rowid it was
read with, checked against its id; marked clean only if unchanged since it was sent; the office's
seq kept (the version a later edit is based on)."""

from __future__ import annotations

import uuid
from pathlib import Path

from sync_helpers import answer, start_visit

from inspector_app.core.db import DB_FILENAME, backup_to
from inspector_app.core.services.editor import Editor
from inspector_app.core.workspace import Workspace, open_workspace
from inspector_app.sync import local
from inspector_app.sync.protocol import PushBatch, PushResult


def _laptop(template: Path, folder: Path) -> Workspace:
    backup_to(template / DB_FILENAME, folder / DB_FILENAME)
    ws = open_workspace(folder)
    ws.editor = Editor.for_device("lapA")
    with ws.engine.begin() as conn:  # the demo province as if already synced: only the visit is new
        for t in local.tables.synced_tables():
            conn.execute(t.update().values(dirty=False))
    return ws


def _state(ws: Workspace) -> dict[str, tuple[int, int | None]]:
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, dirty, seq FROM answer").all()
    return {str(uuid.UUID(rid)): (dirty, seq) for rid, dirty, seq in rows}


def test_acks_find_rows_by_rowid_and_never_touch_another_row(demo_template: Path, tmp_path: Path) -> None:
    ws = _laptop(demo_template, tmp_path / "a")
    visit_id = start_visit(ws)
    for item in ("B9", "B11", "B12"):
        answer(ws, visit_id, item, "yes")
    built = local.build_batch(ws.engine, ws.editor.device_id, 5000)
    assert built is not None and len(built.rowids["answer"]) == 3
    sent = {r["item_code"]: r for r in PushBatch.model_validate_json(built.body).rows["answer"]}
    b9, b11, b12 = sent["B9"], sent["B11"], sent["B12"]
    with ws.engine.begin() as conn:
        # B11 moved to another rowid since it was read (as VACUUM may do), and B12 was answered again.
        conn.exec_driver_sql(
            "UPDATE answer SET rowid = rowid + 1000000 WHERE id = ?", (b11["id"].replace("-", ""),)
        )
    answer(ws, visit_id, "B12", "no")
    acks = {"answer": [(r["id"], r["updated_at"], 100 + n) for n, r in enumerate((b9, b11, b12))]}
    local.apply_result(ws.engine, built.body, PushResult(batch_id=built.batch_id, acks=acks), built.rowids)
    state = _state(ws)
    assert state[b9["id"]] == (0, 100)  # found by its rowid
    assert state[b11["id"]] == (0, 101)  # not at its rowid any more: found by id
    assert state[b12["id"]] == (1, 102)  # edited since it was sent: stays dirty for the next push
    ws.close()
