"""Search ignores diacritics and case."""

from __future__ import annotations

from sqlmodel import Session

from inspector_app.core.db import session_scope
from inspector_app.core.models import Official
from inspector_app.core.services.queries import VisitFilter, count_visits, list_visits
from inspector_app.core.services.search import search_officials, search_units
from inspector_app.core.workspace import Workspace


def test_names_are_found_without_diacritics(demo_ws: Workspace) -> None:
    with Session(demo_ws.engine) as s:
        for query in ("nguyen van an", "Nguyễn Văn An", "NGUYEN VAN AN", "van an"):
            assert "Nguyễn Văn An" in [o.full_name for o in search_officials(s, query)], query
        assert search_officials(s, "nguyen van an")[0].full_name == "Nguyễn Văn An"  # the exact name first
        assert search_units(s, "thanh sen")[0].name == "UBND phường Thành Sen"
        assert search_units(s, "thach hai") == []  # merged in 2025: not offered for new visits
        assert search_units(s, "thach hai", current_only=False)[0].valid_to is not None
        assert search_units(s, "100%_") == []


def test_new_and_renamed_officials_are_searchable(demo_ws: Workspace) -> None:
    with session_scope(demo_ws.engine) as s:
        someone = s.exec(Official.__table__.select().limit(1)).first()
        official = s.get(Official, someone.id)
        official.full_name = "Đặng Thị Ỷ Lan"
    with Session(demo_ws.engine) as s:
        assert [o.id for o in search_officials(s, "dang thi y lan")] == [someone.id]


def test_visit_list_filters_and_counts_in_sql(demo_ws: Workspace) -> None:
    with Session(demo_ws.engine) as s:
        counts = count_visits(s)
        signed = list_visits(s, VisitFilter(status="signed"))
        thanh_sen = list_visits(s, VisitFilter(search="thanh sen"))
        page = list_visits(s, limit=2, offset=1)
        everything = list_visits(s, limit=None)
    assert counts["all"] == len(everything) == sum(v for k, v in counts.items() if k != "all")
    assert len(signed) == counts["signed"] and all(r["status"] == "signed" for r in signed)
    assert [r["unit"] for r in thanh_sen] == ["UBND phường Thành Sen"]
    assert [r["id"] for r in page] == [r["id"] for r in everything[1:3]]
    assert everything == sorted(everything, key=lambda r: r["started_at"], reverse=True)
