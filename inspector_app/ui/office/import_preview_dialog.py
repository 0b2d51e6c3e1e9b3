"""What an Excel import would do to a unit's officials, before anything is written: who is added, who
is updated (field by field, old → new), who is left as they are, which rows could not be read, and
who is registered but missing from the file (left alone). "Apply" writes it in one transaction."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from inspector_app.core.registry.import_plan import ImportPreview, ImportResult, apply_import
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.office.registry_labels import FIELD_LABELS, KIND_LABELS, label, shown_date, shown_value
from inspector_app.ui.office.saving_dialog import SavingDialog
from inspector_app.ui.tasks import Tasks

GROUPS = ("add", "update", "unchanged", "problems", "not_in_file")


def result_text(result: ImportResult) -> str:
    return _("Written: {added} added, {updated} updated, {same} unchanged.").format(
        added=result.added, updated=result.updated, same=result.unchanged
    )


class ImportPreviewDialog(SavingDialog):
    """``saved`` carries the :class:`ImportResult` once the import committed."""

    def __init__(
        self, ws: Workspace, tasks: Tasks, preview: ImportPreview, parent: QWidget | None = None
    ) -> None:
        super().__init__(ws, tasks, _("Write to the registry"), parent)
        self.preview = preview
        src = preview.source
        self.setWindowTitle(_("Import officials: {file}").format(file=src.path.name))
        first, last = src.header_rows
        rows = f"{first}" if first == last else f"{first}–{last}"
        self.source_label = QLabel(
            _("File {file}, sheet {sheet}, header on row {rows} → {unit}.").format(
                file=src.path.name, sheet=src.sheet, rows=rows, unit=preview.unit_name
            )
        )
        self.source_label.setWordWrap(True)
        self.counts = {
            "add": len(preview.to_add),
            "update": len(preview.to_update),
            "unchanged": len(preview.unchanged),
            "problems": len(preview.problems),
            "not_in_file": len(preview.not_in_file),
        }
        self.summary = QLabel(
            _(
                "To add: {added} · to update: {updated} · unchanged: {same} · rows with problems: {problems}"
            ).format(
                added=self.counts["add"],
                updated=self.counts["update"],
                same=self.counts["unchanged"],
                problems=self.counts["problems"],
            )
        )
        self.summary.setStyleSheet("font-weight: bold;")
        self.tree = QTreeWidget()
        self.tree.setObjectName("importPreview")
        self.tree.setHeaderLabels([_("Row in file"), _("Official"), _("What changes")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(1, 320)
        self.groups: dict[str, QTreeWidgetItem] = {}
        self._fill()
        self.nothing = QLabel(_("The file brings nothing new: there is nothing to write."))
        self.nothing.setVisible(not preview.has_changes)
        self.ok_button.setEnabled(preview.has_changes)
        self.ok_button.setToolTip(_("Write the additions and updates to the registry"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.nothing)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(900, 620)

    def _group(self, key: str, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([title.format(n=self.counts[key]), "", ""])
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        self.tree.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)  # only once in the tree
        self.groups[key] = item
        return item

    def _fill(self) -> None:
        p = self.preview
        group = self._group("add", _("To add ({n})"))
        for o in p.to_add:
            birth = shown_date(o.birth.date) if o.birth else ""
            details = " · ".join(x for x in (o.department or "", label(KIND_LABELS, o.kind), birth) if x)
            group.addChild(QTreeWidgetItem([str(o.row), f"{o.full_name} — {o.position}", details]))
        group = self._group("update", _("To update ({n})"))
        for u in p.to_update:
            changes = "; ".join(
                f"{_(FIELD_LABELS.get(c.field, c.field))}: {shown_value(c.field, c.old)} → "
                f"{shown_value(c.field, c.new)}"
                for c in u.changes
            )
            child = QTreeWidgetItem(
                [str(u.incoming.row), f"{u.incoming.full_name} — {u.incoming.position}", changes]
            )
            child.setToolTip(2, changes)
            group.addChild(child)
        group = self._group("unchanged", _("Unchanged ({n})"))
        for same in p.unchanged:
            o = same.incoming
            group.addChild(
                QTreeWidgetItem([str(o.row), f"{o.full_name} — {o.position}", _("already as in the file")])
            )
        group = self._group("problems", _("Rows with problems ({n})"))
        for problem in p.problems:
            what = _("row left out") if problem.skipped else _("read with an assumption")
            child = QTreeWidgetItem([problem.cell, problem.message, what])
            child.setToolTip(1, str(problem))
            group.addChild(child)
        group = self._group("not_in_file", _("Registered but not in the file — left as they are ({n})"))
        for name in p.not_in_file:
            group.addChild(QTreeWidgetItem(["", name, ""]))
        for key, item in self.groups.items():
            item.setExpanded(key in ("add", "update", "problems") and item.childCount() > 0)
            if not item.childCount():
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)

    def save(self) -> None:
        editor, preview = self.ws.editor, self.preview
        self.write(lambda s: apply_import(s, editor, preview))
