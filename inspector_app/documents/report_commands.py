"""``inspector-app export report``: parser and handler for cli.py.

    inspector-app [--data-dir DIR] export report [--plan ID|NUMBER] [--from D --to D] -o OUT.pdf|OUT.xlsx

The output format follows the file's extension. Exit codes: 0 written; 1 refused (reason on stderr);
2 bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import uuid
from pathlib import Path
from typing import Any

from inspector_app.i18n import _

FORMATS = (".pdf", ".xlsx")


def add_report_parser(export_sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = export_sub.add_parser(
        "report", help=_("the summary report over a plan or a period, as PDF or .xlsx")
    )
    p.add_argument("--plan", metavar="ID", help=_("the plan: its id or its number (45/KH-UBND)"))
    p.add_argument(
        "--from", dest="date_from", metavar=_("DATE"), help=_("first day (2026-03-01 or 01/03/2026)")
    )
    p.add_argument("--to", dest="date_to", metavar=_("DATE"), help=_("last day (2026-03-31 or 31/03/2026)"))
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf|OUT.xlsx")
    return p


def parse_day(text: str) -> dt.date:
    """ "2026-03-01" or "01/03/2026"."""
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = (int(x) for x in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(
            _("Not a date: {value} (write 2026-03-01 or 01/03/2026)").format(value=text)
        ) from exc


def _plan_id(session: Any, value: str) -> uuid.UUID:
    from sqlmodel import select

    from inspector_app.core.models import Plan

    try:
        return uuid.UUID(value)
    except ValueError:
        pass
    found = session.exec(select(Plan.id).where(Plan.number == value.strip(), Plan.deleted == False)).first()  # noqa: E712
    if found is None:
        raise LookupError(_("Plan not found: {id}").format(id=value))
    return found


def report_command(ws: Any, args: argparse.Namespace) -> int:
    from inspector_app.documents.base import DocumentError

    out = Path(args.output)
    if out.suffix.lower() not in FORMATS:
        print(_("The output must end in .pdf or .xlsx: {path}").format(path=out), file=sys.stderr)
        return 2
    if not (args.plan or args.date_from or args.date_to):
        print(_("Give --plan, or --from and --to"), file=sys.stderr)
        return 2
    try:
        date_from = parse_day(args.date_from) if args.date_from else None
        date_to = parse_day(args.date_to) if args.date_to else None
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        data = render_report_file(ws, args.plan, date_from, date_to, out.suffix.lower())
    except (DocumentError, LookupError) as exc:
        print(exc, file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")  # never a half-written file under the real name
    tmp.write_bytes(data)
    tmp.replace(out)
    print(_("Wrote {path}").format(path=out))
    return 0


def render_report_file(
    ws: Any, plan: str | None, date_from: dt.date | None, date_to: dt.date | None, suffix: str
) -> bytes:
    from inspector_app.documents.report import render_report_pdf
    from inspector_app.documents.report_data import build_report_data
    from inspector_app.documents.report_xlsx import render_report_xlsx

    with ws.session() as session:
        plan_id = _plan_id(session, plan) if plan else None
        data = build_report_data(session, plan_id=plan_id, date_from=date_from, date_to=date_to)
    return render_report_xlsx(data) if suffix == ".xlsx" else render_report_pdf(data)
