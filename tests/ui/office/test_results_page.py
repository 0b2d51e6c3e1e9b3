"""The Results tab driven with pytest-qt (offscreen) over the demo province plus visits with known
violations: the scope chosen as a clerk would, figures and tables checked against plain SQL, the
charts painted, and the summary report of the same scope written and read back (PDF and .xlsx)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtGui import QColor, QImage

from inspector_app.core.workspace import Workspace
from inspector_app.documents.report_xlsx import SUMMARY, UNITS
from inspector_app.ui.office.charts import series_colors
from inspector_app.ui.office.results_page import ResultsPage
from inspector_app.ui.tasks import Tasks
from tests.documents.conftest import require_tool
from tests.unit.test_results import Extra, add_extra, one, planned_sql

ROLL = "FROM roll_call r JOIN visit v ON v.id = r.visit_id WHERE r.deleted = 0 AND v.deleted = 0 AND "


@pytest.fixture
def extra(demo_ws: Workspace) -> Extra:
    return add_extra(demo_ws)


def make_page(qtbot, ws: Workspace) -> ResultsPage:  # type: ignore[no-untyped-def]
    page = ResultsPage(ws, Tasks(ws.engine, synchronous=True))
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.reload()
    return page


def column(page: ResultsPage, table: str, col: int) -> list[str]:
    t = getattr(page, table)
    return [t.item(r, col).text() for r in range(t.rowCount())]


def has_color(image: QImage, color: str) -> bool:
    wanted = QColor(color).rgb()
    return any(
        image.pixel(x, y) == wanted for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
    )


def test_a_plan_its_figures_and_charts(qtbot, demo_ws: Workspace, extra: Extra) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ws)
    # First shown: the newest plan, and its figures straight away.
    assert page.plan_box.currentData() == extra.plan_id
    assert page.results is not None and page.results.scope.plan_id == extra.plan_id
    planned = planned_sql(demo_ws, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    done, total = sum(d for _n, d in planned.values()), sum(n for n, _d in planned.values())
    assert page.done_figure.value.text() == f"{done} / {total}"  # planned visits carried out / planned
    visits = one(
        demo_ws, "SELECT COUNT(*) FROM visit WHERE deleted = 0 AND plan_id = :p", p=extra.plan_id.hex
    )
    assert page.visits_figure.value.text() == str(visits)
    assert not page.date_from.isEnabled()  # the plan's own period, shown greyed

    topics = dict(zip(column(page, "topics", 0), column(page, "topics", 2), strict=True))
    late_visits = one(
        demo_ws,
        f"SELECT COUNT(DISTINCT r.visit_id) {ROLL}r.status = 'di_muon' AND v.plan_id = :p",
        p=extra.plan_id.hex,
    )
    assert topics["Đi muộn"] == str(late_visits)
    assert topics["Chưa niêm yết mức thu phí, lệ phí"] == str(
        one(demo_ws, "SELECT COUNT(*) FROM answer a JOIN visit v ON v.id = a.visit_id WHERE a.item_code = 'D4' "
            "AND a.value = '\"no\"' AND v.plan_id = :p AND a.deleted = 0", p=extra.plan_id.hex)
    )  # fmt: skip
    assert column(page, "ranking", 0)[0] == "1"
    assert set(planned) <= set(column(page, "progress", 0))

    image = page.grab().toImage()  # the overview tab: bars and the line, in the theme's first colour
    assert page.topic_chart.painted > 0 and page.trend_chart.painted > 0
    assert page.topic_chart.bars[0][1] >= page.topic_chart.bars[-1][1] > 0
    assert has_color(page.topic_chart.grab().toImage(), series_colors()[0])
    assert image.width() == 1280
    page.tabs.setCurrentIndex(4)
    qtbot.waitUntil(lambda: page.share_chart.painted > 0)
    assert len(page.share_chart.series) == 2


def test_a_period_and_a_team(qtbot, demo_ws: Workspace, extra: Extra) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ws)
    page.choose(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28), team_id=extra.other_team)
    assert page.date_from.isEnabled()
    res = page.results
    assert res is not None and (res.scope.date_from, res.scope.team_id) == (
        dt.date(2026, 2, 1),
        extra.other_team,
    )
    assert page.visits_figure.value.text() == "1"
    late = one(
        demo_ws, f"SELECT COUNT(*) {ROLL}r.status = 'di_muon' AND v.team_id = :t", t=extra.other_team.hex
    )
    people = one(demo_ws, f"SELECT COUNT(*) {ROLL}v.team_id = :t", t=extra.other_team.hex)
    assert f"đi muộn {100 * late / people:.1f}%".replace(".", ",") in page.people_figure.detail.text()
    assert column(page, "progress", 0) == ["UBND phường Trần Phú"]  # its visit and its planned visit

    page.choose(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31))
    assert page.visits_figure.value.text() == "0" and page.topic_chart.bars == []
    page.topic_chart.grab()  # paints "no data" without failing


def test_the_summary_report_of_the_same_scope(
    qtbot,
    demo_ws: Workspace,
    extra: Extra,
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ws)
    asked: list[Path] = []

    def choose(_parent: object, suggested: Path) -> Path:
        asked.append(suggested)
        return tmp_path / "bao-cao.pdf"

    page.choose_file = choose
    assert page.make_report()
    assert asked[0].name == "bao-cao-45-KH-UBND.pdf"
    assert page.report_path == tmp_path / "bao-cao.pdf" and page.report_button.isEnabled()
    pdftotext = require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(
        [pdftotext, "-layout", str(page.report_path), "-"], capture_output=True
    ).stdout.decode()
    flat = " ".join(text.split())
    visits = page.results.visits  # type: ignore[union-attr]
    assert "BÁO CÁO" in flat and "45/KH-UBND" in flat and f"{visits:02d} lượt" in flat

    page.choose(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))
    page.choose_file = lambda _parent, _suggested: tmp_path / "bao-cao.xlsx"
    assert page.make_report()
    wb = openpyxl.load_workbook(tmp_path / "bao-cao.xlsx")
    summary = {r[1]: r[2] for r in wb[SUMMARY].iter_rows(values_only=True) if r[1]}
    total = one(demo_ws, "SELECT COUNT(*) FROM visit WHERE deleted = 0")
    assert summary["Số lượt kiểm tra"] == page.results.visits == total  # type: ignore[union-attr]
    names = {r[1] for r in list(wb[UNITS].iter_rows(values_only=True))[1:]}
    assert names == {r.unit.unit_name for r in page.results.ranking}  # type: ignore[union-attr]

    page.choose(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31))
    page.choose_file = lambda _parent, _suggested: tmp_path / "empty.pdf"
    page.make_report()
    assert "Không lập được báo cáo tổng hợp" in page.status.text() and not (tmp_path / "empty.pdf").exists()
    assert page.report_button.isEnabled()


def test_computed_in_the_background_and_stale_answers_dropped(
    qtbot, demo_ws: Workspace, extra: Extra
) -> None:  # type: ignore[no-untyped-def]
    tasks = Tasks(demo_ws.engine)  # real threads: the page must not wait for the figures
    page = ResultsPage(demo_ws, tasks)
    qtbot.addWidget(page)
    page.reload()
    assert page.results is None and page.status.text() == "Đang tổng hợp kết quả…"
    page.choose(
        team_id=extra.other_team, plan_id=None, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31)
    )
    qtbot.waitUntil(lambda: page.results is not None and not tasks.busy(), timeout=20_000)
    assert page.results is not None and page.results.scope.team_id == extra.other_team  # the last choice won
    assert page.visits_figure.value.text() == "1"
    assert tasks.wait_idle()
