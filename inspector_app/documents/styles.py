"""The one stylesheet of every document: NĐ 30/2020 sizes (body 13 pt, justified, 1 cm first-line
indent, ≥ 6 pt between paragraphs)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm

from inspector_app.documents.fonts import BOLD, BOLD_ITALIC, FAMILY, ITALIC, REGULAR

BODY_SIZE = 13
TABLE_SIZE = 11
SMALL_TABLE_SIZE = 10


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_plain: ParagraphStyle  # no first-line indent (lists, "Căn cứ" lines)
    heading: ParagraphStyle  # I. THÀNH PHẦN
    subheading: ParagraphStyle  # 1. Việc chấp hành…
    bullet: ParagraphStyle  # "- …" lines, hanging
    doc_type: ParagraphStyle  # BIÊN BẢN
    summary: ParagraphStyle  # trích yếu under the type
    header_left: ParagraphStyle  # Ô2 line 1
    header_left_bold: ParagraphStyle  # Ô2 line 2
    national: ParagraphStyle  # Quốc hiệu
    motto: ParagraphStyle  # Tiêu ngữ
    number: ParagraphStyle  # Ô3
    place_date: ParagraphStyle  # Ô4
    sign_title: ParagraphStyle
    sign_hint: ParagraphStyle
    sign_name: ParagraphStyle
    sign_note: ParagraphStyle
    recipients_title: ParagraphStyle  # "Nơi nhận:"
    recipients: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_centre: ParagraphStyle
    appendix_label: ParagraphStyle  # Phụ lục 1
    appendix_title: ParagraphStyle
    appendix_note: ParagraphStyle
    caption: ParagraphStyle
    small: ParagraphStyle


def _style(name: str, **kw: object) -> ParagraphStyle:
    base: dict[str, object] = {"fontName": REGULAR, "fontSize": BODY_SIZE, "leading": 16}
    return ParagraphStyle(name, **(base | kw))


@lru_cache(maxsize=1)
def stylesheet() -> Styles:
    body = _style("body", alignment=TA_JUSTIFY, firstLineIndent=1 * cm, spaceAfter=6)
    centre: dict[str, object] = {"alignment": TA_CENTER}
    cell: dict[str, object] = {"fontSize": TABLE_SIZE, "leading": 13}
    return Styles(
        body=body,
        body_plain=_style("body_plain", alignment=TA_JUSTIFY, spaceAfter=6),
        heading=_style("heading", fontName=BOLD, spaceBefore=6, spaceAfter=6, keepWithNext=1),
        subheading=_style("subheading", fontName=BOLD, spaceBefore=3, spaceAfter=4, keepWithNext=1),
        bullet=_style("bullet", alignment=TA_JUSTIFY, leftIndent=0, firstLineIndent=1 * cm, spaceAfter=3),
        doc_type=_style("doc_type", fontName=BOLD, fontSize=14, leading=18, **centre),
        summary=_style("summary", fontName=BOLD, fontSize=14, leading=18, spaceAfter=2, **centre),
        header_left=_style("header_left", fontSize=12, leading=14, **centre),
        header_left_bold=_style("header_left_bold", fontName=BOLD, fontSize=12, leading=14, **centre),
        national=_style("national", fontName=BOLD, fontSize=12, leading=14, **centre),
        motto=_style("motto", fontName=BOLD, fontSize=13, leading=15, **centre),
        number=_style("number", **centre),
        place_date=_style("place_date", fontName=ITALIC, **centre),
        sign_title=_style("sign_title", fontName=BOLD, fontSize=12, leading=14, **centre),
        sign_hint=_style("sign_hint", fontName=ITALIC, fontSize=12, leading=14, **centre),
        sign_name=_style("sign_name", fontName=BOLD, **centre),
        sign_note=_style("sign_note", fontName=ITALIC, fontSize=11, leading=13, **centre),
        recipients_title=_style("recipients_title", fontName=BOLD_ITALIC, fontSize=12, leading=14),
        recipients=_style("recipients", fontSize=11, leading=13),
        cell=_style("cell", alignment=TA_LEFT, **cell),
        cell_bold=_style("cell_bold", fontName=BOLD, alignment=TA_LEFT, **cell),
        cell_centre=_style("cell_centre", **cell, **centre),
        appendix_label=_style("appendix_label", fontName=BOLD, fontSize=14, leading=18, **centre),
        appendix_title=_style("appendix_title", fontName=BOLD, leading=17, **centre),
        appendix_note=_style("appendix_note", fontName=ITALIC, spaceAfter=10, **centre),
        caption=_style("caption", fontName=ITALIC, fontSize=12, leading=14, spaceAfter=10, **centre),
        small=_style("small", fontSize=11, leading=13),
    )


__all__ = ["BODY_SIZE", "FAMILY", "SMALL_TABLE_SIZE", "TABLE_SIZE", "Styles", "stylesheet"]
