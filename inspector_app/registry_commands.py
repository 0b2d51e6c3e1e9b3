"""Command line of the unit and official registry (registered by cli.py):

inspector-app [--data-dir DIR] units list [--current] [--json]
inspector-app [--data-dir DIR] officials list --unit UNIT [--all] [--json]
inspector-app [--data-dir DIR] officials import FILE.xlsx --unit UNIT [--dry-run]

UNIT is a unit's code (any case) or id. Exit 0 on success, 1 with a message on stderr when the
file, the unit or the sheet cannot be used (no traceback), 2 for bad arguments (argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector_app.i18n import N_, _

if TYPE_CHECKING:
    from inspector_app.core.registry.import_plan import ImportPreview
    from inspector_app.core.workspace import Workspace

COMMANDS = ("units", "officials")


def add_registry_parsers(sub: Any) -> None:
    """Add ``units`` and ``officials`` to the subparsers of ``inspector-app``."""
    units = sub.add_parser("units", help=_("units of the registry"))
    units_sub = units.add_subparsers(dest="units_command", required=True, metavar=_("ACTION"))
    ulist = units_sub.add_parser("list", help=_("list units with their codes"))
    ulist.add_argument("--current", action="store_true", help=_("only units that still exist"))
    ulist.add_argument("--json", action="store_true", help=_("print JSON"))

    officials = sub.add_parser("officials", help=_("officials of a unit"))
    off_sub = officials.add_subparsers(dest="officials_command", required=True, metavar=_("ACTION"))
    olist = off_sub.add_parser("list", help=_("list the officials of a unit"))
    olist.add_argument("--unit", required=True, metavar="UNIT", help=_("code or id of the unit"))
    olist.add_argument("--all", action="store_true", help=_("also those who have left"))
    olist.add_argument("--json", action="store_true", help=_("print JSON"))
    oimport = off_sub.add_parser("import", help=_("import the list of officials from an Excel workbook"))
    oimport.add_argument("file", metavar="FILE.xlsx")
    oimport.add_argument("--unit", required=True, metavar="UNIT", help=_("code or id of the unit"))
    oimport.add_argument("--dry-run", action="store_true", help=_("show what would change, write nothing"))


def registry_command(ws: Workspace, args: argparse.Namespace) -> int:
    from inspector_app.core.services.errors import ServiceError

    try:
        if args.command == "units":
            return _units_list(ws, current=args.current, as_json=args.json)
        if args.officials_command == "list":
            return _officials_list(ws, args.unit, include_left=args.all, as_json=args.json)
        return _officials_import(ws, Path(args.file), args.unit, dry_run=args.dry_run)
    except ServiceError as exc:  # NotFound, UnitClosed, WorkbookError, StalePreview…
        print(exc, file=sys.stderr)
        return 1


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _units_list(ws: Workspace, *, current: bool, as_json: bool) -> int:
    from inspector_app.core.registry.units import is_open, list_units, unit_codes

    with ws.session() as session:
        units = list_units(session, current_only=current)
        codes = unit_codes(session, {u for x in units for u in (x.parent_id, x.successor_id) if u})
    if as_json:
        out = [
            {
                "id": str(u.id),
                "code": u.code,
                "name": u.name,
                "proper_name": u.proper_name,
                "type": u.unit_type,
                "parent_code": codes.get(u.parent_id) if u.parent_id else None,
                "address": u.address,
                "valid_from": _date(u.valid_from),
                "valid_to": _date(u.valid_to),
                "successor_code": codes.get(u.successor_id) if u.successor_id else None,
                "current": is_open(u),
            }
            for u in units
        ]
        _print_json(out)
        return 0
    for u in units:
        ended = "" if is_open(u) else "  " + _("(ended {date})").format(date=_shown(u.valid_to))
        print(f"{u.code:<32} {u.name}{ended}")
    print(_("{n} unit(s).").format(n=len(units)))
    return 0


def _officials_list(ws: Workspace, unit_ref: str, *, include_left: bool, as_json: bool) -> int:
    from inspector_app.core.registry.units import find_unit, list_officials

    with ws.session() as session:
        unit = find_unit(session, unit_ref)
        rows = list_officials(session, unit.id, include_left=include_left)
    if as_json:
        out = [
            {
                "id": str(o.id),
                "unit_code": unit.code,
                "full_name": o.full_name,
                "position": o.position,
                "department": o.department,
                "kind": o.kind,
                "gender": o.gender,
                "birth_date": _date(o.birth_date),
                "left_on": _date(o.left_on),
                "sort_order": o.sort_order,
            }
            for o in rows
        ]
        _print_json(out)
        return 0
    print(f"{unit.name} ({unit.code})")
    for i, o in enumerate(rows, start=1):
        left = "  " + _("(left {date})").format(date=o.left_on.strftime("%d/%m/%Y")) if o.left_on else ""
        print(f"{i:>4}. {o.full_name:<28} {o.position}{left}")
    print(_("{n} official(s).").format(n=len(rows)))
    return 0


def _print_json(out: list[dict[str, Any]]) -> None:
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _officials_import(ws: Workspace, path: Path, unit_ref: str, *, dry_run: bool) -> int:
    from inspector_app.core.db import session_scope
    from inspector_app.core.registry.import_plan import apply_import, preview_file

    with session_scope(ws.engine) as session:
        preview = preview_file(session, path, unit_ref)
        for line in preview_lines(preview):
            print(line)
        if dry_run:
            print(_("Dry run: nothing was written."))
            return 0
        if not preview.has_changes:
            print(_("Nothing to change."))
            return 0
        result = apply_import(session, ws.editor, preview)
    print(_("Written: {added} added, {updated} updated.").format(added=result.added, updated=result.updated))
    return 0


def preview_lines(preview: ImportPreview) -> list[str]:
    """The preview as text lines (the command line prints them; the desk UI can reuse them)."""
    src = preview.source
    first, last = src.header_rows
    header = f"{first}" if first == last else f"{first}–{last}"
    lines = [
        _("File {file}, sheet {sheet}, header on row {rows}; unit {unit} ({code}).").format(
            file=src.path.name, sheet=src.sheet, rows=header, unit=preview.unit_name, code=preview.unit_code
        ),
        _("To add: {added}, to update: {updated}, unchanged: {same}, problems: {problems}.").format(
            added=len(preview.to_add),
            updated=len(preview.to_update),
            same=len(preview.unchanged),
            problems=len(src.problems),
        ),
    ]
    for o in preview.to_add:
        where = _("row {row}").format(row=o.row)
        lines.append(f"+ {o.full_name} — {o.position} ({where})")
    for u in preview.to_update:
        what = "; ".join(f"{_field_label(c.field)}: {_shown(c.old)} → {_shown(c.new)}" for c in u.changes)
        lines.append(f"~ {u.incoming.full_name} — {u.incoming.position}: {what}")
    for p in src.problems:
        mark = "!" if p.skipped else "?"
        lines.append(f"{mark} {p}")
    if preview.not_in_file:
        names = ", ".join(preview.not_in_file[:NAMES_SHOWN])
        if len(preview.not_in_file) > NAMES_SHOWN:
            names = _("{names} and {n} more").format(names=names, n=len(preview.not_in_file) - NAMES_SHOWN)
        lines.append(_("Registered but not in the file (left as they are): {names}").format(names=names))
    return lines


def _field_label(name: str) -> str:
    labels = {
        "department": _("department"),
        "kind": _("kind"),
        "birth_date": _("birth date"),
        "gender": _("gender"),
    }
    return labels.get(name, name)


_KIND_LABELS = {
    "can_bo": N_("Cadre"),
    "cong_chuc": N_("Civil servant"),
    "vien_chuc": N_("Public employee"),
    "nguoi_lao_dong": N_("Contract worker"),
    "khong_chuyen_trach": N_("Non-specialised staff"),
}
_GENDER_LABELS = {"nam": N_("male"), "nu": N_("female")}
NAMES_SHOWN = 20  # officials missing from the file named in the preview; the rest are counted


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str) and value in _KIND_LABELS:
        return _(_KIND_LABELS[value])
    if isinstance(value, str) and value in _GENDER_LABELS:
        return _(_GENDER_LABELS[value])
    if hasattr(value, "strftime"):
        return str(value.strftime("%d/%m/%Y"))
    return str(value)
