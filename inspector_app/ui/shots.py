"""Screenshots of every screen, rendered offscreen at 1280×800 (``inspector-app shots OUTDIR``).

Used to check by eye what tests cannot: Vietnamese diacritics intact, nothing clipped or
upper-cased, columns readable — in both themes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QDir
from PySide6.QtWidgets import QApplication, QWidget

from inspector_app.core.workspace import Workspace
from inspector_app.ui.app import application
from inspector_app.ui.damaged_dialog import damaged_box
from inspector_app.ui.demo_dialog import demo_question
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.settings import Settings
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.theme import Theme, apply_theme

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
            window.home.reload()
            for theme in (Theme.LIGHT, Theme.DARK):
                apply_theme(app, theme, Path(icons))
                window.home.search.clear()
                window.home.apply_filter()
                written.append(_save(window, out / f"home-{theme.value}.png"))
                window.home.search.setText("thach khe")  # no diacritics typed: finds "Thạch Khê"
                window.home.apply_filter()
                written.append(_save(window, out / f"home-search-{theme.value}.png"))
                window.home.search.clear()
                window.home.apply_filter()
                box, _load = demo_question(window)
                box.show()
                written.append(_save(box, out / f"demo-offer-{theme.value}.png"))
                box.close()
                damaged = damaged_box(window, workspace.db_path, "database disk image is malformed")
                damaged.show()
                written.append(_save(damaged, out / f"damaged-{theme.value}.png"))
                damaged.close()
        finally:
            window.hide()
            window.deleteLater()
            app.setStyleSheet(before[0])
            app.setProperty("inspector_theme", before[1])
            QDir.setSearchPaths("icon", before[2])
    return written
