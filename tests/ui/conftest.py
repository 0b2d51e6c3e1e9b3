"""UI fixtures: a demo workspace grown to many visits by bulk insert, and a theme reset."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from inspector_app.core.bulk import insert_rows
from inspector_app.core.db import session_scope
from inspector_app.core.ids import uuid7
from inspector_app.core.workspace import Workspace

EXTRA_VISITS = 1_000


def add_visits(ws: Workspace, n: int, *, seed: int = 7) -> None:
    """Bulk-insert ``n`` draft/completed visits spread over the demo's units (no children: the list
    only reads the visit, its unit and its form)."""
    rng = random.Random(seed)
    with session_scope(ws.engine) as session:
        conn = session.connection()
        template = conn.execute(
            sa.text("SELECT form_id, team_id, plan_id, device_id FROM visit LIMIT 1")
        ).one()
        units = [r[0] for r in conn.execute(sa.text("SELECT id FROM unit ORDER BY code"))]
        table = SQLModel.metadata.tables["visit"]
        start = dt.datetime(2025, 1, 6, 0, 30, tzinfo=dt.UTC)
        rows = [
            {
                "id": uuid7(),
                "unit_id": sa_uuid(rng.choice(units)),
                "form_id": sa_uuid(template.form_id),
                "team_id": sa_uuid(template.team_id),
                "plan_id": sa_uuid(template.plan_id) if template.plan_id else None,
                "mode": "dot_xuat",
                "status": rng.choice(("draft", "completed")),
                "started_at": start + dt.timedelta(hours=7 * i),
                "number": None,
                "copies": 2,
                "device_id": template.device_id,
            }
            for i in range(n)
        ]
        insert_rows(conn, table, rows, defaults={"updated_at": "", "deleted": False, "dirty": True})


def sa_uuid(value: object) -> object:
    """A uuid as the visit table's column type expects it (SQLite stores it as 32 hex digits)."""
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


@pytest.fixture
def many_ws(demo_ws: Workspace) -> Workspace:
    add_visits(demo_ws, EXTRA_VISITS)
    return demo_ws


@pytest.fixture
def restore_style(qapp: object) -> Iterator[None]:
    from PySide6.QtCore import QDir

    before = (qapp.styleSheet(), qapp.property("inspector_theme"), QDir.searchPaths("icon"))  # type: ignore[attr-defined]
    yield
    qapp.setStyleSheet(before[0])  # type: ignore[attr-defined]
    qapp.setProperty("inspector_theme", before[1])  # type: ignore[attr-defined]
    QDir.setSearchPaths("icon", before[2])
