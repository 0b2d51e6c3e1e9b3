"""The office's Results tab: for a plan or a period (and a team), the visits done against planned,
violations by topic, the ranking of units and the trends by month, as figures, tables and charts; and
"Summary report…", the báo cáo tổng hợp of the same plan or period as PDF or .xlsx.

The figures are computed by ``core.desk.results`` in ``tasks.run`` (off the GUI thread: over tens of
thousands of visits it takes a second or two); a newer choice makes an older answer stale, dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.desk.results import (
    Month,
    PlanChoice,
    Results,
    ResultsScope,
    compute_results,
    scope_choices,
)
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.office.charts import BarChart, LineChart, plain_number
from inspector_app.ui.office.results_tables import (
    fill_months,
    fill_progress,
    fill_ranking,
    fill_topics,
    make_table,
    percent,
    topic_label,
)
from inspector_app.ui.tasks import Tasks

ChooseFile = Callable[[QWidget | None, Path], Path | None]
CHART_TOPICS = 12


def choose_report_file(parent: QWidget | None, suggested: Path) -> Path | None:
    filters = ";;".join((_("PDF document (*.pdf)"), _("Excel workbook (*.xlsx)")))
    path, chosen = QFileDialog.getSaveFileName(parent, _("Save the summary report"), str(suggested), filters)
    if not path:
        return None
    out = Path(path)
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        out = out.with_suffix(".xlsx" if "xlsx" in chosen else ".pdf")
    return out


def write_report(ws: Workspace, scope: ResultsScope, out: Path) -> Path:
    """The summary report of the scope's plan or period (every team: the report has no team filter),
    written through a temporary name so a half-written file never bears the real one."""
    from inspector_app.documents.report_commands import render_report_file

    plan = str(scope.plan_id) if scope.plan_id else None
    data = render_report_file(ws, plan, scope.date_from, scope.date_to, out.suffix.lower())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out


def every_month(months: list[Month]) -> dict[dt.date, Month | None]:
    """The months from the first to the last with visits, those without any as None (a gap)."""
    if not months:
        return {}
    found = {m.month: m for m in months}
    out: dict[dt.date, Month | None] = {}
    day = months[0].month
    while day <= months[-1].month:
        out[day] = found.get(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


class Figure(QFrame):
    """A big number with its caption and a line of detail."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption, self.value, self.detail = QLabel(caption), QLabel("–"), QLabel("")
        # The theme's style sheet sets every label's font size: only a style sheet can enlarge this one.
        self.value.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        for w in (self.caption, self.value, self.detail):
            layout.addWidget(w)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class ResultsPage(QWidget):
    """Results of the inspections, reported upward."""

    def __init__(self, ws: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.choose_file: ChooseFile = choose_report_file  # tests answer the file dialog themselves
        self.results: Results | None = None
        self.report_path: Path | None = None  # the last report written
        self.plans: list[PlanChoice] = []
        self._generation = 0
        self._filling = False
        self._timer = QTimer(self, singleShot=True, interval=250)  # typing a date: compute once
        self._timer.timeout.connect(self.compute)

        self.plan_box, self.team_box = QComboBox(), QComboBox()
        self.plan_box.setMinimumWidth(340)
        self.team_box.setMinimumWidth(220)
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.dateChanged.connect(self._changed)
        self.plan_box.currentIndexChanged.connect(self._plan_chosen)
        self.team_box.currentIndexChanged.connect(self._changed)
        self.report_button = QPushButton(_("Summary report…"))
        self.report_button.clicked.connect(self.make_report)
        self.status = QLabel()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        bar = QHBoxLayout()
        for label, widget in (
            (_("Plan"), self.plan_box),
            (_("From"), self.date_from),
            (_("to"), self.date_to),
            (_("Team"), self.team_box),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.report_button)

        self.done_figure = Figure(_("Done against planned"))
        self.visits_figure = Figure(_("Visits"))
        self.units_figure = Figure(_("Units inspected"))
        self.people_figure = Figure(_("Officials in the roll calls"))
        figures = QHBoxLayout()
        for f in (self.done_figure, self.visits_figure, self.units_figure, self.people_figure):
            figures.addWidget(f, 1)

        self.topic_chart = BarChart(_("Violations by topic: visits where found"))
        self.trend_chart = LineChart(_("Violations per visit, by month"))
        overview = QSplitter(Qt.Orientation.Horizontal)
        overview.addWidget(self.topic_chart)
        overview.addWidget(self.trend_chart)
        overview.setSizes([640, 520])

        self.topics = make_table([_("Topic"), _("Section"), _("Visits"), _("Officials / count")])
        self.ranking = make_table(
            [_("Rank"), _("Unit"), _("Visits"), _("Score (%)"), _("Failed items"), _("Late"),
             _("Absent without reason"), _("No badge"), _("No name plate"), _("Dress")]
        )  # fmt: skip
        self.progress = make_table(
            [_("Unit"), _("Planned visits"), _("Planned, done"), _("Visits"), _("Completed")]
        )
        self.months = make_table(
            [_("Month"), _("Visits"), _("Violations"), _("Per visit"), _("Late (%)"), _("Absent (%)")]
        )
        self.visits_chart = LineChart(_("Visits by month"))
        self.share_chart = LineChart(_("Share of officials late or absent without reason (%)"))
        trends = QWidget()
        grid = QGridLayout(trends)
        grid.addWidget(self.visits_chart, 0, 0)
        grid.addWidget(self.share_chart, 0, 1)
        grid.addWidget(self.months, 1, 0, 1, 2)

        self.tabs = QTabWidget()
        self.tabs.addTab(overview, _("Overview"))
        self.tabs.addTab(self.topics, _("Violations by topic"))
        self.tabs.addTab(self.ranking, _("Unit ranking"))
        self.tabs.addTab(self.progress, _("Done against planned"))
        self.tabs.addTab(trends, _("Trends"))

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(figures)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

    # --- scope ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the plans and teams again (keeping the choice), then compute."""
        plan, team = self.plan_box.currentData(), self.team_box.currentData()
        with self.ws.session() as session:
            self.plans, teams = scope_choices(session)
        self._filling = True
        self.plan_box.clear()
        self.plan_box.addItem(_("No plan: a period"), None)
        for p in self.plans:
            self.plan_box.addItem(f"{p.number} – {p.title}", p.id)
        self.team_box.clear()
        self.team_box.addItem(_("All teams"), None)
        for team_id, name in teams:
            self.team_box.addItem(name, team_id)
        if self._generation == 0:  # first showing: the newest plan, if there is one
            self.plan_box.setCurrentIndex(1 if self.plans else 0)
        else:
            self.plan_box.setCurrentIndex(self._index(self.plan_box, plan))
        self.team_box.setCurrentIndex(self._index(self.team_box, team))
        if self.plan_box.currentData() is None and self._generation == 0:
            year = dt.datetime.now(VN_TZ).year
            self.date_from.setDate(QDate(year, 1, 1))
            self.date_to.setDate(QDate(year, 12, 31))
        self._filling = False
        self._plan_chosen(compute=True)

    def choose(
        self,
        *,
        plan_id: uuid.UUID | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        team_id: uuid.UUID | None = None,
    ) -> None:
        """Set the scope as a clerk would (tests and the workspace use it), then compute."""
        self._filling = True
        self.plan_box.setCurrentIndex(self._index(self.plan_box, plan_id))
        self.team_box.setCurrentIndex(self._index(self.team_box, team_id))
        if plan_id is None and date_from and date_to:
            self.date_from.setDate(QDate(date_from.year, date_from.month, date_from.day))
            self.date_to.setDate(QDate(date_to.year, date_to.month, date_to.day))
        self._filling = False
        self._plan_chosen(compute=True)

    @staticmethod
    def _index(box: QComboBox, value: uuid.UUID | None) -> int:
        # findData compares the wrapped Python objects by identity, not by value: look ourselves.
        return next((i for i in range(box.count()) if value is not None and box.itemData(i) == value), 0)

    def scope(self) -> ResultsScope:
        plan_id: uuid.UUID | None = self.plan_box.currentData()
        team_id: uuid.UUID | None = self.team_box.currentData()
        if plan_id is not None:
            return ResultsScope(plan_id=plan_id, team_id=team_id)
        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        return ResultsScope(date_from=start, date_to=end, team_id=team_id)  # type: ignore[arg-type]

    def _plan_chosen(self, *_args: object, compute: bool = False) -> None:
        plan = next((p for p in self.plans if p.id == self.plan_box.currentData()), None)
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(plan is None)
        if plan is not None:  # show the plan's period, greyed
            self._filling, was = True, self._filling
            self.date_from.setDate(QDate(plan.period_from.year, plan.period_from.month, plan.period_from.day))
            self.date_to.setDate(QDate(plan.period_to.year, plan.period_to.month, plan.period_to.day))
            self._filling = was
        if compute:
            self.compute()
        else:
            self._changed()

    def _changed(self) -> None:
        if not self._filling:
            self._timer.start()

    # --- compute and show -----------------------------------------------------------------------

    def compute(self) -> None:
        self._timer.stop()
        scope = self.scope()
        if scope.date_from and scope.date_to and scope.date_from > scope.date_to:
            self.status.setText(_("The start date is after the end date"))
            return
        self._generation += 1
        generation = self._generation
        self.status.setText(_("Computing the results…"))
        self.tasks.run(
            lambda: compute_results(self.ws.engine, scope),
            on_done=lambda results: self._show(generation, results),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _show(self, generation: int, results: Results) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # the page is gone, or the clerk has chosen something else since
        self.results = results
        r = results
        share = percent(r.planned_done / r.planned) if r.planned else ""
        self.done_figure.set(
            f"{r.planned_done} / {r.planned}",
            _("{share} of the planned visits carried out").format(share=share)
            if r.planned
            else _("No planned visit"),
        )
        self.visits_figure.set(
            plain_number(r.visits),
            _("{done} completed or signed, {drafts} in progress").format(
                done=plain_number(r.done), drafts=plain_number(r.drafts)
            ),
        )
        self.units_figure.set(plain_number(sum(1 for u in r.units if u.visits)))
        people = r.roll_call.get("people", 0)
        self.people_figure.set(
            plain_number(people),
            _("late {late}, absent without reason {absent}").format(
                late=percent(r.roll_call.get("late", 0) / people) if people else "–",
                absent=percent(r.roll_call.get("absent_without_reason", 0) / people) if people else "–",
            ),
        )
        bars = sorted(((topic_label(t), float(t.visits)) for t in r.topics), key=lambda b: -b[1])
        self.topic_chart.set_bars(bars[:CHART_TOPICS])
        months = every_month(r.months)
        labels = [f"{day:%m/%Y}" for day in months]

        def line(value: Callable[[Month], float]) -> list[float | None]:
            return [value(m) if m else None for m in months.values()]

        self.trend_chart.set_series(
            labels, [(_("Violations per visit"), line(lambda m: m.violations_per_visit))]
        )
        self.visits_chart.set_series(
            labels, [(_("Visits"), [float(m.visits) if m else 0.0 for m in months.values()])]
        )
        self.share_chart.set_series(
            labels,
            [(_("Late"), line(lambda m: 100 * m.late_share)),
             (_("Absent without reason"), line(lambda m: 100 * m.absent_share))],
        )  # fmt: skip
        fill_topics(self.topics, r.topics)
        fill_ranking(self.ranking, r.ranking)
        fill_progress(self.progress, r.units)
        fill_months(self.months, r.months)
        self.status.setText(
            _("{visits} visits at {units} units").format(
                visits=plain_number(r.visits), units=plain_number(len(r.ranking))
            )
        )

    def _failed(self, generation: int, exc: BaseException) -> None:
        if shiboken6.isValid(self) and generation == self._generation:
            self.status.setText(_("The results could not be computed: {error}").format(error=exc))

    # --- the summary report ---------------------------------------------------------------------

    def make_report(self) -> bool:
        """Ask where, then render the summary report of the same plan or period in the background."""
        scope = self.scope()
        plan = next((p for p in self.plans if p.id == scope.plan_id), None)
        if plan is not None:
            name = "bao-cao-" + re.sub(r"[^0-9A-Za-z]+", "-", plan.number).strip("-")
        else:
            name = f"bao-cao-{scope.date_from:%Y%m%d}-{scope.date_to:%Y%m%d}"
        out = self.choose_file(self, Path.home() / f"{name}.pdf")
        if out is None:
            return False
        self.report_button.setEnabled(False)
        self.status.setText(_("Writing the summary report…"))
        self.tasks.run(
            lambda: write_report(self.ws, scope, out), on_done=self._report_done, on_error=self._report_failed
        )
        return True

    def _report_done(self, path: Path) -> None:
        if not shiboken6.isValid(self):
            return
        self.report_path = path
        self.report_button.setEnabled(True)
        text = _("Summary report written: {path}").format(path=path)
        if self.scope().team_id is not None:
            text += " " + _("It covers every team: the summary report has no team filter.")
        self.status.setText(text)

    def _report_failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.report_button.setEnabled(True)
            self.status.setText(_("The summary report could not be written: {error}").format(error=exc))
