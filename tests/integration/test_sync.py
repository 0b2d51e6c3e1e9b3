"""Office sync end to end: a real uvicorn office over SQLite and PostgreSQL, real laptop folders."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sync_helpers import Office, answer, answers, dirty, laptop, office_fixture, start_visit  # noqa: F401

from inspector_app.core.models.sync import SyncConflict
from inspector_app.sync import client
from inspector_app.sync.transport import NotSignedIn


def test_two_laptops_editing_one_visit_offline_merge_per_item(office: Office, tmp_path: Path) -> None:
    a, b = laptop(tmp_path / "a", office, "an"), laptop(tmp_path / "b", office, "binh")
    visit_id = start_visit(a)
    first = client.sync(a)
    assert first.pushed > 0 and first.rejected == []
    client.sync(b)  # B joins the visit
    assert answers(b.engine, visit_id) == answers(a.engine, visit_id)

    answer(a, visit_id, "B9", "no")  # both offline now
    answer(a, visit_id, "B11", "yes")
    answer(b, visit_id, "B9", "yes")  # B's edit of B9 is later: it wins
    answer(b, visit_id, "B12", "yes")
    client.sync(a)
    report_b = client.sync(b)
    client.sync(a)

    want = {"B9": '"yes"', "B11": '"yes"', "B12": '"yes"'}
    for engine in (a.engine, b.engine, office.engine):
        got = answers(engine, visit_id)
        assert {k: got[k] for k in want} == want
    assert dirty(a) == 0 and dirty(b) == 0
    assert report_b.conflicts >= 1  # A's "no" for B9 lost: kept at the office, not dropped
    with office.engine.connect() as conn:
        kept = conn.execute(
            sa.select(SyncConflict.row).where(SyncConflict.table_name == "answer")  # type: ignore[call-overload]
        ).scalars()
        assert any(json.loads(r)["value"] == '"no"' and json.loads(r)["item_code"] == "B9" for r in kept)


def test_every_route_refuses_missing_or_revoked_token(office: Office, tmp_path: Path) -> None:
    from inspector_app.office import admin

    ws = laptop(tmp_path / "a", office, "an")
    token = client._tokens(ws, office.url).load()
    spec = httpx.get(f"{office.url}/openapi.json").json()
    open_paths = {"/auth/login", "/health"}
    sha = "0" * 64
    calls = []
    for path, methods in spec["paths"].items():
        if path in open_paths:
            continue
        url = path.replace("{sha}", sha).replace("{visit_id}", str(uuid.uuid4()))
        calls += [(m.upper(), url) for m in methods]
    assert len(calls) >= 8

    def statuses(headers: dict[str, str]) -> set[int]:
        return {
            httpx.request(m, office.url + u, headers=headers, params={"offset": 0, "size": 1}).status_code
            for m, u in calls
        }

    assert statuses({}) == {401}
    assert statuses({"Authorization": "Bearer not-a-token"}) == {401}
    assert httpx.get(f"{office.url}/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    device = next(d for d in admin.list_devices(office.engine) if d.tag == ws.editor.device_id)
    admin.revoke_device(office.engine, device.id)
    assert statuses({"Authorization": f"Bearer {token}"}) == {401}
    with pytest.raises(NotSignedIn):
        client.sync(ws)
