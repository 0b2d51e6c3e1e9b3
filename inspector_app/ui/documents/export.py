"""Export the minutes of a visit to a file the user picks: PDF (the signed file when there is one)
or Word (.docx, editable). Rendering and writing run in ``tasks.run``, off the GUI thread."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.documents.sources import minutes_docx, minutes_pdf
from inspector_app.ui.tasks import Tasks

# (parent, suggested path) → chosen path or None; tests pass their own instead of the file dialog.
ChooseFile = Callable[[QWidget | None, Path], Path | None]


def choose_export_file(parent: QWidget | None, suggested: Path) -> Path | None:
    filters = ";;".join((_("PDF document (*.pdf)"), _("Word document (*.docx)")))
    path, chosen = QFileDialog.getSaveFileName(parent, _("Export the minutes"), str(suggested), filters)
    if not path:
        return None
    out = Path(path)
    if out.suffix.lower() not in (".pdf", ".docx"):
        out = out.with_suffix(".docx" if "docx" in chosen else ".pdf")
    return out


def write_minutes(ws: Workspace, visit_id: uuid.UUID, out: Path) -> Path:
    """Render and write (through a temporary name: never a half-written file under the real one)."""
    data = minutes_docx(ws, visit_id) if out.suffix.lower() == ".docx" else minutes_pdf(ws, visit_id).data
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out


def export_minutes(
    ws: Workspace,
    tasks: Tasks,
    visit_id: uuid.UUID,
    parent: QWidget | None,
    *,
    suggested_name: str,
    choose: ChooseFile = choose_export_file,
    on_done: Callable[[Path], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> bool:
    """Ask where, then render and write in the background; False when the user cancelled."""
    out = choose(parent, Path.home() / suggested_name)
    if out is None:
        return False
    tasks.run(lambda: write_minutes(ws, visit_id, out), on_done=on_done, on_error=on_error)
    return True
