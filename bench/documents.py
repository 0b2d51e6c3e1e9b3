"""Benchmark of the documents (issue: documents). Not a test: prints figures, ratio last.

(a) The biên bản of a big visit: 300 roll-call rows, 80 checklist items, 10 photos (2400×1800 JPEG),
    rendered by ``MinutesRenderer``; the floor is plain reportlab drawing the same text with the same
    font on a canvas, line by line, in the same run.
(b) PAdES signing with a PKCS#12 key and the visible Vietnamese stamp (target < 400 ms).
(c) Verifying that signature (target < 100 ms).
(d) The summary report over 1,000 visits (bulk-inserted beside the demo: roll call, answers, remedies):
    time for the data (SQL aggregates), the PDF and the .xlsx.

    python bench/documents.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from inspector_app.core.demo.load import load_demo
from inspector_app.core.ids import stable_id
from inspector_app.core.workspace import open_workspace
from inspector_app.documents import demo_pki
from inspector_app.documents.fonts import REGULAR, register_fonts
from inspector_app.documents.minutes import MinutesRenderer
from inspector_app.documents.minutes_data import ItemResult, MinutesData, Photo, SectionResult, load_minutes
from inspector_app.documents.signing import load_pkcs12, sign_pdf
from inspector_app.documents.verify import load_trust_roots, verify_pdf

SIGNED = stable_id("demo", "visit", "v1")


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def big_visit(folder: Path) -> MinutesData:
    ws = open_workspace(folder / "ws")
    load_demo(ws)
    with ws.session() as session:
        data = load_minutes(session, SIGNED, attachments=ws.attachments)
    ws.close()
    base = data.roll_call
    rows = [
        r.model_copy(update={"full_name": f"{r.full_name} {i // len(base) + 1}", "sort_order": i})
        for i, r in enumerate(base[i % len(base)] for i in range(300))
    ]
    items = [it for s in data.sections for it in s.items]
    eighty = [
        ItemResult(f"X{i + 1}", items[i % len(items)].label, items[i % len(items)].answer, "Đạt", False)
        for i in range(80)
    ]
    sections = [
        SectionResult(f"S{n}", f"Nhóm nội dung {n + 1}", tuple(eighty[n * 20 : n * 20 + 20]))
        for n in range(4)
    ]
    photos = []
    for i in range(10):
        path = folder / f"photo{i}.jpg"
        img = Image.linear_gradient("L").resize((2400, 1800)).convert("RGB")
        img.save(path, quality=85)
        photos.append(
            Photo(f"{i:064x}", path, f"Ảnh hiện trường số {i + 1}: bàn làm việc Bộ phận Một cửa", None)
        )
    return dataclasses.replace(data, roll_call=rows, sections=sections, photos=photos)


def plain_text_lines(data: MinutesData) -> list[str]:
    lines = [data.unit_name, data.place, *(data.shortcomings), *(data.strengths)]
    for s in data.sections:
        lines.append(s.title)
        lines += [f"{it.code} {it.label} {it.answer} {it.verdict}" for it in s.items]
    lines += [f"{i} {r.full_name} {r.position} {r.status or ''}" for i, r in enumerate(data.roll_call, 1)]
    return lines


def plain_reportlab(lines: list[str]) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=A4, initialFontName=REGULAR)
    y = 800.0
    canv.setFont(REGULAR, 11)
    for line in lines:
        canv.drawString(85, y, line[:110])
        y -= 14
        if y < 60:
            canv.showPage()
            canv.setFont(REGULAR, 11)
            y = 800.0
    canv.save()
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = big_visit(folder)
        no_photos = dataclasses.replace(data, photos=[])
        MinutesRenderer(no_photos).render()  # warm: fonts, imports
        full_s, pdf = timed(lambda: MinutesRenderer(data).render(), args.repeat)
        text_s, _ = timed(lambda: MinutesRenderer(no_photos).render(), args.repeat)
        lines = plain_text_lines(data)
        floor_s, _ = timed(lambda: plain_reportlab(lines), args.repeat)
        assert isinstance(pdf, bytes)
        renderer = MinutesRenderer(data)
        pdf = renderer.render()

        root = demo_pki.make_root()
        leader = demo_pki.issue_signer(root, "Lê Văn Thắng")
        p12 = demo_pki.write_pkcs12(leader, root, folder / "leader.p12", b"1234")
        signer = load_pkcs12(p12, b"1234")
        box = renderer.signature_boxes["truong_doan"]
        boxes = renderer.signature_boxes
        sign_s, signed = timed(
            lambda: sign_pdf(pdf, signer, field="truong_doan", box=box, other_boxes=boxes), args.repeat * 2
        )
        roots = load_trust_roots([root.write_pem(folder / "root.pem")])
        assert signed is not None
        data_signed = signed.data  # type: ignore[attr-defined]
        verify_s, report = timed(lambda: verify_pdf(data_signed, roots), args.repeat * 2)
        assert getattr(report, "ok", False)

    print(
        f"minutes: {len(data.roll_call)} roll-call rows, {sum(len(s.items) for s in data.sections)} items, "
        f"{len(data.photos)} photos → {renderer.page_count} pages, {len(pdf) / 1024:.0f} KiB"
    )
    print(f"render, with photos          {full_s * 1000:8.0f} ms")
    print(f"render, text only            {text_s * 1000:8.0f} ms")
    print(f"plain reportlab, same text   {floor_s * 1000:8.0f} ms  ({len(lines)} lines)")
    print(f"sign, PKCS#12 + stamp        {sign_s * 1000:8.0f} ms  (target < 400 ms)")
    print(f"verify, trusted root         {verify_s * 1000:8.0f} ms  (target < 100 ms)")
    print(f"ratio render (text only) / plain reportlab: {text_s / floor_s:.1f}×")
    with tempfile.TemporaryDirectory() as tmp:
        bench_report(Path(tmp), args.repeat)


def thousand_visits(folder: Path, n: int = 1_000) -> Any:
    """The demo plus ``n`` visits copied from the signed demo visit with varied answers and roll
    call, inserted in bulk (``insert_rows``), spread over the demo's units and over 2026."""
    import datetime as dt
    import json
    import random

    import sqlalchemy as sa
    from sqlmodel import SQLModel

    from inspector_app.core.bulk import insert_rows
    from inspector_app.core.db import session_scope
    from inspector_app.core.ids import uuid7

    ws = open_workspace(folder / "report-ws")
    load_demo(ws)
    rng = random.Random(1)
    tables = SQLModel.metadata.tables
    sync = {"updated_at": "", "deleted": False, "dirty": True}
    with session_scope(ws.engine) as session:
        conn = session.connection()
        visit = dict(
            conn.execute(sa.select(tables["visit"]).where(tables["visit"].c.id == SIGNED)).one()._mapping
        )
        unit = tables["unit"]
        kinds = ("xa", "phuong", "so")
        units = list(conn.execute(sa.select(unit.c.id).where(unit.c.unit_type.in_(kinds))).scalars())
        children = {
            name: [
                dict(r._mapping)
                for r in conn.execute(sa.select(tables[name]).where(tables[name].c.visit_id == SIGNED))
            ]
            for name in ("roll_call", "answer", "remedy")
        }
        rows: dict[str, list[dict[str, Any]]] = {"visit": [], "roll_call": [], "answer": [], "remedy": []}
        start = dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)
        statuses = ("co_mat",) * 8 + ("di_muon", "vang_khong_ly_do", "di_cong_tac")
        for i in range(n):
            vid = uuid7()
            when = start + dt.timedelta(hours=8 * i)
            unit_id = units[i % len(units)]
            rows["visit"].append(
                visit
                | {
                    "id": vid,
                    "unit_id": unit_id,
                    "started_at": when,
                    "arrived_at": when,
                    "completed_at": when,
                    "signed_at": None,
                    "status": "completed",
                    "number": None,
                    **sync,
                }
            )
            for r in children["roll_call"]:
                rows["roll_call"].append(
                    r
                    | {
                        "id": uuid7(),
                        "visit_id": vid,
                        "status": rng.choice(statuses),
                        "badge": rng.choice(("co", "co", "khong_deo")),
                        **sync,
                    }
                )
            for a in children["answer"]:
                value = a["value"]
                if value in ('"yes"', '"no"'):
                    value = json.dumps(rng.choice(("yes", "yes", "yes", "no")))
                rows["answer"].append(a | {"id": uuid7(), "visit_id": vid, "value": value, **sync})
            for m in children["remedy"]:
                deadline = (when + dt.timedelta(days=rng.choice((15, 30, 60)))).date()
                rows["remedy"].append(
                    m
                    | {
                        "id": uuid7(),
                        "visit_id": vid,
                        "deadline": deadline,
                        "finding_id": None,
                        "status": rng.choice(("open", "in_progress", "done")),
                        **sync,
                    }
                )
        for name in ("visit", "roll_call", "answer", "remedy"):
            insert_rows(conn, tables[name], rows[name])
    counts = {name: len(r) for name, r in rows.items()}
    return ws, counts


def bench_report(folder: Path, repeat: int) -> None:
    import datetime as dt

    from inspector_app.documents.report import render_report_pdf
    from inspector_app.documents.report_data import build_report_data
    from inspector_app.documents.report_xlsx import render_report_xlsx

    t = time.perf_counter()
    ws, counts = thousand_visits(folder)
    build_s = time.perf_counter() - t

    def data() -> Any:
        with ws.session() as session:
            return build_report_data(
                session,
                date_from=dt.date(2026, 1, 1),
                date_to=dt.date(2026, 12, 31),
                day=dt.date(2026, 12, 31),
            )

    data_s, report = timed(data, repeat)
    pdf_s, pdf = timed(lambda: render_report_pdf(report), repeat)
    xlsx_s, xlsx = timed(lambda: render_report_xlsx(report), repeat)
    ws.close()
    print(
        f"report: {report.visits} visits at {report.units} units; inserted {counts} in {build_s:.1f} s "
        f"(with the demo)"
    )
    print(f"report data (SQL aggregates)  {data_s * 1000:8.0f} ms")
    print(f"report PDF                    {pdf_s * 1000:8.0f} ms  ({len(pdf) / 1024:.0f} KiB)")
    print(f"report .xlsx                  {xlsx_s * 1000:8.0f} ms  ({len(xlsx) / 1024:.0f} KiB)")
    print(f"report total                  {(data_s + pdf_s + xlsx_s) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
