"""The checklist tab: the form's sections with progress, one row per item, conditions applied live,
failing answers highlighted and drafted as findings, photos, and the "still missing" panel.

Pages are built per section on first show, so opening an 80-item form builds one section's rows,
and a section is built a few rows per event-loop turn (``rows[code]`` finishes it at once). After
the opening, re-reads run off the GUI thread and only changed rows are shown again; a re-read asked
for while this tab's writes are pending waits for them, and one overtaken by a write is redone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from inspector_app.core.forms import Item
from inspector_app.core.services import findings
from inspector_app.core.services.attachments import blob_path
from inspector_app.core.services.errors import Missing
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _, ngettext
from inspector_app.ui.photos import Photo, downscale_image_file, downscale_qimage, thumbnail_image
from inspector_app.ui.tasks import Callback, Tasks
from inspector_app.ui.visit.checklist_data import (
    ChecklistData,
    PhotoRef,
    PhotoSaved,
    Saved,
    changed_items,
    error_text,
    read_checklist,
    save_answer,
    save_photo,
    section_progress,
)
from inspector_app.ui.visit.checklist_rows import ROW_QSS, ItemRow, SectionPages

MissingRole = Qt.ItemDataRole.UserRole + 1


class ChecklistView(QWidget):
    """The checklist of one visit."""

    changed = Signal()
    roll_call_requested = Signal()  # a "missing" roll-call line was clicked: the host may switch tabs

    def __init__(
        self, ws: Workspace, tasks: Tasks, visit_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws, self.tasks, self.visit_id = ws, tasks, visit_id
        self.data: ChecklistData | None = None
        self._writes = 0  # this tab's writes not committed yet
        self._epoch = 0  # bumped by every re-read and write: an older re-read's result is dropped
        self._reading = False
        self._reload_wanted = False
        self._read_only = False
        self._rows_read_only = False
        self._visible: set[str] = set()
        self.setStyleSheet(ROW_QSS)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.progress = QLabel()
        self.draft_button = QPushButton(_("Draft the findings"))
        self.draft_button.setToolTip(
            _("Draft findings and remedies from the failing answers and the roll call")
        )
        self.draft_button.clicked.connect(self.draft_findings)
        self.status = QLabel()
        self.status.setObjectName("rowStatus")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.progress)
        top.addWidget(self.draft_button)

        self.sections = QListWidget()
        self.sections.setMinimumWidth(220)
        self.sections.setWordWrap(True)
        self.sections.currentRowChanged.connect(self.show_section)
        self.stack = QStackedWidget()
        self.pages = SectionPages(self.stack, self._make_row)
        self.rows: dict[str, ItemRow] = self.pages.rows  # built so far; rows[code] builds its section
        self.missing_list = QListWidget()
        self.missing_list.setWordWrap(True)
        self.missing_list.itemActivated.connect(self._missing_activated)
        self.missing_list.itemClicked.connect(self._missing_activated)
        self.missing_box = QGroupBox(_("Still missing"))
        box_layout = QVBoxLayout(self.missing_box)
        box_layout.addWidget(self.missing_list)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sections)
        splitter.addWidget(self.stack)
        splitter.addWidget(self.missing_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 720, 260])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the visit again (after the roll call changed, a sync, or another tab's write)."""
        if self.data is None:  # opening: the form is needed at once
            self._loaded(self._epoch, read_checklist(self.ws, self.visit_id))
            return
        if self._writes:
            self._reload_wanted = True
            return
        self._reload_wanted, self._reading = False, True
        self._epoch += 1
        epoch, ws, visit_id = self._epoch, self.ws, self.visit_id
        self.tasks.run(
            lambda: read_checklist(ws, visit_id),
            on_done=lambda data: self._loaded(epoch, data),
            on_error=lambda exc: self._read_failed(epoch, exc),
        )

    def _loaded(self, epoch: int, data: ChecklistData) -> None:
        if epoch != self._epoch:
            return  # overtaken by a write: redone once it committed
        self._reading = False
        before = self.data
        first = before is None or before.spec.sha256 != data.spec.sha256
        self.data = data
        if first:
            self._build_sections()
        changed = set(self.rows) if before is None or first else changed_items(before, data)
        for code in changed:
            row = self.rows.get(code)
            if row is not None:
                self._show_row(row, code)
        self._refresh()
        self._apply_read_only()

    def _read_failed(self, epoch: int, exc: BaseException) -> None:
        if epoch == self._epoch:
            self._reading = False
            self.set_status(error_text(exc), error=True)

    def _build_sections(self) -> None:
        assert self.data is not None
        spec = self.data.spec
        self.title.setText(f"<b>{spec.title}</b>")
        self.pages.reset(spec.sections)
        self.sections.blockSignals(True)
        self.sections.clear()
        for section in spec.sections:
            self.sections.addItem(QListWidgetItem(section.title))
        self.sections.blockSignals(False)
        if spec.sections:
            self.pages.start(0, None)  # the first section whole, with the tab
            self.sections.setCurrentRow(0)

    def show_section(self, index: int) -> None:
        if not 0 <= index < len(self.pages.pages):
            return
        self.pages.start(index)
        self.stack.setCurrentIndex(index)
        if self.sections.currentRow() != index:
            self.sections.setCurrentRow(index)

    def _make_row(self, item: Item, parent: QWidget) -> ItemRow:
        """A new row with the current answer, note, photos, read-only flag and highlights."""
        row = ItemRow(item, parent)
        row.answer_edited.connect(self._answer_edited)
        row.note_edited.connect(self._note_edited)
        row.photos_offered.connect(self.add_photos)
        self._show_row(row, item.code)
        row.set_read_only(self.is_read_only())
        row.set_missing(any(m.kind == "item" and m.code == item.code for m in self.data.missing))  # type: ignore[union-attr]
        row.setVisible(item.code in self._visible)
        return row

    def _show_row(self, row: ItemRow, code: str) -> None:
        assert self.data is not None
        row.set_value(self.data.answers.get(code))
        row.set_note(self.data.notes.get(code))
        if row.photos is not None:
            for ref in self.data.photos.get(code, []):
                self._add_thumb(row, ref)

    def _add_thumb(self, row: ItemRow, ref: PhotoRef) -> None:
        assert row.photos is not None
        if row.photos.has(ref.sha256):
            return
        row.photos.add_thumb(ref.sha256, ref.name)
        path = blob_path(self.ws.attachments, ref.sha256)
        photos = row.photos
        self.tasks.run(
            lambda: thumbnail_image(path), on_done=lambda image: photos.set_thumb_image(ref.sha256, image)
        )

    # --- state after every change ---------------------------------------------------------------

    def _refresh(self) -> None:
        """Visibility, section progress, overall progress and the missing panel."""
        assert self.data is not None
        spec, answers = self.data.spec, self.data.answers
        self._visible = {i.code for i in spec.visible_items(answers)}
        for code, row in self.rows.items():
            row.setVisible(code in self._visible)
        self.pages.fit()
        done_all = total_all = 0
        for index, section in enumerate(spec.sections):
            done, total = section_progress(section, self._visible, answers)
            entry = self.sections.item(index)
            mark = " ✓" if total and done == total else ""
            entry.setText(f"{section.code}. {section.title}\n{done}/{total}{mark}")
            required = [i for i in section.items if i.code in self._visible and i.required and not i.auto]
            done_all += sum(1 for i in required if answers.get(i.code) not in (None, "", []))
            total_all += len(required)
        self.progress.setText(
            _("Required items answered: {done}/{total}").format(done=done_all, total=total_all)
        )
        self._show_missing(self.data.missing)

    def _show_missing(self, missing: list[Missing]) -> None:
        self.data.missing = list(missing)  # type: ignore[union-attr]
        self.missing_list.clear()
        for entry in missing:
            item = QListWidgetItem(str(entry))
            item.setData(MissingRole, entry)
            if entry.kind != "item":
                item.setToolTip(_("Mark this official in the roll call"))
            self.missing_list.addItem(item)
        self.missing_box.setTitle(_("Still missing ({n})").format(n=len(missing)))
        self._mark_missing()

    def _mark_missing(self) -> None:
        codes = {m.code for m in (self.data.missing if self.data else []) if m.kind == "item"}
        for code, row in self.rows.items():
            row.set_missing(code in codes)

    def _missing_activated(self, entry: QListWidgetItem) -> None:
        missing: Missing = entry.data(MissingRole)
        if missing.kind == "item":
            self.show_item(missing.code)
        else:
            self.roll_call_requested.emit()

    def show_item(self, code: str) -> ItemRow | None:
        """Switch to the item's section, scroll to it and put the cursor in its editor."""
        index = self.pages.section_of.get(code)
        if index is None:
            return None
        self.show_section(index)
        row = self.rows[code]
        self.pages.pages[index].ensureWidgetVisible(row, 0, 40)
        row.focus_editor()
        return row

    # --- writes -------------------------------------------------------------------------------

    def _answer_edited(self, item: Item, value: Any) -> None:
        self._save(item, value, None)

    def _note_edited(self, item: Item, note: str) -> None:
        assert self.data is not None
        self._save(item, self.data.answers.get(item.code), note)

    def _save(self, item: Item, value: Any, note: str | None) -> None:
        assert self.data is not None
        row = self.rows.get(item.code)
        if self.is_read_only():
            self._revert(item)
            return
        if row is not None:
            row.set_status(_("Saving…"))
        ws, visit_id = self.ws, self.visit_id
        self._write(
            lambda session: save_answer(session, ws, visit_id, item, value, note),
            on_done=lambda saved: self._saved(item, saved),
            on_error=lambda exc: self._failed(item, exc),
        )

    def _saved(self, item: Item, saved: Saved) -> None:
        assert self.data is not None
        before = self.data.answers.get(item.code)
        if saved.value is None:
            self.data.answers.pop(item.code, None)
        else:
            self.data.answers[item.code] = saved.value
        self.data.notes[item.code] = saved.note or ""
        self.data.missing = saved.missing
        row = self.rows.get(item.code)
        if row is not None:
            row.set_value(saved.value)
            row.set_note(saved.note)
            row.set_status(_("Saved"))
        self._refresh()
        self.changed.emit()
        if item.fails(saved.value) or item.fails(before):
            self.draft_findings()  # a new shortcoming is drafted; a fixed one is withdrawn

    def _failed(self, item: Item, exc: BaseException) -> None:
        message = error_text(exc)
        self._revert(item)
        row = self.rows.get(item.code)
        if row is not None:
            row.set_status(message, error=True)
        self.set_status(message, error=True)

    def _revert(self, item: Item) -> None:
        row = self.rows.get(item.code)
        if row is not None and self.data is not None:
            row.set_value(self.data.answers.get(item.code))
            row.set_note(self.data.notes.get(item.code))

    def _write(self, job: Callable[[Session], Any], on_done: Callback, on_error: Callback) -> None:
        """``Tasks.write``, counted: a re-read in flight is overtaken (redone after the writes)."""
        self._writes += 1
        if self._reading:
            self._epoch += 1
            self._reading, self._reload_wanted = False, True

        def settle(callback: Callback, outcome: Any) -> None:
            self._writes -= 1
            callback(outcome)
            if not self._writes and self._reload_wanted:
                self.reload()

        self.tasks.write(job, on_done=lambda r: settle(on_done, r), on_error=lambda e: settle(on_error, e))

    def draft_findings(self) -> None:
        if self.is_read_only():
            return
        ws, visit_id = self.ws, self.visit_id

        def done(count: int) -> None:
            self.set_status(ngettext("{n} finding drafted.", "{n} findings drafted.", count).format(n=count))
            self.changed.emit()

        self._write(
            lambda session: len(findings.draft_findings(session, ws.editor, visit_id=visit_id)),
            on_done=done,
            on_error=lambda exc: self.set_status(error_text(exc), error=True),
        )

    def add_photos(self, item: Item, files: list[Path], image: QImage | None) -> None:
        """Downscale in the pool (decoding a 12-MP photo takes a while), then store on the writer."""
        if self.is_read_only():
            return
        row = self.rows.get(item.code)
        if row is not None:
            row.set_status(_("Adding photo…"))
        sources: list[tuple[Any, str | None]] = [(f, f.name) for f in files]
        if image is not None:
            sources.append((image.copy(), None))
        for source, name in sources:
            job = (
                (lambda p=source: downscale_image_file(p))
                if isinstance(source, Path)
                else (lambda i=source: downscale_qimage(i))
            )
            self.tasks.run(
                job,
                on_done=lambda photo, n=name: self._store_photo(item, photo, n),  # type: ignore[misc]
                on_error=lambda exc: self._failed(item, exc),
            )

    def _store_photo(self, item: Item, photo: Photo, name: str | None) -> None:
        ws, visit_id = self.ws, self.visit_id
        self._write(
            lambda session: save_photo(session, ws, visit_id, item, photo, name),
            on_done=lambda saved: self._photo_saved(item, saved),
            on_error=lambda exc: self._failed(item, exc),
        )

    def _photo_saved(self, item: Item, saved: PhotoSaved) -> None:
        assert self.data is not None
        refs = self.data.photos.setdefault(item.code, [])
        if all(r.sha256 != saved.ref.sha256 for r in refs):
            refs.append(saved.ref)
        if item.type == "photo":
            self.data.answers[item.code] = saved.value
        self.data.missing = saved.missing
        row = self.rows.get(item.code)
        if row is not None:
            self._add_thumb(row, saved.ref)
            row.set_status(_("Photo saved"))
        self._refresh()
        self.changed.emit()

    # --- read-only ----------------------------------------------------------------------------

    def is_read_only(self) -> bool:
        return self._read_only or (self.data is not None and self.data.locked)

    def set_read_only(self, flag: bool) -> None:
        self._read_only = flag
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        flag = self.is_read_only()
        if flag != self._rows_read_only:  # rows built later are told as they are built
            self._rows_read_only = flag
            for row in self.rows.values():
                row.set_read_only(flag)
        self.draft_button.setEnabled(not flag)
        if self.data is not None and self.data.locked:
            self.set_status(_("The visit is signed and locked: it can only be read."))

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("error", error)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
