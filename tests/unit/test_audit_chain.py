"""The per-device audit chain detects any change, removal or reordering of its entries."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from inspector_app.core.db import session_scope
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.workspace import Workspace


def _chain(ws: Workspace, n: int = 5) -> None:
    with session_scope(ws.engine) as s:
        for i in range(n):
            audit.append(
                s, ws.editor, action="test", entity="visit", entity_id=i, detail={"i": i, "t": "Đạt"}
            )


def _problems(ws: Workspace) -> list[str]:
    with Session(ws.engine) as s:
        return [str(p) for p in audit.verify(s)]


def test_an_untouched_chain_verifies(workspace: Workspace) -> None:
    _chain(workspace)
    other = Editor.for_device("laptop2", actor="Phạm Thu Hà")
    with session_scope(workspace.engine) as s:
        audit.append(s, other, action="test", entity="visit", entity_id="x", detail={})
    assert _problems(workspace) == []


def test_changing_an_entry_is_detected(workspace: Workspace) -> None:
    _chain(workspace)
    with workspace.engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_entry SET detail = :d WHERE n = 3"), {"d": '{"i":99}'})
    problems = _problems(workspace)
    assert problems and "#3" in problems[0]


def test_rehashing_a_changed_entry_still_breaks_the_next_link(workspace: Workspace) -> None:
    _chain(workspace)
    with Session(workspace.engine) as s:
        from sqlmodel import select

        from inspector_app.core.models import AuditEntry

        entry = s.exec(select(AuditEntry).where(AuditEntry.n == 2)).one()
        entry.actor = "kẻ giả mạo"
        entry.hash = audit.entry_hash(entry)
        s.commit()
    problems = _problems(workspace)
    assert any("#3" in p for p in problems)


def test_removing_or_reordering_entries_is_detected(workspace: Workspace) -> None:
    _chain(workspace)
    with workspace.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_entry WHERE n = 2"))
    problems = _problems(workspace)
    assert problems and "#2" in problems[0]


def test_swapping_two_entries_is_detected(workspace: Workspace) -> None:
    _chain(workspace)
    with workspace.engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_entry SET n = -1 WHERE n = 2"))
        conn.execute(sa.text("UPDATE audit_entry SET n = 2 WHERE n = 3"))
        conn.execute(sa.text("UPDATE audit_entry SET n = 3 WHERE n = -1"))
    assert _problems(workspace)
