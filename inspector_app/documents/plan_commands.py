"""``inspector-app export plan`` and ``export decision``: parsers and handlers for cli.py.

    inspector-app [--data-dir DIR] export plan PLAN_ID_OR_NUMBER -o OUT.pdf
    inspector-app [--data-dir DIR] export decision DECISION_ID_OR_NUMBER -o OUT.pdf

A plan is found by its id or its number ("45/KH-UBND"), a team decision by its id or its number
("125/QĐ-UBND"). Exit codes: 0 written; 1 refused (the reason on stderr); 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from inspector_app.i18n import _


def add_plan_parsers(export_sub: Any) -> None:
    plan = export_sub.add_parser("plan", help=_("the inspection plan (kế hoạch) as PDF"))
    plan.add_argument("plan", metavar="PLAN_ID_OR_NUMBER")
    plan.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    decision = export_sub.add_parser(
        "decision", help=_("the decision forming an inspection team (quyết định) as PDF")
    )
    decision.add_argument("decision", metavar="DECISION_ID_OR_NUMBER")
    decision.add_argument("-o", "--output", required=True, metavar="OUT.pdf")


def render_plan_file(ws: Any, ref: str) -> bytes:
    from inspector_app.core.desk.plans import find_plan
    from inspector_app.documents.plan_doc import render_plan_pdf

    with ws.session() as session:
        return render_plan_pdf(session, find_plan(session, ref).id)


def render_decision_file(ws: Any, ref: str) -> bytes:
    from inspector_app.core.desk.decisions import find_decision
    from inspector_app.documents.decision_doc import render_decision_pdf

    with ws.session() as session:
        return render_decision_pdf(session, find_decision(session, ref).id)


def plan_command(ws: Any, args: argparse.Namespace) -> int:
    """``export plan`` or ``export decision`` (by ``args.export_command``)."""
    from inspector_app.core.services.errors import ServiceError
    from inspector_app.documents.base import DocumentError

    out = Path(args.output)
    if out.suffix.lower() != ".pdf":
        print(_("The output must end in .pdf: {path}").format(path=out), file=sys.stderr)
        return 2
    try:
        if args.export_command == "decision":
            data = render_decision_file(ws, args.decision)
        else:
            data = render_plan_file(ws, args.plan)
    except (ServiceError, DocumentError) as exc:
        print(exc, file=sys.stderr)
        return 1
    write_file(out, data)
    print(_("Wrote {path}").format(path=out))
    return 0


def write_file(out: Path, data: bytes) -> Path:
    """Through a temporary name: never a half-written file under the real one."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out
