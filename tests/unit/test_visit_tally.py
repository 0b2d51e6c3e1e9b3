"""The per-visit figures the office's results keep (``core/desk/tally.py``): made at signing and when
first needed, dropped by the database itself when a visit's answers or roll call change, and the
results from them the same as the results computed from every answer and roll-call row."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from inspector_app.core.db import session_scope
from inspector_app.core.desk import results_queries as q
from inspector_app.core.desk import tally
from inspector_app.core.desk.results import Results, ResultsScope, compute_results
from inspector_app.core.services import reports, visits
from inspector_app.core.workspace import Workspace
from tests.unit.test_results import Extra, add_extra


@pytest.fixture
def extra(demo_ws: Workspace) -> Extra:
    return add_extra(demo_ws)


def kept(ws: Workspace) -> set[uuid.UUID]:
    with ws.engine.connect() as conn:
        return {q.as_uuid(x) for x in conn.execute(sa.text("SELECT visit_id FROM visit_tally")).scalars()}


def all_visits(ws: Workspace) -> set[uuid.UUID]:
    with ws.engine.connect() as conn:
        return {
            q.as_uuid(x) for x in conn.execute(sa.text("SELECT id FROM visit WHERE NOT deleted")).scalars()
        }


def live(ws: Workspace, monkeypatch: pytest.MonkeyPatch, scope: ResultsScope) -> Results:
    """The results computed from the rows alone: nothing kept, nothing read back."""
    with monkeypatch.context() as m:
        m.setattr(tally, "keeps", lambda _session: False)
        return compute_results(ws.engine, scope)


def scopes(extra: Extra) -> list[ResultsScope]:
    return [ResultsScope(), ResultsScope(plan_id=extra.plan_id), ResultsScope(team_id=extra.other_team)]


def test_signing_keeps_the_figures(demo_ws: Workspace) -> None:
    with demo_ws.engine.connect() as conn:
        signed = {
            q.as_uuid(x)
            for x in conn.execute(sa.text("SELECT id FROM visit WHERE status = 'signed'")).scalars()
        }
    assert signed and signed <= kept(demo_ws)  # the demo's visits are signed by sign_and_lock
    with Session(demo_ws.engine) as s:
        ids = sa.select(q.v.c.id).where(q.v.c.id.in_(list(signed)))
        fresh = tally.compute(s, list(signed), q.specs_in(s, ids))
        rows = {q.as_uuid(r[0]): dict(r._mapping) for r in s.execute(sa.select(tally.t))}
        items = {(q.as_uuid(r.visit_id), r.item_code, r.n, r.amount) for r in s.execute(sa.select(tally.ti))}
    for visit_id in signed:
        assert {k: rows[visit_id][k] for k in tally.FIGURES} == fresh.figures[visit_id]
    assert {x for x in items if x[0] in signed} == set(fresh.items)


def test_kept_figures_give_the_same_results(
    demo_ws: Workspace, extra: Extra, monkeypatch: pytest.MonkeyPatch
) -> None:
    for scope in scopes(extra):
        expected = live(demo_ws, monkeypatch, scope)
        assert compute_results(demo_ws.engine, scope) == expected  # computes and keeps what is missing
        assert compute_results(demo_ws.engine, scope) == expected  # read back
    assert kept(demo_ws) == all_visits(demo_ws)


def test_partly_kept(demo_ws: Workspace, extra: Extra, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept figures for some visits, none for the others (the database was busy): the same results."""
    compute_results(demo_ws.engine, ResultsScope())
    with session_scope(demo_ws.engine) as s:
        s.execute(
            sa.text("DELETE FROM visit_tally WHERE substr(visit_id, -1) IN ('0', '2', '4', '6', '8', 'a')")
        )
    monkeypatch.setattr(tally, "fill", lambda *_a: 0)
    for scope in scopes(extra):
        assert compute_results(demo_ws.engine, scope) == live(demo_ws, monkeypatch, scope)


def test_an_edit_drops_the_figures(demo_ws: Workspace, extra: Extra, monkeypatch: pytest.MonkeyPatch) -> None:
    before = compute_results(demo_ws.engine, ResultsScope())
    assert extra.other_visit in kept(demo_ws)
    with session_scope(demo_ws.engine) as s:
        visits.record_answer(s, demo_ws.editor, visit_id=extra.other_visit, item_code="D4", value="yes")
    assert extra.other_visit not in kept(demo_ws)
    after = compute_results(demo_ws.engine, ResultsScope())
    assert after != before
    assert after == live(demo_ws, monkeypatch, ResultsScope())
    assert extra.other_visit in kept(demo_ws)


def test_what_does_not_count_keeps_the_figures(demo_ws: Workspace, extra: Extra) -> None:
    """Sync marks rows clean and writes back the same versions: the figures stay."""
    compute_results(demo_ws.engine, ResultsScope())
    with session_scope(demo_ws.engine) as s:
        s.execute(sa.text("UPDATE answer SET dirty = 0, seq = 7"))
        s.execute(sa.text("UPDATE answer SET value = value, item_code = item_code, deleted = deleted"))
        s.execute(sa.text("UPDATE roll_call SET status = status, dirty = 0"))
    assert kept(demo_ws) == all_visits(demo_ws)
    with session_scope(demo_ws.engine) as s:
        s.execute(
            sa.text("UPDATE roll_call SET status = 'co_mat' WHERE visit_id = :v"),
            {"v": extra.other_visit.hex},
        )
    assert extra.other_visit not in kept(demo_ws)


def test_the_reports_roll_call_from_kept_figures(demo_ws: Workspace, extra: Extra) -> None:
    for scope in (reports.ReportScope(), reports.ReportScope(plan_id=extra.plan_id)):
        with Session(demo_ws.engine) as s:
            totals, per_unit = tally.roll_call(s, reports.visits_in(scope))
            assert totals == reports.roll_call_totals(s, scope)
            assert per_unit == reports.roll_call_by_unit(s, scope)
            assert kept(demo_ws) == all_visits(demo_ws)
            scored = reports.scored_totals(s, scope)
            assert reports.unit_scores(s, scope, scored, per_unit) == reports.unit_scores(s, scope)


def test_the_report_sees_its_sessions_own_writes(demo_ws: Workspace, extra: Extra) -> None:
    """Read side by side on other connections only when the session has nothing uncommitted."""
    with Session(demo_ws.engine) as s:
        before = reports.scored_totals(s, reports.ReportScope())
        visits.record_answer(s, demo_ws.editor, visit_id=extra.other_visit, item_code="D4", value="yes")
        s.flush()
        after = reports.scored_totals(s, reports.ReportScope())
        s.rollback()
    assert after != before
    with Session(demo_ws.engine) as s:
        assert reports.scored_totals(s, reports.ReportScope()) == before
