"""Screenshots of every screen, rendered offscreen at 1280×800 (``inspector-app shots OUTDIR``).

Used to check by eye what tests cannot: Vietnamese diacritics intact, nothing clipped or
upper-cased, columns readable — in both themes.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from PySide6.QtCore import QDir
from PySide6.QtWidgets import QApplication, QWidget
from sqlmodel import col, select

from inspector_app.core.models import Visit, VisitStatus
from inspector_app.core.services.visits import missing_for_completion
from inspector_app.core.workspace import Workspace
from inspector_app.ui.app import application
from inspector_app.ui.damaged_dialog import damaged_box
from inspector_app.ui.demo_dialog import demo_question
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.office.shots import no_hover, office_shots
from inspector_app.ui.settings import Settings
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.theme import Theme, apply_theme
from inspector_app.ui.visit.start_visit_dialog import StartVisitDialog
from inspector_app.ui.visit.visit_window import (
    CHECKLIST_TAB,
    FINDINGS_TAB,
    ROLL_CALL_TAB,
    SIGNATURES_TAB,
    VisitWindow,
)

SIZE = (1280, 800)


def _save(widget: QWidget, path: Path) -> Path:
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def render_shots(workspace: Workspace, outdir: Path | str) -> list[Path]:
    """Render each screen into ``outdir`` as PNG; returns the files written. Settings are not saved
    and the theme the app had is put back."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    before = (app.styleSheet(), app.property("inspector_theme"), QDir.searchPaths("icon"))
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="inspector-shots-") as icons:
        tasks = Tasks(workspace.engine, synchronous=True)
        window = MainWindow(
            data_dir=workspace.data_dir, session_factory=workspace.session, settings=Settings(), tasks=tasks
        )
        try:
            window.resize(*SIZE)
            window.show()
            home = window.home
            if window.office is not None:
                no_hover(window.office)
            assert home is not None  # given a session factory, the window attaches its home at once
            home.reload()
            for theme in (Theme.LIGHT, Theme.DARK):
                apply_theme(app, theme, Path(icons))
                home.search.clear()
                home.apply_filter()
                written.append(_save(window, out / f"home-{theme.value}.png"))
                home.search.setText("thach khe")  # no diacritics typed: finds "Thạch Khê"
                home.apply_filter()
                written.append(_save(window, out / f"home-search-{theme.value}.png"))
                home.search.clear()
                home.apply_filter()
                box, _load = demo_question(window)
                box.show()
                written.append(_save(box, out / f"demo-offer-{theme.value}.png"))
                box.close()
                box.deleteLater()
                damaged = damaged_box(window, workspace.db_path, "database disk image is malformed")
                damaged.show()
                written.append(_save(damaged, out / f"damaged-{theme.value}.png"))
                damaged.close()
                damaged.deleteLater()
                written += _visit_shots(workspace, tasks, window, out, theme)
                written += office_shots(workspace, tasks, out, theme.value, _save)
        finally:
            window.hide()
            window.deleteLater()
            app.setStyleSheet(before[0])
            app.setProperty("inspector_theme", before[1])
            QDir.setSearchPaths("icon", before[2])
    return written


def _first_visit(workspace: Workspace, status: str) -> uuid.UUID | None:
    with workspace.session() as session:
        return session.exec(
            select(Visit.id)
            .where(Visit.status == status, Visit.deleted == False)  # noqa: E712
            .order_by(col(Visit.started_at))
        ).first()


def _visit_shots(workspace: Workspace, tasks: Tasks, parent: QWidget, out: Path, theme: Theme) -> list[Path]:
    """Start-visit dialog, a draft visit's roll call and what it still misses, a signed visit.
    Nothing is written: the shots only read."""
    written: list[Path] = []
    dialog = StartVisitDialog(workspace, tasks, parent)
    dialog.show()
    dialog.search.setText("thach khe")
    written.append(_save(dialog, out / f"start-visit-{theme.value}.png"))
    dialog.close()
    dialog.deleteLater()
    written += _tab_shots(workspace, tasks, out, theme)
    written += _guide_shots(workspace, tasks, parent, out, theme)
    for status, name in ((VisitStatus.DRAFT, "roll-call"), (VisitStatus.SIGNED, "visit-signed")):
        visit_id = _first_visit(workspace, status)
        if visit_id is None:
            continue
        visit = VisitWindow(workspace, tasks, visit_id)
        visit.resize(*SIZE)
        visit.show()
        visit.tabs.setCurrentIndex(ROLL_CALL_TAB)
        view = visit.view(ROLL_CALL_TAB)
        view.table.setFocus()
        written.append(_save(visit, out / f"{name}-{theme.value}.png"))
        if status == VisitStatus.DRAFT:
            with workspace.session() as session:
                missing = missing_for_completion(session, visit_id)
            if missing:
                visit.show_missing(missing)
                written.append(_save(visit, out / f"visit-missing-{theme.value}.png"))
        visit.close()
        visit.deleteLater()
    return written


def _tab_shots(workspace: Workspace, tasks: Tasks, out: Path, theme: Theme) -> list[Path]:
    """The checklist and findings of a draft visit, the signatures of a completed one."""
    written: list[Path] = []
    plan = (
        (VisitStatus.DRAFT, ((CHECKLIST_TAB, "checklist"), (FINDINGS_TAB, "findings"))),
        (VisitStatus.COMPLETED, ((SIGNATURES_TAB, "signatures"),)),
    )
    for status, tabs in plan:
        visit_id = _first_visit(workspace, status)
        if visit_id is None:
            continue
        visit = VisitWindow(workspace, tasks, visit_id)
        visit.resize(*SIZE)
        visit.show()
        for index, name in tabs:
            visit.tabs.setCurrentIndex(index)
            written.append(_save(visit, out / f"{name}-{theme.value}.png"))
        visit.close()
        visit.deleteLater()
    return written


def _guide_shots(workspace: Workspace, tasks: Tasks, parent: QWidget, out: Path, theme: Theme) -> list[Path]:
    """The pages of the first-run guide one can reach without typing, and the crash dialog."""
    from inspector_app.ui.crash import crash_box
    from inspector_app.ui.first_run import FirstRunWizard

    written: list[Path] = []
    wizard = FirstRunWizard(workspace, tasks, parent)
    wizard.resize(760, 560)
    wizard.show()
    for n in range(1, 3):  # language, then who uses this laptop (its fields keep "Next" disabled)
        written.append(_save(wizard, out / f"first-run-{n}-{theme.value}.png"))
        wizard.next()
    wizard.close()
    wizard.deleteLater()
    box = crash_box(parent, workspace.data_dir / "logs" / "crash-example.txt", "ValueError: ví dụ")
    box.show()
    written.append(_save(box, out / f"crash-{theme.value}.png"))
    box.close()
    box.deleteLater()
    return written
