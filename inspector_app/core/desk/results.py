"""The office's results over a plan or a period (and a team): visits done against planned, violations
by topic, the ranking of units and monthly trends (issue 7 item 6). Qt-free.

The figures come from a few grouped queries (``results_queries.py``); here their rows — per unit and
month, per failing item: a few thousand at most, never one per visit — are folded into what the
results page shows. Roll-call counts are those of the summary report and the ranking is its ranking
(``reports.UnitScore``, same order), so the page and the report agree.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from inspector_app.core.desk import results_queries as q
from inspector_app.core.desk import tally
from inspector_app.core.desk.results_queries import ROLL_CALL_COUNTS, ROLL_CALL_VIOLATIONS, Specs
from inspector_app.core.models import Team
from inspector_app.core.services import reports
from inspector_app.core.services.reports import NUMERIC, UnitScore


@dataclass(frozen=True)
class ResultsScope:
    """A plan and/or local dates, as for the summary report, optionally narrowed to one team."""

    plan_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    team_id: uuid.UUID | None = None

    @property
    def report(self) -> reports.ReportScope:
        """The summary report's scope (the report has no team: it covers every team's visits)."""
        return reports.ReportScope(self.plan_id, self.date_from, self.date_to)


@dataclass(frozen=True)
class UnitProgress:
    unit_id: uuid.UUID
    unit_name: str
    planned: int  # planned visits of the unit in scope
    planned_done: int  # of those, carried out (a completed or signed visit)
    visits: int  # visits in scope, any status
    done: int  # completed or signed


@dataclass(frozen=True)
class Topic:
    """One kind of violation over the scope. ``people``: officials concerned (roll call) or the
    summed count of a count item ("37 hồ sơ trễ hạn"); ``visits``: visits where it was found."""

    source: str  # "roll_call" | "checklist"
    key: str  # a roll-call count name, or "<section>/<item>"
    section: str  # the form's section title ("" for the roll call)
    text: str  # checklist: the finding as the form words it
    visits: int
    people: float | None = None


@dataclass(frozen=True)
class RankedUnit:
    rank: int | None  # None: nothing scored yet
    unit: UnitScore


@dataclass(frozen=True)
class Month:
    month: dt.date  # first day of the month (local)
    visits: int
    violations: int  # roll-call violations + failed checklist items (not those the roll call fills)
    people: int
    late: int
    absent: int  # without (known) reason

    @property
    def violations_per_visit(self) -> float:
        return self.violations / self.visits if self.visits else 0.0

    @property
    def late_share(self) -> float:
        return self.late / self.people if self.people else 0.0

    @property
    def absent_share(self) -> float:
        return self.absent / self.people if self.people else 0.0


@dataclass(frozen=True)
class Results:
    scope: ResultsScope
    planned: int
    planned_done: int
    visits: int
    done: int
    units: list[UnitProgress]  # by name
    topics: list[Topic]  # roll call first, then checklist by section, most frequent first
    ranking: list[RankedUnit]  # best first, as in the summary report
    months: list[Month]  # in order, months without visits left out
    roll_call: dict[str, int] = field(default_factory=dict)

    @property
    def drafts(self) -> int:
        return self.visits - self.done


def compute_results(engine: sa.Engine, scope: ResultsScope) -> Results:
    """The whole results of a scope. Per-visit figures come from the tally (``tally.py``): those
    of the visits in scope that have none are computed and kept first (a write, on SQLite), then
    the figures are read back and grouped, the failed topics summed and the planned visits counted,
    each on its own connection (SQLite's WAL lets readers share the file)."""
    report, team = scope.report, scope.team_id
    ids = q.visit_ids(report, team)
    with Session(engine) as session:
        specs = q.specs_in(session, ids)
    tally.fill(engine, ids, specs)
    jobs: dict[str, Callable[[Session], Any]] = {
        "planned": lambda s: q.planned(s, report, team),
        "visits": lambda s: tally.grouped(s, ids, specs),
        "items": lambda s: tally.kept_items(s, ids),
    }
    with ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="results") as pool:
        futures = {name: pool.submit(_read, engine, job) for name, job in jobs.items()}
        out = {name: f.result() for name, f in futures.items()}
    g = tally.with_items(out["visits"], out["items"])
    return _fold(scope, g.rows, g.weights, g.failed, g.items, out["planned"], specs)


def _read(engine: sa.Engine, job: Callable[[Session], Any]) -> Any:
    with Session(engine) as session, q.fast_reads(session):
        return job(session)


# ------------------------------------------------------------------------------------------- fold


def _fold(
    scope: ResultsScope,
    rows: list[Any],
    weights: list[Any],
    failed: list[Any],
    items: list[Any],
    planned: list[Any],
    specs: Specs,
) -> Results:
    units: dict[uuid.UUID, dict[str, Any]] = {}
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for row in rows:  # (unit, month): visits and roll call
        m = row._mapping
        unit = units.setdefault(q.as_uuid(m["unit_id"]), _new_unit(m["unit_name"]))
        for key in ("visits", "done", *ROLL_CALL_COUNTS):
            unit[key] += int(m[key])
        for key in ("visits", "done", *ROLL_CALL_COUNTS, *(f"{n}_visits" for n in ROLL_CALL_VIOLATIONS)):
            totals[key] += int(m[key])
        month = months[m["month"]]
        month["visits"] += int(m["visits"])
        month["violations"] += sum(int(m[n]) for n in ROLL_CALL_VIOLATIONS)
        for key, name in (("people", "people"), ("late", "late"), ("absent", "absent_without_reason")):
            month[key] += int(m[name])
    # The scans run on separate connections: a visit synced in between can show in one and not in
    # another; such a straggler is left out here and counted at the next computation.
    for unit_id, weight in weights:
        if (holder := units.get(q.as_uuid(unit_id))) is not None:
            holder["applicable_weight"] = float(weight or 0)
    for _kind, unit_id, month_key, n, weight, topic_failures in failed:  # (unit, month): failures
        if (holder := units.get(q.as_uuid(unit_id))) is None or month_key not in months:
            continue
        holder["failed_items"] += int(n)
        holder["failed_weight"] += float(weight or 0)
        months[month_key]["violations"] += int(topic_failures or 0)
    plan_rows = {q.as_uuid(p.unit_id): p for p in planned}
    progress = [
        UnitProgress(
            unit_id,
            units[unit_id]["name"] if unit_id in units else plan_rows[unit_id].name,
            int(plan_rows[unit_id].planned) if unit_id in plan_rows else 0,
            int(plan_rows[unit_id].planned_done) if unit_id in plan_rows else 0,
            units[unit_id]["visits"] if unit_id in units else 0,
            units[unit_id]["done"] if unit_id in units else 0,
        )
        for unit_id in units.keys() | plan_rows.keys()
    ]
    progress.sort(key=lambda p: (p.unit_name.casefold(), str(p.unit_id)))
    scores = [
        UnitScore(
            unit_id,
            d["name"],
            d["visits"],
            d["applicable_weight"],
            d["applicable_weight"] - d["failed_weight"],
            d["failed_items"],
            {k: d[k] for k in ROLL_CALL_COUNTS},
        )
        for unit_id, d in units.items()
    ]
    return Results(
        scope=scope,
        planned=sum(p.planned for p in progress),
        planned_done=sum(p.planned_done for p in progress),
        visits=totals["visits"],
        done=totals["done"],
        units=progress,
        topics=_roll_call_topics(totals) + _checklist_topics(items, specs),
        ranking=rank_units(scores),
        months=[_month(key, d) for key, d in sorted(months.items())],
        roll_call={k: totals[k] for k in ROLL_CALL_COUNTS},
    )


def _new_unit(name: str) -> dict[str, Any]:
    return dict.fromkeys(("visits", "done", "failed_items", *ROLL_CALL_COUNTS), 0) | {
        "name": name,
        "applicable_weight": 0.0,
        "failed_weight": 0.0,
    }


def _month(key: str, d: dict[str, int]) -> Month:
    day = dt.date(int(key[:4]), int(key[5:7]), 1)
    return Month(day, d["visits"], d["violations"], d["people"], d["late"], d["absent"])


def rank_units(scores: list[UnitScore]) -> list[RankedUnit]:
    """By score (high first), then fewer roll-call violations, then name — the summary report's order."""
    ordered = sorted(
        scores, key=lambda s: (s.score is None, -(s.score or 0.0), s.violations, s.unit_name.casefold())
    )
    return [RankedUnit(n if s.score is not None else None, s) for n, s in enumerate(ordered, start=1)]


def _roll_call_topics(totals: dict[str, int]) -> list[Topic]:
    return [
        Topic("roll_call", name, "", "", totals[f"{name}_visits"], float(totals[name]))
        for name in ROLL_CALL_VIOLATIONS
        if totals[name]
    ]


def _checklist_topics(items: list[Any], specs: Specs) -> list[Topic]:
    """Failing items worded by their form, per section; the same wording in two forms is one topic."""
    merged: dict[tuple[str, str], tuple[str, str, int, float | None]] = {}
    for _kind, form_id, code, visits, amount, _y in items:
        spec = specs[q.as_uuid(form_id)]
        item = spec.item(code)
        section = next((s for s in spec.sections if s.code == item.section), None)
        title = section.title if section else ""
        total = float(amount) if item.type in NUMERIC and amount is not None else None
        text = item.finding or item.label
        if "{value}" in text:
            text = text.replace("{value}", f"{total:g}".replace(".", ",") if total is not None else "…")
        key = (title, text.rstrip(". "))
        old = merged.get(key)
        if old is None:
            merged[key] = (item.section, f"{item.section}/{code}", int(visits), total)
        else:
            merged[key] = (old[0], old[1], old[2] + int(visits), None)
    ordered = sorted(merged.items(), key=lambda kv: (kv[1][0], -kv[1][2], kv[0][1]))
    return [
        Topic("checklist", k, title, text, visits, amount)
        for (title, text), (_s, k, visits, amount) in ordered
    ]


@dataclass(frozen=True)
class PlanChoice:
    id: uuid.UUID
    number: str
    title: str
    period_from: dt.date
    period_to: dt.date


def scope_choices(session: Session) -> tuple[list[PlanChoice], list[tuple[uuid.UUID, str]]]:
    """The plans (newest first) and the teams (by name) a clerk can narrow the results to."""
    plans = session.execute(
        sa.select(q.pl.c.id, q.pl.c.number, q.pl.c.title, q.pl.c.period_from, q.pl.c.period_to)
        .where(q.pl.c.deleted == sa.false())
        .order_by(q.pl.c.period_from.desc(), q.pl.c.number)
    )
    team = Team.__table__  # type: ignore[attr-defined]
    teams = session.execute(
        sa.select(team.c.id, team.c.name).where(team.c.deleted == sa.false()).order_by(team.c.name)
    )
    return [PlanChoice(q.as_uuid(r[0]), *r[1:]) for r in plans], [(q.as_uuid(i), n) for i, n in teams]
