"""Two laptops of one team answer the same visit offline: deterministic ids make them meet on
one row per item, and per-row newer-wins merges them (the rule sync applies)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from sqlmodel import Session, SQLModel, select

from inspector_app.core.bulk import upsert_newer
from inspector_app.core.db import DB_FILENAME, backup_to, session_scope
from inspector_app.core.models import Answer, Unit
from inspector_app.core.services import visits
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.forms_registry import latest_form
from inspector_app.core.workspace import Workspace, open_workspace


def _laptop(template: Path, folder: Path, device: str) -> Workspace:
    backup_to(template / DB_FILENAME, folder / DB_FILENAME)
    ws = open_workspace(folder)
    ws.editor = Editor.for_device(device)
    return ws


def _answers(ws: Workspace, visit_id: object) -> list[dict[str, object]]:
    with Session(ws.engine) as s:
        return [a.model_dump() for a in s.exec(select(Answer).where(Answer.visit_id == visit_id)).all()]


def test_same_item_on_two_laptops_lands_on_one_row_and_newer_wins(
    demo_template: Path, tmp_path: Path
) -> None:
    a = _laptop(demo_template, tmp_path / "a", "lapA")
    b = _laptop(demo_template, tmp_path / "b", "lapB")
    # The visit started on laptop A reaches laptop B (a planned visit, or after a sync).
    with session_scope(a.engine) as s:
        unit = s.exec(select(Unit).where(Unit.code == "HT-XA-CAN-LOC")).one()
        form = latest_form(s, "kiem-tra-cong-vu-dot-xuat")
        visit = visits.start_visit(
            s,
            a.editor,
            unit_id=unit.id,
            form_id=form.id,
            arrived_at=dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC),
        )
    with a.engine.connect() as src, b.engine.begin() as dst:
        for name in ("visit", "roll_call"):
            table = SQLModel.metadata.tables[name]
            rows = [dict(r._mapping) for r in src.execute(table.select())]
            upsert_newer(dst, table, rows)

    with session_scope(a.engine) as s:
        visits.record_answer(
            s, a.editor, visit_id=visit.id, item_code="B9", value="no"
        )  # A: roll call person
        visits.record_answer(s, a.editor, visit_id=visit.id, item_code="B11", value="yes")
    with session_scope(b.engine) as s:
        b.editor.clock.observe(a.editor.clock.now())  # B saw A's stamps at the last sync
        visits.record_answer(s, b.editor, visit_id=visit.id, item_code="B9", value="yes")  # B, later
        visits.record_answer(s, b.editor, visit_id=visit.id, item_code="B12", value="yes")

    answers_a, answers_b = _answers(a, visit.id), _answers(b, visit.id)
    b9 = [r for r in answers_a + answers_b if r["item_code"] == "B9"]
    assert len({r["id"] for r in b9}) == 1  # one row id for one item, on both laptops

    # Merge both ways with the sync rule: newer HLC wins, per row.
    table = SQLModel.metadata.tables["answer"]
    for src, dst in ((b, a), (a, b)):
        with src.engine.connect() as c_src, dst.engine.begin() as c_dst:
            upsert_newer(c_dst, table, [dict(r._mapping) for r in c_src.execute(table.select())])
    for ws in (a, b):
        with Session(ws.engine) as s:
            rows = s.exec(select(Answer).where(Answer.visit_id == visit.id)).all()
            values = {x.item_code: json.loads(x.value) for x in rows}
        assert values == {"B9": "yes", "B11": "yes", "B12": "yes"}
    for ws in (a, b):
        ws.close()
    shutil.rmtree(tmp_path / "a")
