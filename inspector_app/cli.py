"""The laptop's command line, ``inspector-app``. Scripts and the office rely on this contract:

inspector-app [--data-dir DIR]                      the desktop app
inspector-app [--data-dir DIR] demo                 load the demo province (idempotent)
inspector-app [--data-dir DIR] db check             integrity of the local database
inspector-app forms check FILE…                     errors as FILE:LINE: reason
inspector-app [--data-dir DIR] visits list [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app import __version__
from inspector_app.i18n import _, set_language

if TYPE_CHECKING:
    from inspector_app.core.workspace import Workspace


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspector-app",
        description=_("Kiểm tra công vụ — civil-service inspection, offline."),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help=_("data folder (default: INSPECTOR_HOME or the user's data folder)")
    )
    parser.add_argument("--lang", choices=("vi", "en"), help=_("language of messages (default: Vietnamese)"))
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    sub.add_parser("gui", help=_("open the desktop app (the default)"))
    sub.add_parser("demo", help=_("load the demo province"))
    shots = sub.add_parser("shots", help=_("render screenshots of every screen (PNG, 1280×800)"))
    shots.add_argument("outdir", metavar=_("FOLDER"))

    db = sub.add_parser("db", help=_("local database"))
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar=_("ACTION"))
    db_sub.add_parser("check", help=_("check the database for damage"))
    db_sub.add_parser("backup", help=_("make a copy of the database now"))
    restore = db_sub.add_parser(
        "restore", help=_("put a copy back (the newest sound one if no file is given)")
    )
    restore.add_argument("file", nargs="?", metavar=_("FILE"))

    forms = sub.add_parser("forms", help=_("checklist forms"))
    forms_sub = forms.add_subparsers(dest="forms_command", required=True, metavar=_("ACTION"))
    check = forms_sub.add_parser("check", help=_("check form files and report every error"))
    check.add_argument("files", nargs="+", metavar=_("FILE"))

    login = sub.add_parser("login", help=_("sign in to the office"))
    login.add_argument("--server", required=True, metavar="URL", help=_("office address (https://…)"))
    login.add_argument("--user", required=True, metavar=_("NAME"))
    login.add_argument("--ca-cert", metavar="FILE", help=_("CA certificate file of the office"))
    login.add_argument(
        "--allow-insecure", action="store_true", help=_("allow plain HTTP to a non-local address (unsafe)")
    )
    sync = sub.add_parser("sync", help=_("sync with the office"))
    sync.add_argument("--server", metavar="URL", help=_("office address (https://…)"))

    export = sub.add_parser("export", help=_("export documents"))
    export_sub = export.add_subparsers(dest="export_command", required=True, metavar=_("DOCUMENT"))
    minutes = export_sub.add_parser("minutes", help=_("the inspection minutes of a visit as PDF"))
    minutes.add_argument("visit_id", metavar="VISIT_ID")
    minutes.add_argument("-o", "--output", required=True, metavar="OUT.pdf|OUT.docx")
    from inspector_app.documents.report_commands import add_report_parser  # argparse only

    add_report_parser(export_sub)
    from inspector_app.documents.notice_commands import add_export_notice_parser, add_notice_parser

    add_export_notice_parser(export_sub)  # export notice NOTICE -o OUT.pdf
    from inspector_app.documents.plan_commands import add_plan_parsers

    add_plan_parsers(export_sub)  # export plan|decision NUMBER_OR_ID -o OUT.pdf
    add_notice_parser(sub)  # notice list|issue|sign|verify
    register = export_sub.add_parser("register", help=_("the register of numbered documents (sổ) as PDF"))
    register.add_argument("--issuer", default="ĐKTCV", help=_("issuer symbol in the numbers (ĐKTCV)"))
    register.add_argument("--year", type=int, default=None, metavar=_("YEAR"))
    register.add_argument("-o", "--output", required=True, metavar="OUT.pdf")

    from inspector_app.documents.commands import add_sign_parser, add_verify_parser  # argparse only

    add_sign_parser(sub)
    add_verify_parser(sub)

    from inspector_app.registry_commands import add_registry_parsers  # argparse only

    add_registry_parsers(sub)

    config = sub.add_parser("config", help=_("this laptop's settings: screen lock, backups"))
    config.add_argument(
        "--idle-minutes", type=int, metavar="N", help=_("lock the screen after N idle minutes (0: never)")
    )
    config.add_argument(
        "--backups-kept", type=int, metavar="N", help=_("how many daily copies of the database to keep")
    )

    visits = sub.add_parser("visits", help=_("visits"))
    visits_sub = visits.add_subparsers(dest="visits_command", required=True, metavar=_("ACTION"))
    vlist = visits_sub.add_parser("list", help=_("list visits"))
    vlist.add_argument("--json", action="store_true", help=_("print JSON"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.lang:
        set_language(args.lang)
    command = args.command or "gui"
    if command in ("sign", "verify"):  # files only: no database needed
        from inspector_app.documents.commands import sign_command, verify_command

        return sign_command(args) if command == "sign" else verify_command(args)
    if command == "forms":
        return _forms_check(args.files)
    if command == "gui":
        from inspector_app.ui.app import run  # Qt only when a window is wanted

        return run(args.data_dir, language=args.lang)
    from inspector_app.paths import user_data_dir

    data_dir = user_data_dir(args.data_dir)
    if command == "db":
        if args.db_command == "backup":
            return _db_backup(data_dir)
        if args.db_command == "restore":
            return _db_restore(data_dir, Path(args.file) if args.file else None)
        return _db_check(data_dir)
    from inspector_app.core.db import DatabaseDamaged
    from inspector_app.core.workspace import open_workspace

    try:
        ws = open_workspace(data_dir)
    except DatabaseDamaged as exc:
        print(_("The database is damaged: {problem}").format(problem=exc), file=sys.stderr)
        return 1
    try:
        if command == "demo":
            return _demo(ws)
        if command == "shots":
            return _shots(ws, Path(args.outdir))
        if command == "config":
            return _config(ws, args.idle_minutes, args.backups_kept)
        if command in ("units", "officials"):
            from inspector_app.registry_commands import registry_command

            return registry_command(ws, args)
        if command == "login":
            return _login(ws, args)
        if command == "sync":
            return _sync(ws, args.server)
        if command == "notice":
            from inspector_app.documents.notice_commands import notice_command

            return notice_command(ws, args)
        if command == "export":
            if args.export_command == "notice":
                from inspector_app.documents.notice_commands import export_notice_command

                return export_notice_command(ws, args)
            if args.export_command in ("plan", "decision"):
                from inspector_app.documents.plan_commands import plan_command

                return plan_command(ws, args)
            if args.export_command == "register":
                return _export_register(ws, args.issuer, args.year, Path(args.output))
            if args.export_command == "report":
                from inspector_app.documents.report_commands import report_command

                return report_command(ws, args)
            return _export_minutes(ws, args.visit_id, Path(args.output))
        return _visits_list(ws, as_json=args.json)
    finally:
        ws.close()


def _forms_check(files: Sequence[str]) -> int:
    from inspector_app.core.forms import check_forms

    issues = check_forms([Path(f) for f in files])
    for issue in issues:
        print(issue)
    if issues:
        print(_("{n} error(s) found.").format(n=len(issues)), file=sys.stderr)
        return 1
    print(_("{n} file(s) checked: no errors.").format(n=len(files)))
    return 0


def _db_backup(data_dir: Path) -> int:
    from inspector_app.core.backups import DB_FILENAME, make_backup, prune

    path = data_dir / DB_FILENAME
    if not path.exists():
        print(_("No database yet in {folder}.").format(folder=data_dir), file=sys.stderr)
        return 1
    made = make_backup(path, "manual")
    prune(data_dir)
    print(_("Copy made: {path}").format(path=made))
    return 0


def _db_restore(data_dir: Path, source: Path | None) -> int:
    from inspector_app.core.backups import backup_dir, restore

    try:
        done = restore(data_dir, source)
    except FileNotFoundError:
        print(_("No sound copy found in {folder}.").format(folder=backup_dir(data_dir)), file=sys.stderr)
        return 1
    except ValueError:
        print(
            _("{path} is not a sound database copy; nothing was changed.").format(path=source),
            file=sys.stderr,
        )
        return 1
    print(_("Restored from {source}. The files that were in place were kept as:").format(source=done.source))
    for path in done.set_aside:
        print(f"  {path}")
    return 0


def _db_check(data_dir: Path) -> int:
    from inspector_app.core.db import DB_FILENAME, integrity_problems

    path = data_dir / DB_FILENAME
    if not path.exists():
        print(_("No database yet in {folder}.").format(folder=data_dir), file=sys.stderr)
        return 1
    problems = integrity_problems(path)
    if problems:
        print(_("The database {path} is damaged:").format(path=path), file=sys.stderr)
        for problem in problems[:20]:
            print(f"  {problem}", file=sys.stderr)
        print(
            _("Restore the newest copy from {folder}.").format(folder=data_dir / "backups"), file=sys.stderr
        )
        return 1
    from sqlmodel import Session

    from inspector_app.core.db import make_engine
    from inspector_app.core.services import audit

    engine = make_engine(path)
    try:
        with Session(engine) as session:
            broken = audit.verify(session)
    finally:
        engine.dispose()
    if broken:
        print(_("The audit chain is broken:"), file=sys.stderr)
        for link in broken[:20]:
            print(f"  {link}", file=sys.stderr)
        return 1
    print(_("The database {path} is sound.").format(path=path))
    return 0


def _demo(ws: Workspace) -> int:
    from inspector_app.core.demo.load import load_demo
    from inspector_app.core.services.errors import ServiceError

    try:
        summary = load_demo(ws)
    except ServiceError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        _(
            "Demo province loaded: {units} units, {officials} officials, {created} new visits ({total} in all)."  # noqa: E501
        ).format(
            units=summary.units,
            officials=summary.officials,
            created=summary.visits_created,
            total=summary.visits_total,
        )
    )
    return 0


def _export_minutes(ws: Workspace, visit_id: str, out: Path) -> int:
    import uuid

    from inspector_app.core.services.errors import NotFound
    from inspector_app.documents.base import DocumentError
    from inspector_app.documents.minutes import render_minutes

    try:
        wanted = uuid.UUID(visit_id)
    except ValueError:
        print(_("Not a visit id: {id}").format(id=visit_id), file=sys.stderr)
        return 2
    try:
        with ws.session() as session:
            if out.suffix.lower() == ".docx":  # an editable copy for the văn thư
                from inspector_app.documents.minutes_docx import render_minutes_docx

                data, pages = render_minutes_docx(session, wanted, attachments=ws.attachments), None
            else:
                pdf = render_minutes(session, wanted, attachments=ws.attachments)
                data, pages = pdf.data, pdf.page_count
    except (NotFound, DocumentError) as exc:
        print(exc, file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")  # never leave a half-written file under the real name
    tmp.write_bytes(data)
    tmp.replace(out)
    if pages is None:
        print(_("Wrote {path}").format(path=out))
    else:
        print(_("Wrote {path} ({pages} pages)").format(path=out, pages=pages))
    return 0


def _login(ws: Workspace, args: argparse.Namespace) -> int:
    import getpass
    import os

    from inspector_app.sync.client import login
    from inspector_app.sync.transport import SyncError

    password = os.environ.get("INSPECTOR_PASSWORD") or getpass.getpass(_("Password: "))
    try:
        result = login(ws, args.server, args.user, password, args.ca_cert, allow_insecure=args.allow_insecure)
    except SyncError as exc:
        print(exc, file=sys.stderr)
        return 1
    teams = ", ".join(result.teams)
    print(
        _("Signed in as {user} ({role}); teams: {teams}").format(
            user=result.user, role=result.role, teams=teams
        )
    )
    return 0


def _sync(ws: Workspace, server: str | None) -> int:
    from inspector_app.sync.client import sync
    from inspector_app.sync.transport import SyncError

    try:
        report = sync(ws, server)
    except SyncError as exc:
        print(exc, file=sys.stderr)
        return 1
    for table, row_id, _code, reason in report.rejected:
        print(
            _("Refused: {table} {id}: {reason}").format(table=table, id=row_id[:8], reason=reason),
            file=sys.stderr,
        )
    print(
        _("Sync done: {pushed} sent, {pulled} received, {conflicts} conflicts, {rejected} refused").format(
            pushed=report.pushed,
            pulled=report.pulled,
            conflicts=report.conflicts,
            rejected=len(report.rejected),
        )
    )
    return 0 if not report.rejected else 1


def _export_register(ws: Workspace, issuer: str, year: int | None, out: Path) -> int:
    import datetime as dt

    from sqlmodel import select

    from inspector_app.core.models import Team, Unit
    from inspector_app.documents.register import RegisterInfo, render_register

    with ws.session() as session:
        team = session.exec(select(Team).where(Team.short_issuer == issuer)).first()
        province = session.get(Unit, team.province_id) if team and team.province_id else None
        info = RegisterInfo(
            issuer=issuer,
            year=year or dt.date.today().year,
            agency=team.name if team else issuer,
            parent_agency=team.issuer if team else "",
            place=province.proper_name if province else "",
            day=dt.date.today(),
        )
        data = render_register(session, info)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(_("Wrote {path}").format(path=out))
    return 0


def _config(ws: Workspace, idle: int | None, kept: int | None) -> int:
    """Read or change the screen-lock delay (in the database) and how many copies are kept."""
    from pydantic import ValidationError

    from inspector_app.core.db import session_scope
    from inspector_app.core.local_user import idle_minutes, set_idle_minutes
    from inspector_app.core.services.errors import ServiceError
    from inspector_app.ui.settings import Settings, load_settings, save_settings  # plain pydantic, no Qt

    try:
        if idle is not None:
            with session_scope(ws.engine) as session:
                set_idle_minutes(session, idle)
        settings = load_settings(ws.data_dir)
        if kept is not None:
            if not 1 <= kept <= 365:
                raise ValueError(_("Keep between 1 and 365 daily copies."))
            settings = Settings.model_validate(settings.model_dump() | {"backups_kept": kept})
            save_settings(ws.data_dir, settings)
    except (ServiceError, ValidationError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    with ws.session() as session:
        minutes = idle_minutes(session)
    print(
        _("Screen lock after {minutes} idle minutes (0: never); {kept} daily copies kept.").format(
            minutes=minutes, kept=settings.backups_kept
        )
    )
    return 0


def _shots(ws: Workspace, outdir: Path) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # screenshots need no screen
    from inspector_app.ui.shots import render_shots

    for path in render_shots(ws, outdir):
        print(path)
    return 0


def _visits_list(ws: Workspace, *, as_json: bool) -> int:
    from inspector_app.core.services.queries import list_visits

    with ws.session() as session:
        rows = list_visits(session, limit=None)
    if as_json:
        out = [
            {
                "id": str(r["id"]),
                "unit": r["unit"],
                "unit_code": r["unit_code"],
                "form": r["form"],
                "form_version": r["form_version"],
                "status": r["status"],
                "started_at": r["started_at"].isoformat(),
                "number": r["number"],
            }
            for r in rows
        ]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    statuses = {"draft": _("draft"), "completed": _("completed"), "signed": _("signed")}
    from inspector_app.core.services.schedule import VN_TZ

    for r in rows:
        when = r["started_at"].astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
        print(f"{when}  {statuses.get(r['status'], r['status']):<12} {r['unit']}  [{str(r['id'])[:8]}]")
    print(_("{n} visit(s).").format(n=len(rows)))
    return 0
