"""A device revoked at the office: its last contact pushes what it has not pushed, then the laptop
deletes its local data (leaving a note) and refuses to sync; afterwards its token is dead (401).
Through the real office over SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sync_helpers import Office, answer, answers, http, laptop, office_fixture, start_visit, token  # noqa: F401

from inspector_app.core.db import DB_FILENAME, session_scope
from inspector_app.core.services.attachments import store_attachment
from inspector_app.office import admin
from inspector_app.sync import client
from inspector_app.sync.protocol import FINAL_CONTACT_HEADER
from inspector_app.sync.transport import NotSignedIn

FINAL = {FINAL_CONTACT_HEADER: "wipe"}
JSON = {"Content-Type": "application/json"}


def _device(office: Office, tag: str) -> admin.DeviceInfo:
    return next(d for d in admin.list_devices(office.engine) if d.tag == tag)


def test_revoked_laptop_pushes_what_it_has_then_wipes(office: Office, tmp_path: Path) -> None:
    ws = laptop(tmp_path / "a", office, "an")
    visit_id = start_visit(ws)
    client.sync(ws)
    # Work done after the last sync: a row edit and a file, neither at the office yet.
    answer(ws, visit_id, "B9", "no")
    data = b"anh-bang-chung-" * 1000
    with session_scope(ws.engine) as s:
        store_attachment(s, ws.editor, ws.attachments, data=data, mime="image/jpeg")
    sha = hashlib.sha256(data).hexdigest()
    folder, tag, old_token = ws.data_dir, ws.editor.device_id, token(ws, office)
    assert (folder / DB_FILENAME).exists() and (folder / "backups").is_dir() and any(ws.attachments.iterdir())

    admin.revoke_device(office.engine, _device(office, tag).id)
    assert _device(office, tag).state == admin.PENDING_WIPE
    with http(ws, office) as h:
        assert h.get("/sync/pull").status_code == 401  # nothing to read any more
        assert h.get("/auth/final").status_code == 401  # only a laptop that declares it wipes
        assert h.get("/auth/final", headers=FINAL).status_code == 200

    with pytest.raises(client.DeviceWiped, match=re.escape(client.WIPE_NOTE)):
        client.sync(ws)

    # Nothing was lost: the edit and the file reached the office.
    assert answers(office.engine, visit_id)["B9"] == '"no"'
    with office.engine.connect() as conn:
        assert (
            conn.execute(sa.text("SELECT count(*) FROM office_blob WHERE sha256 = :s"), {"s": sha}).scalar()
            == 1
        )
    # The local data is gone; a note says why and when.
    assert not (folder / DB_FILENAME).exists()
    assert not ws.attachments.exists() and not (folder / "backups").exists()
    assert not (folder / "sync-token.json").exists()
    note = (folder / client.WIPE_NOTE).read_text(encoding="utf-8")
    assert "revoked" in note and tag in note and "Rows sent in the last contact: " in note
    # The office knows; the token is dead everywhere, the final routes included.
    assert _device(office, tag).state == admin.WIPED
    auth = {"Authorization": f"Bearer {old_token}"}
    assert httpx.get(f"{office.url}/auth/final", headers=auth | FINAL).status_code == 401
    assert httpx.get(f"{office.url}/auth/me", headers=auth).status_code == 401
    # And the laptop refuses to sync or sign in again, with a clear message.
    with pytest.raises(client.DeviceWiped, match=re.escape(client.WIPE_NOTE)):
        client.sync(ws)
    with pytest.raises(client.DeviceWiped):
        client.login(ws, office.url, "an", "mat-khau-thu-nghiem")


def test_final_contact_reads_nothing_and_sign_out_is_no_wipe(office: Office, tmp_path: Path) -> None:
    a, b = laptop(tmp_path / "a", office, "an"), laptop(tmp_path / "b", office, "binh")
    visit_id = start_visit(a)
    client.sync(a)
    client.sync(b)
    answer(a, visit_id, "B9", "no")  # older than b's edit: the office refuses it as stale
    answer(b, visit_id, "B9", "yes")
    client.sync(b)
    admin.revoke_device(office.engine, _device(office, a.editor.device_id).id)
    from inspector_app.sync import local

    built = local.build_batch(a.engine, a.editor.device_id, 100)
    assert built is not None
    with http(a, office) as h:
        assert h.post("/sync/push", content=built.body, headers=JSON).status_code == 401
        resp = h.post("/auth/final/push", content=built.body, headers=FINAL | JSON)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["wipe"] is True and body["server_rows"] == {}  # a revoked device reads nothing
        assert [r["code"] for r in body["rejected"]] == ["stale"]
        replay = h.post("/auth/final/push", content=built.body, headers=FINAL | JSON).json()
        assert replay["replayed"] is True and replay["wipe"] is True and replay["server_rows"] == {}
    # Signing out kills the token at once, with no last contact and nothing deleted.
    with http(b, office) as h:
        assert h.post("/auth/logout").status_code == 204
        assert h.get("/auth/final", headers=FINAL).status_code == 401
    assert _device(office, b.editor.device_id).state == admin.SIGNED_OUT
    with pytest.raises(NotSignedIn) as err:
        client.sync(b)
    assert not isinstance(err.value, client.DeviceWiped)
    assert (b.data_dir / DB_FILENAME).exists()


def test_batches_built_by_sqlite_decode_like_the_rows_themselves(tmp_path: Path) -> None:
    """The laptop builds push batches with SQLite's json_object (no per-row Python): every synced
    table's rows must reach the office exactly as ``rows.encode_row`` of the ORM values would."""
    from inspector_app.core.demo.load import load_reference
    from inspector_app.core.workspace import open_workspace
    from inspector_app.sync import local, tables
    from inspector_app.sync.rows import decode_row, encode_row

    ws = open_workspace(tmp_path / "a")
    with session_scope(ws.engine) as s:
        load_reference(s)
        store_attachment(s, ws.editor, ws.attachments, data=b"x" * 100, mime="image/png", width=1, height=2)
    with ws.engine.begin() as conn:
        compared = set()
        for t in tables.synced_tables():
            conn.exec_driver_sql(f'UPDATE "{t.name}" SET dirty = 1')
            orm = {str(r.id): encode_row(dict(r._mapping)) for r in conn.execute(sa.select(t))}
            _ends, sql = local._dirty_sql(t.name)
            built = [json.loads(r[2]) for r in conn.exec_driver_sql(sql, (0, 2**62))]
            assert len(built) == len(orm)
            for row in built:
                assert decode_row(t.name, row) == decode_row(t.name, orm[row["id"]])
                compared.add(t.name)
    assert {"unit", "team", "form_version", "attachment"} <= compared
    ws.close()
