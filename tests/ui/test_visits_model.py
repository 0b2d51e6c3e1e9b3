"""The visits table model, with no window: columns, roles, SQL sort and filter, counts, paging."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from PySide6.QtCore import QModelIndex, Qt

from inspector_app.core.services.queries import VisitFilter
from inspector_app.core.workspace import Workspace
from inspector_app.ui.visits_model import (
    COL_FORM,
    COL_NUMBER,
    COL_STARTED,
    COL_STATUS,
    COL_UNIT,
    PAGE_SIZE,
    VisitIdRole,
    VisitRole,
    VisitsModel,
)

Display = Qt.ItemDataRole.DisplayRole


def model_on(ws: Workspace) -> VisitsModel:
    model = VisitsModel(ws.session)
    model.refresh()
    return model


def column(model: VisitsModel, col: int) -> list[str]:
    return [model.data(model.index(r, col), Display) for r in range(model.rowCount())]


def test_demo_rows_and_every_column(demo_ws: Workspace) -> None:
    model = model_on(demo_ws)
    assert model.rowCount() == 6
    assert model.columnCount() == 5
    headers = [model.headerData(c, Qt.Orientation.Horizontal, Display) for c in range(5)]
    assert headers == ["Ngày giờ đến", "Đơn vị", "Phiếu kiểm tra", "Trạng thái", "Số biên bản"]
    # Newest first; times shown in Asia/Ho_Chi_Minh, as the inspector lived them.
    assert column(model, COL_STARTED)[0] == "30/11/2026 14:00"
    row = column(model, COL_UNIT).index("UBND xã Thạch Khê")
    cells = [model.data(model.index(row, c), Display) for c in range(5)]
    assert cells[COL_STARTED] == "02/04/2026 13:40"
    assert cells[COL_FORM] == "Kiểm tra công vụ đột xuất"
    assert cells[COL_STATUS] == "Đã ký"
    assert cells[COL_NUMBER] == "05/BB-ĐKTCV"
    assert "HT-XA-THACH-KHE" in model.data(model.index(row, COL_UNIT), Qt.ItemDataRole.ToolTipRole)
    visit = model.data(model.index(row, 0), VisitRole)
    assert visit["status"] == "signed"
    assert model.data(model.index(row, 3), VisitIdRole) == visit["id"]
    assert model.row_of(visit["id"]) == row
    assert model.data(model.index(99, 0), Display) is None
    assert sorted(set(column(model, COL_STATUS))) == ["Bản nháp", "Đã hoàn thành", "Đã ký"]


def test_model_is_consistent(demo_ws: Workspace, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(model_on(demo_ws))


def test_sort_is_done_in_sql(demo_ws: Workspace) -> None:
    model = model_on(demo_ws)
    model.sort(COL_UNIT, Qt.SortOrder.AscendingOrder)
    units = column(model, COL_UNIT)
    assert units[0] == "Sở Tư pháp tỉnh Hà Tĩnh"  # "so tu phap…" sorts before "trung tam…", "ubnd…"
    assert units[-1] == "UBND xã Thạch Khê"
    model.sort(COL_STARTED, Qt.SortOrder.AscendingOrder)
    assert column(model, COL_STARTED)[0] == "10/03/2026 07:45"
    model.sort(COL_FORM, Qt.SortOrder.DescendingOrder)  # not sortable: nothing changes
    assert model.sort_key == ("started_at", False)
    model.sort(COL_NUMBER, Qt.SortOrder.DescendingOrder)
    assert column(model, COL_NUMBER)[:2] == ["05/BB-ĐKTCV", "03/BB-ĐKTCV"]


def test_filters_and_counts(demo_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = model_on(demo_ws)
    assert model.counts == {"all": 6, "draft": 2, "completed": 2, "signed": 2}
    with qtbot.waitSignal(model.counts_changed) as blocker:
        model.set_filter(VisitFilter(status="draft"))
    assert model.rowCount() == 2 and model.total == 2
    assert blocker.args[0]["all"] == 6  # the counters ignore the status filter itself
    assert set(column(model, COL_STATUS)) == {"Bản nháp"}

    model.set_filter(VisitFilter(search="thach khe"))  # no diacritics typed
    assert column(model, COL_UNIT) == ["UBND xã Thạch Khê"]
    assert model.counts == {"all": 1, "signed": 1}

    model.set_filter(VisitFilter(search="BB-ĐKTCV"))  # minutes number
    assert model.rowCount() == 2

    model.set_filter(VisitFilter(date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 9, 30)))
    assert column(model, COL_STARTED) == ["08/09/2026 07:15", "16/06/2026 07:20"]


def test_unit_filter(demo_ws: Workspace) -> None:
    from inspector_app.core.services.search import search_units

    with demo_ws.session() as session:
        unit = search_units(session, "thanh sen")[0]
    model = model_on(demo_ws)
    model.set_filter(VisitFilter(unit_id=unit.id))
    assert column(model, COL_UNIT) == ["UBND phường Thành Sen"]


def test_rows_come_page_by_page(many_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    with many_ws.session() as session:
        total = session.exec(sa.text("SELECT count(*) FROM visit")).one()[0]  # type: ignore[call-overload]
    assert total == 1_006  # the demo's six and the fixture's thousand
    model = model_on(many_ws)
    assert model.total == total
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        model.fetchMore(QModelIndex())
    assert blocker.args[1:] == [PAGE_SIZE, 2 * PAGE_SIZE - 1]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == total
    ids = [model.data(model.index(r, 0), VisitIdRole) for r in range(total)]
    assert len(set(ids)) == total  # no row twice across page boundaries
    starts = [model.data(model.index(r, 0), VisitRole)["started_at"] for r in range(total)]
    assert starts == sorted(starts, reverse=True)
    # A filter or a sort starts again from the first page.
    model.set_filter(VisitFilter(status="draft"))
    assert model.rowCount() == min(PAGE_SIZE, model.total)
    assert model.counts["draft"] + model.counts["completed"] + model.counts["signed"] == total
