"""Reading an officials list from an Excel workbook as offices really keep it.

Title rows above the table ("UBND XÃ …", "DANH SÁCH CÁN BỘ, CÔNG CHỨC …"), a header over one or two
rows with merged cells ("Họ và tên" merged down, "Ngày sinh" over Nam | Nữ), a row of column numbers,
blank rows and group headings inside the table, a total row and signature lines below it. The header
is the first row whose cells name "Họ và tên" and at least one other known column (diacritics and
case ignored); data rows are read until the total row or the signatures. Nothing is written here:
:func:`read_officials` returns what was read plus row-level problems ("Sheet1!B12: thiếu họ tên");
:mod:`inspector_app.core.registry.import_plan` turns it into a preview and applies it.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from inspector_app.core.registry import sheet_values as sv
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.text import fold
from inspector_app.i18n import _

HEADER_SEARCH_ROWS = 40  # the header is looked for in this many rows from the top
_ZIP_MAGIC, _OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


class WorkbookError(InvalidInput):
    """The file cannot be used at all (missing, not .xlsx, no recognisable header)."""


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    cell: str  # "B12"
    message: str
    skipped: bool = True  # the row was left out (False: read, with an assumption stated in message)

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.message}"


@dataclass(frozen=True)
class ImportedOfficial:
    row: int  # Excel row number
    full_name: str  # NFC, trimmed
    position: str
    department: str | None
    kind: str  # OfficialKind value (given in the sheet, or guessed: see kind_given)
    kind_given: bool
    gender: str | None  # "nam" | "nu"
    birth: sv.BirthDate | None

    @cached_property
    def key(self) -> tuple[str, str]:
        """How a sheet row meets a registered official: folded name + folded position."""
        return fold(self.full_name), fold(self.position)


@dataclass(frozen=True)
class SheetRead:
    path: Path
    sha256: str
    sheet: str
    header_rows: tuple[int, int]  # first and last header row (1-based, as Excel shows them)
    columns: dict[str, str]  # field → column letters ("birth": "D,E")
    officials: list[ImportedOfficial]
    problems: list[RowProblem]
    end_row: int  # last row looked at (the total row or signature line, or the last row)


@dataclass
class _Columns:
    single: dict[str, int] = field(default_factory=dict)  # field → 0-based column
    birth: list[tuple[int, str | None]] = field(default_factory=list)  # (column, gender of sub-column)
    gender_marks: list[tuple[int, str]] = field(default_factory=list)  # "x" under Giới tính: Nam | Nữ

    def letters(self) -> dict[str, str]:
        out = {k: get_column_letter(c + 1) for k, c in self.single.items()}
        if self.birth:
            out[sv.BIRTH] = ",".join(get_column_letter(c + 1) for c, _ in self.birth)
        if self.gender_marks:
            out[sv.GENDER] = ",".join(get_column_letter(c + 1) for c, _ in self.gender_marks)
        return out


def open_workbook(path: Path) -> Any:
    if not path.exists():
        raise WorkbookError(_("File not found: {path}").format(path=path))
    if not path.is_file():
        raise WorkbookError(_("{path} is not a file.").format(path=path))
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == _OLE_MAGIC:
        raise WorkbookError(
            _("{path} is an old Excel 97-2003 (.xls) file; open it in Excel and save it as .xlsx.").format(
                path=path
            )
        )
    if magic != _ZIP_MAGIC or path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(_("{path} is not an Excel workbook (.xlsx).").format(path=path))
    try:
        return load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise WorkbookError(
            _("{path} cannot be read as an Excel workbook (.xlsx): {reason}").format(path=path, reason=exc)
        ) from exc


def read_officials(path: Path | str, *, sheet: str | None = None) -> SheetRead:
    """Officials of the first sheet that has a recognisable header (the active sheet first)."""
    path = Path(path)
    wb = open_workbook(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise WorkbookError(_("The workbook has no sheet named {sheet}.").format(sheet=sheet))
            candidates = [wb[sheet]]
        else:
            candidates = [wb.active] + [ws for ws in wb.worksheets if ws is not wb.active]
        for ws in candidates:
            if not isinstance(ws, Worksheet):
                continue
            found = _read_sheet(ws, path, digest)
            if found is not None:
                return found
    finally:
        wb.close()
    raise WorkbookError(
        _(
            "No header row found in {path}: the list needs a column “Họ và tên” and one of “Chức vụ”, "
            "“Ngày sinh”, “Bộ phận” in its first {n} rows."
        ).format(path=path.name, n=HEADER_SEARCH_ROWS)
    )


class _Grid:
    """Cell values of a sheet (0-based) with merged ranges resolved to their top-left value."""

    def __init__(self, ws: Worksheet) -> None:
        self.rows: list[tuple[Any, ...]] = [tuple(r) for r in ws.iter_rows(values_only=True)]
        self.width = max((len(r) for r in self.rows), default=0)
        self.anchor: dict[tuple[int, int], tuple[int, int]] = {}  # cell → top-left of its merged range
        self.spans: dict[tuple[int, int], tuple[int, int]] = {}  # top-left → (rows, cols)
        for rng in ws.merged_cells.ranges:
            r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
            if (r1 - r0 + 1) * (c1 - c0 + 1) > 5000:
                continue  # a whole-column merge: formatting, not content
            self.spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    self.anchor[(r, c)] = (r0, c0)

    def raw(self, r: int, c: int) -> Any:
        row = self.rows[r] if 0 <= r < len(self.rows) else ()
        return row[c] if c < len(row) else None

    def value(self, r: int, c: int) -> Any:
        """The value shown in the cell: a merged area shows its top-left value everywhere."""
        return self.raw(*self.anchor.get((r, c), (r, c)))

    def filled(self, r: int) -> list[int]:
        return [c for c in range(self.width) if _text(self.raw(r, c))]


def _text(value: Any) -> str:
    return sv.clean_text(value) if value is not None else ""


def _find_header(grid: _Grid) -> int | None:
    for r in range(min(HEADER_SEARCH_ROWS, len(grid.rows))):
        fields = {sv.header_field(grid.raw(r, c)) for c in grid.filled(r)}
        has_name = sv.NAME in fields or (sv.FAMILY in fields and sv.GIVEN in fields)
        if has_name and fields & {sv.POSITION, sv.BIRTH, sv.DEPARTMENT, sv.GENDER, sv.KIND, sv.STT}:
            return r
    return None


def _is_sub_header(grid: _Grid, r: int) -> bool:
    """The second row of a two-row header: a merge reaches down into it, or all its cells are header words."""
    if any(grid.spans.get((r - 1, c), (1, 1))[0] > 1 for c in range(grid.width)):
        return True
    cells = grid.filled(r)
    return bool(cells) and all(
        sv.header_field(grid.raw(r, c)) or sv.gender_word(grid.raw(r, c)) for c in cells
    )


def _is_number_row(grid: _Grid, r: int) -> bool:
    """The "(1) (2) (3) …" row under many official headers."""
    cells = grid.filled(r)
    texts = [_text(grid.raw(r, c)).strip("()") for c in cells]
    return len(cells) >= 3 and all(t.isdigit() and int(t) <= 40 for t in texts)


def _map_columns(grid: _Grid, top: int, sub: int | None) -> _Columns:
    cols = _Columns()
    for c in range(grid.width):
        top_field = sv.header_field(grid.value(top, c))
        below = grid.raw(sub, c) if sub is not None else None
        sub_gender, sub_field = sv.gender_word(below), sv.header_field(below)
        if sub_gender and top_field == sv.BIRTH:
            cols.birth.append((c, sub_gender))
        elif sub_gender and top_field == sv.GENDER:
            cols.gender_marks.append((c, sub_gender))
        elif (found := sub_field or top_field) == sv.BIRTH:
            cols.birth.append((c, None))
        elif found and found not in cols.single:
            cols.single[found] = c
    return cols


def _read_sheet(ws: Worksheet, path: Path, digest: str) -> SheetRead | None:
    grid = _Grid(ws)
    top = _find_header(grid)
    if top is None:
        return None
    sub = top + 1 if _is_sub_header(grid, top + 1) else None
    cols = _map_columns(grid, top, sub)
    first = (sub if sub is not None else top) + 1
    if _is_number_row(grid, first):
        first += 1
    reader = _RowReader(ws.title, grid, cols)
    end = len(grid.rows)
    for r in range(first, len(grid.rows)):
        if not reader.read(r):
            end = r + 1
            break
    return SheetRead(
        path=path,
        sha256=digest,
        sheet=ws.title,
        header_rows=(top + 1, (sub if sub is not None else top) + 1),
        columns=cols.letters(),
        officials=reader.officials,
        problems=reader.problems,
        end_row=end,
    )


class _RowReader:
    def __init__(self, sheet: str, grid: _Grid, cols: _Columns) -> None:
        self.sheet, self.grid, self.cols = sheet, grid, cols
        self.officials: list[ImportedOfficial] = []
        self.problems: list[RowProblem] = []
        self._seen: dict[tuple[str, str], int] = {}

    def _cell(self, r: int, name: str) -> Any:
        c = self.cols.single.get(name)
        return None if c is None else self.grid.value(r, c)

    def _problem(self, r: int, where: str | int, message: str, *, skipped: bool = True) -> None:
        """``where`` is a field (its column) or a 0-based column number."""
        c = where if isinstance(where, int) else self.cols.single.get(where, 0)
        self.problems.append(RowProblem(self.sheet, f"{get_column_letter(c + 1)}{r + 1}", message, skipped))

    def read(self, r: int) -> bool:
        """Read one row; False when the table has ended (total row or signature lines)."""
        cells = self.grid.filled(r)
        if not cells:
            return True  # blank row
        stt = self._cell(r, sv.STT)
        if stt is not None and sv.is_stt(stt):  # a numbered row is a person (or a problem)
            self._official(r)
            return True
        texts = [sv.key_text(self.grid.raw(r, c)) for c in cells]
        if sv.is_total(texts[0]) or any(t.startswith("tong cong") for t in texts):
            return False
        if any(sv.is_signature(t) for t in texts) and not self._birth_values(r):
            return False
        if len(cells) == 1 and self._is_heading(r, cells[0], texts[0]):
            return True  # "I. LÃNH ĐẠO UBND", a department heading merged across the table
        self._official(r)
        return True

    def _is_heading(self, r: int, c: int, text: str) -> bool:
        spans_columns = self.grid.spans.get((r, c), (1, 1))[1] > 1
        return spans_columns or sv.is_heading_text(text) or c == self.cols.single.get(sv.STT)

    def _birth_values(self, r: int) -> list[tuple[int, Any, str | None]]:
        return [(c, v, g) for c, g in self.cols.birth if _text(v := self.grid.value(r, c))]

    def _name(self, r: int) -> str:
        if sv.NAME in self.cols.single:
            return sv.clean_name(self._cell(r, sv.NAME))
        family, given = sv.clean_name(self._cell(r, sv.FAMILY)), sv.clean_name(self._cell(r, sv.GIVEN))
        return f"{family} {given}".strip()

    def _official(self, r: int) -> None:
        name = self._name(r)
        if not name:
            self._problem(r, sv.NAME if sv.NAME in self.cols.single else sv.FAMILY, _("missing full name"))
            return
        position = sv.clean_text(self._cell(r, sv.POSITION))
        if not position:
            self._problem(r, sv.POSITION, _("{name}: missing position").format(name=name))
            return
        kind, kind_given = self._kind(r, name, position)
        birth, gender = self._birth_and_gender(r, name)
        official = ImportedOfficial(
            row=r + 1,
            full_name=name,
            position=position,
            department=sv.clean_text(self._cell(r, sv.DEPARTMENT)) or None,
            kind=kind,
            kind_given=kind_given,
            gender=gender,
            birth=birth,
        )
        if (earlier := self._seen.get(official.key)) is not None:
            self._problem(
                r,
                sv.NAME,
                _("{name} ({position}) repeats row {row}").format(name=name, position=position, row=earlier),
            )
            return
        self._seen[official.key] = r + 1
        self.officials.append(official)

    def _kind(self, r: int, name: str, position: str) -> tuple[str, bool]:
        raw = self._cell(r, sv.KIND)
        given = sv.parse_kind(raw)
        if given is not None:
            return given.value, True
        guessed = sv.guess_kind(position)
        if raw not in (None, "") and guessed is not None:
            message = _("{name}: kind “{value}” not understood; taken from the position").format(
                name=name, value=sv.clean_text(raw)
            )
            self._problem(r, sv.KIND, message, skipped=False)
        elif guessed is None:
            guessed = sv.CC
            self._problem(
                r,
                sv.KIND if sv.KIND in self.cols.single else sv.POSITION,
                _("{name}: kind of official unknown; recorded as công chức").format(name=name),
                skipped=False,
            )
        return guessed.value, False

    def _birth_and_gender(self, r: int, name: str) -> tuple[sv.BirthDate | None, str | None]:
        gender: str | None = sv.gender_word(self._cell(r, sv.GENDER))
        for c, mark in self.cols.gender_marks:
            if _text(self.grid.value(r, c)):
                gender = mark
        birth: sv.BirthDate | None = None
        for c, value, g in self._birth_values(r):
            parsed = sv.parse_birth(value)
            if isinstance(parsed, str):
                self._problem(r, c, f"{name}: {parsed}", skipped=False)
            elif parsed is not None:
                birth, gender = parsed, g or gender
                break
        return birth, gender
