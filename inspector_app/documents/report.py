"""Báo cáo kết quả kiểm tra công vụ (NĐ 30/2020 Mẫu 1.4; DOMAIN.md §3.3) over a plan or a period:
overview, results by topic, per-unit table and ranking with a bar chart, remedies, kiến nghị."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from inspector_app.documents.base import DocumentRenderer, HeaderInfo
from inspector_app.documents.flowables import Anchor, Rule
from inspector_app.documents.fonts import BOLD, REGULAR
from inspector_app.documents.formatting import dmy, lower_first, markup, nfc, two_digits
from inspector_app.documents.minutes import citation
from inspector_app.documents.report_data import (
    REMEDY_WORDS,
    ROLL_CALL_TOPICS,
    STATUS_WORDS,
    UNIT_TYPE_WORDS,
    ReportData,
    UnitRow,
)
from inspector_app.documents.styles import SMALL_TABLE_SIZE, TABLE_SIZE

MAX_REMEDY_ROWS = 40  # the PDF lists the unfinished ones; the .xlsx has them all
MAX_CHART_UNITS = 20
GOOD_SCORE = 90.0
POOR_SCORE = 70.0
_GREY = (0.9, 0.9, 0.9)


def render_report_pdf(data: ReportData) -> bytes:
    return ReportRenderer(data).render()


def score_words(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}".replace(".", ",")


class ReportRenderer(DocumentRenderer):
    """The summary report: one subclass of the NĐ 30 page (header, body, signer, Nơi nhận)."""

    def __init__(self, data: ReportData) -> None:
        super().__init__()
        self.d = data
        self.pdf_title = f"Báo cáo kết quả kiểm tra công vụ {data.period}"
        self.pdf_subject = "Báo cáo kết quả kiểm tra công vụ"

    def header(self) -> HeaderInfo:
        d = self.d
        number = d.number or f"{chr(0xA0) * 12}/{d.number_suffix}"
        return HeaderInfo(d.parent_agency, d.agency, number, d.place_name, d.day)

    def story(self) -> list[Flowable]:
        s, d = self.styles, self.d
        summary = f"Kết quả kiểm tra công vụ {d.period}".strip()
        out: list[Flowable] = [
            self.p("BÁO CÁO", s.doc_type),
            self.p(summary, s.summary),
            Rule(min(self.frame_width, len(summary) * 3.2)),
            Spacer(1, 12),
        ]
        out += self._overview()
        out += self._results()
        out += self._remedies()
        recommendations = self._recommendations()
        # The signer's block never opens a page alone: it keeps the last recommendation with it.
        out += recommendations[:-1]
        out.append(KeepTogether([recommendations[-1], Spacer(1, 10), self._closing()]))
        return out

    # ------------------------------------------------------------------ I

    def _overview(self) -> list[Flowable]:
        s, d = self.styles, self.d
        out: list[Flowable] = [self.p("I. KHÁI QUÁT", s.heading)]
        bases = [
            f"Quyết định số {citation(d.decision)}" if d.decision else "",
            f"Kế hoạch số {citation(d.plan)}" if d.plan else "",
        ]
        for line in filter(None, bases):
            out.append(self.p(f"Căn cứ {line};"))
        kinds = ", ".join(
            f"{two_digits(n)} {UNIT_TYPE_WORDS.get(t, 'đơn vị khác')}"
            for t, n in sorted(d.unit_types.items())
        )
        when = f" {d.period}" if d.period else ""
        out.append(
            self.p(
                f"Đoàn kiểm tra công vụ đã tiến hành kiểm tra{when}: {two_digits(d.visits)} lượt tại "
                f"{two_digits(d.units)} đơn vị ({kinds})."
            )
        )
        states = [
            f"{two_digits(n)} lượt {STATUS_WORDS.get(k, k)}" for k, n in sorted(d.by_status.items()) if n
        ]
        out.append(self.p("Trong đó: " + "; ".join(states) + "."))
        people = d.roll_call.get("people", 0)
        if people:
            out.append(
                self.p(
                    "Tổng số cán bộ, công chức, viên chức, người lao động được điểm danh: "
                    f"{people} lượt người "
                    f"tại {d.roll_call.get('visits', 0)} lượt kiểm tra có bảng điểm danh."
                )
            )
        return out

    # ------------------------------------------------------------------ II

    def _results(self) -> list[Flowable]:
        s, d = self.styles, self.d
        out: list[Flowable] = [self.p("II. KẾT QUẢ KIỂM TRA", s.heading)]
        out.append(
            self.p("1. Việc chấp hành thời giờ làm việc, văn hóa công sở (qua điểm danh)", s.subheading)
        )
        rows: list[list[Any]] = [self._head(("STT", "Nội dung", "Số người", "Số lượt có vi phạm"))]
        for n, (key, words) in enumerate(ROLL_CALL_TOPICS, start=1):
            rows.append(
                [
                    str(n),
                    self._cell(words),
                    str(d.roll_call.get(key, 0)),
                    str(d.roll_call.get(f"{key}_visits", 0)),
                ]
            )
        out.append(self._table(rows, (12, 103, 22, 28), centred=(0, 2, 3)))
        out.append(Spacer(1, 8))
        out.append(self.p("2. Tồn tại, hạn chế theo nội dung kiểm tra", s.subheading))
        if d.topics:
            out.append(self._topic_table())
        else:
            out.append(self.p("Không phát hiện nội dung chưa đạt.", s.bullet))
        out.append(Spacer(1, 8))
        out.append(self.p("3. Kết quả theo từng đơn vị và xếp hạng", s.subheading))
        keep = ParagraphStyle("body-keep", parent=s.body, keepWithNext=1)
        out.append(
            self.p(
                "Điểm của đơn vị bằng tổng trọng số các nội dung đạt chia cho tổng trọng số các nội dung "
                "được áp dụng (tính theo phần trăm); đơn vị cùng điểm xếp theo số vi phạm qua điểm danh "
                "ít hơn.",
                keep,
            )
        )
        out.append(self._unit_table())
        ranked = d.ranked[:MAX_CHART_UNITS]
        if ranked:
            out.append(Spacer(1, 8))
            out.append(KeepTogether([self._chart(ranked), self._caption(len(ranked) < len(d.ranked))]))
        return out

    def _topic_table(self) -> Flowable:
        rows: list[list[Any]] = [self._head(("STT", "Nội dung", "Số lượt chưa đạt / số lượt áp dụng"))]
        style: list[tuple[Any, ...]] = []
        section = None
        for n, topic in enumerate(self.d.topics, start=1):
            if topic.section != section:
                section = topic.section
                rows.append(["", self._cell(section, bold=True), ""])
                style += [
                    ("SPAN", (1, len(rows) - 1), (2, len(rows) - 1)),
                    ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), _GREY),
                ]
            rows.append([str(n), self._cell(topic.text), f"{topic.visits}/{topic.applicable}"])
        return self._table(rows, (12, 118, 35), centred=(0, 2), style=style)

    def _unit_table(self) -> Flowable:
        labels = (
            "Hạng",
            "Đơn vị",
            "Số lượt",
            "Điểm (%)",
            "Đi muộn",
            "Vắng không lý do",
            "Không đeo thẻ",
            "Không có biển tên",
            "Mục chưa đạt",
        )
        rows: list[list[Any]] = [self._head(labels, size=SMALL_TABLE_SIZE)]
        for u in self.d.unit_rows:
            rows.append(
                [
                    str(u.rank or "—"),
                    self._cell(u.name, size=SMALL_TABLE_SIZE),
                    str(u.visits),
                    score_words(u.score),
                    str(u.late),
                    str(u.absent),
                    str(u.no_badge),
                    str(u.no_name_plate),
                    str(u.failed_items),
                ]
            )
        widths = (11, 50, 12, 14, 14, 17, 15, 17, 15)
        return self._table(rows, widths, centred=(0, 2, 3, 4, 5, 6, 7, 8), size=SMALL_TABLE_SIZE)

    def _chart(self, ranked: Sequence[UnitRow]) -> Drawing:
        width = self.frame_width
        bar = 13
        height = bar * len(ranked) + 36
        # initialFontName: the renderer's starting state is Helvetica otherwise (TECH-NOTES §1).
        drawing = Drawing(width, height, initialFontName=REGULAR, initialFontSize=9)
        chart = HorizontalBarChart()
        chart.x, chart.y = 62 * mm, 20
        chart.width, chart.height = width - 62 * mm - 20, bar * len(ranked)
        chart.data = [[round(u.score or 0.0, 1) for u in reversed(ranked)]]
        chart.categoryAxis.categoryNames = [_short(u.name, 48) for u in reversed(ranked)]
        chart.categoryAxis.labels.fontName = REGULAR
        chart.categoryAxis.labels.fontSize = 8
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
        chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
        chart.valueAxis.labels.fontName = REGULAR
        chart.valueAxis.labels.fontSize = 8
        chart.barLabelFormat = "%.1f"
        chart.barLabels.fontName = REGULAR
        chart.barLabels.fontSize = 7
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
        chart.bars[0].fillColor = colors.Color(0.35, 0.45, 0.6)
        chart.bars[0].strokeColor = None
        drawing.add(chart)
        return drawing

    def _caption(self, partial: bool) -> Paragraph:
        more = f" ({MAX_CHART_UNITS} đơn vị xếp đầu)" if partial else ""
        return self.p(f"Biểu đồ: Điểm kết quả kiểm tra theo đơn vị (%){more}", self.styles.caption)

    # ------------------------------------------------------------------ remedies

    def _remedies(self) -> list[Flowable]:
        s, d = self.styles, self.d
        total = sum(d.remedy_counts.values())
        out: list[Flowable] = [self.p("4. Việc thực hiện yêu cầu khắc phục", s.subheading)]
        if not total:
            return [*out, self.p("Không có yêu cầu khắc phục.", s.bullet)]
        parts = [f"{lower_first(REMEDY_WORDS[k])}: {d.remedy_counts.get(k, 0)}" for k in REMEDY_WORDS]
        out.append(
            self.p(
                f"Tổng số yêu cầu khắc phục: {total}; trong đó "
                + "; ".join(parts)
                + f" (tính đến ngày {dmy(d.as_of)})."
            )
        )
        pending = sorted(
            (r for r in d.remedies if r.bucket != "done"),
            key=lambda r: (r.bucket != "overdue", r.deadline or d.as_of, r.unit),
        )
        if pending:
            rows: list[list[Any]] = [
                self._head(
                    ("STT", "Đơn vị", "Nội dung yêu cầu", "Thời hạn", "Tình trạng"), size=SMALL_TABLE_SIZE
                )
            ]
            for n, r in enumerate(pending[:MAX_REMEDY_ROWS], start=1):
                rows.append(
                    [
                        str(n),
                        self._cell(r.unit, size=SMALL_TABLE_SIZE),
                        self._cell(r.content, size=SMALL_TABLE_SIZE),
                        dmy(r.deadline) if r.deadline else "—",
                        self._cell(r.status_words, size=SMALL_TABLE_SIZE, bold=r.bucket == "overdue"),
                    ]
                )
            out.append(self._table(rows, (10, 38, 72, 20, 25), centred=(0, 3), size=SMALL_TABLE_SIZE))
            if len(pending) > MAX_REMEDY_ROWS:
                more = len(pending) - MAX_REMEDY_ROWS
                out.append(
                    self.p(f"(Còn {more} yêu cầu chưa hoàn thành khác: xem bảng tính kèm theo.)", s.caption)
                )
        return out

    # ------------------------------------------------------------------ III

    def _recommendations(self) -> list[Flowable]:
        s, d = self.styles, self.d
        out: list[Flowable] = [self.p("III. KIẾN NGHỊ, ĐỀ XUẤT", s.heading)]
        good = [u.name for u in d.ranked if (u.score or 0) >= GOOD_SCORE and not u.violations]
        poor = [u.name for u in d.ranked if (u.score or 0) < POOR_SCORE or u.absent]
        overdue = sorted({r.unit for r in d.remedies if r.bucket == "overdue"})
        lines = []
        if poor:
            lines.append(
                "Đề nghị Chủ tịch Ủy ban nhân dân tỉnh phê bình, yêu cầu thủ trưởng các đơn vị: "
                f"{', '.join(poor)} tổ chức kiểm điểm, làm rõ trách nhiệm của tập thể, cá nhân có vi phạm "
                "và chấn chỉnh kịp thời."
            )
        if overdue:
            lines.append(
                f"Yêu cầu các đơn vị: {', '.join(overdue)} hoàn thành ngay các yêu cầu khắc phục đã quá hạn "
                "và báo cáo kết quả bằng văn bản về Đoàn kiểm tra."
            )
        lines.append(
            "Yêu cầu các đơn vị được kiểm tra tiếp tục quán triệt, thực hiện nghiêm quy định về thời giờ "
            "làm việc, văn hóa công sở, công khai thủ tục hành chính; tự kiểm tra, chấn chỉnh thường xuyên."
        )
        if good:
            lines.append(f"Biểu dương các đơn vị thực hiện tốt: {', '.join(good)}.")
        lines.append(
            "Kết quả kiểm tra là căn cứ để đánh giá, chấm điểm Chỉ số cải cách hành chính và xếp loại "
            "thi đua của các đơn vị, cá nhân năm nay."
        )
        return out + [self.p(f"{n}. {text}", s.bullet) for n, text in enumerate(lines, start=1)]

    # ------------------------------------------------------------------ signer + Nơi nhận

    def _closing(self) -> Flowable:
        d = self.d
        recipients = [
            "Chủ tịch, các Phó Chủ tịch UBND tỉnh (để b/c)",
            "Sở Nội vụ",
            "Các đơn vị được kiểm tra",
        ]
        left = self.recipients_block(recipients, f"VT, {d.number_suffix.split('-', 1)[-1]}")
        st = self.styles
        # NĐ 30: the signer's block on the right, "Nơi nhận" on the left at the same height.
        right: list[Flowable] = [
            self.p("TM. ĐOÀN KIỂM TRA", st.sign_title),
            self.p("TRƯỞNG ĐOÀN", st.sign_title),
            Anchor("truong_doan", self.signature_space_mm * mm, self.signature_boxes),
            self.p(d.leader_name, st.sign_name),
        ]
        half = self.frame_width / 2
        return self.table([[left, right]], [half, half], grid=False, padding=0)

    # ------------------------------------------------------------------ helpers

    def _cell(self, text: str, *, bold: bool = False, size: float | None = None) -> Paragraph:
        style = self.styles.cell_bold if bold else self.styles.cell
        if size is not None and size != style.fontSize:
            style = ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size * 1.2)
        return Paragraph(markup(text), style)

    def _head(self, labels: Sequence[str], *, size: float | None = None) -> list[Paragraph]:
        base = self.styles.cell_centre
        style = ParagraphStyle(
            "head",
            parent=base,
            fontName=BOLD,
            fontSize=size or base.fontSize,
            leading=(size or base.fontSize) * 1.2,
        )
        return [Paragraph(markup(label), style) for label in labels]

    def _table(
        self,
        rows: list[list[Any]],
        widths_mm: Sequence[float],
        *,
        centred: Sequence[int] = (),
        style: Sequence[tuple[Any, ...]] = (),
        size: float | None = None,
    ) -> Flowable:
        commands: list[tuple[Any, ...]] = [("ALIGN", (c, 1), (c, -1), "CENTER") for c in centred]
        commands += [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BACKGROUND", (0, 0), (-1, 0), _GREY)]
        commands += list(style)
        widths = [w * mm for w in widths_mm]
        return self.table(rows, widths, header_rows=1, style=commands, font_size=size or TABLE_SIZE)


def _short(text: str, limit: int) -> str:
    text = nfc(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = ["ReportRenderer", "render_report_pdf", "score_words"]
