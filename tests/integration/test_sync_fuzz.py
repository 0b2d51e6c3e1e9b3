"""Schemathesis over the office's /openapi.json, on a real server (SQLite and PostgreSQL): valid and
invalid requests, signed in as an inspector and as an admin — no answer is a server error (5xx).
Bounded: a fixed number of examples per operation and mode, no shrinking, no example database."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from sync_helpers import Office, laptop, office_fixture, token  # noqa: F401

schemathesis = pytest.importorskip("schemathesis")
EXAMPLES = 30


def test_no_request_makes_a_server_error(office: Office, tmp_path: Path) -> None:
    from schemathesis import GenerationMode

    headers = {
        user: {"Authorization": f"Bearer {token(laptop(tmp_path / user, office, user), office)}"}
        for user in ("an", "quantri")
    }
    schema = schemathesis.openapi.from_url(f"{office.url}/openapi.json")
    failures: list[str] = []
    calls = 0
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = op.as_strategy(generation_mode=mode)

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy, who=st.sampled_from(sorted(headers)))
            def probe(case: object, who: str) -> None:
                nonlocal calls
                response = case.call(base_url=office.url, headers=headers[who], timeout=30)  # type: ignore[attr-defined]
                calls += 1
                if response.status_code >= 500:
                    failures.append(f"{case.operation.label} {who}: {response.status_code}\n{case}")  # type: ignore[attr-defined]

            try:
                probe()
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE, op.label  # nothing to make invalid (no input)
    print(f"schemathesis {schemathesis.__version__}: {len(operations)} operations, {calls} requests")
    assert not failures, "\n".join(failures[:5])


def test_a_nul_character_is_refused_not_a_server_error(office: Office, tmp_path: Path) -> None:
    """Found by the run above on PostgreSQL: text with NUL made a 500 (PostgreSQL cannot store it)."""
    import httpx
    from sync_helpers import http, start_visit

    from inspector_app.core.ids import uuid7
    from inspector_app.sync.protocol import PushBatch, PushResult
    from inspector_app.sync.rows import encode_row
    from inspector_app.sync.tables import table

    login = {"user": "an\x00", "password": "x", "device_tag": "t"}
    assert httpx.post(f"{office.url}/auth/login", json=login).status_code == 422
    ws = laptop(tmp_path / "a", office, "an")
    visit_id = start_visit(ws)
    visit = table("visit")
    with ws.engine.connect() as conn:
        row = encode_row(dict(conn.execute(visit.select().where(visit.c.id == visit_id)).one()._mapping))
    row["place"] = "Trụ sở\x00"
    batch = PushBatch(device_id=ws.editor.device_id, batch_id=str(uuid7()), rows={"visit": [row]})
    with http(ws, office) as h:
        resp = h.post("/sync/push", json=batch.model_dump())
    assert resp.status_code == 200
    assert [r.code for r in PushResult.model_validate(resp.json()).rejected] == ["invalid"]
