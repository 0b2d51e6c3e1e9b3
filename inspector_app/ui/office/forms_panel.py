"""The checklist forms loaded (code, version, title, when) and loading a new version from a YAML file.
A file with mistakes is never loaded: every problem is listed with its line number, as the forms
loader reports it, so the clerk can fix the file and try again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.forms import FormIssue
from inspector_app.core.models import FormVersion
from inspector_app.core.registry.forms_load import (
    FormLoaded,
    FormRead,
    list_form_versions,
    read_form_file,
    register_form_file,
)
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _, ngettext
from inspector_app.ui.office.registry_labels import ERROR_STYLE
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visit.checklist_data import error_text

COLUMNS = (N_("Form code"), N_("Version"), N_("Title"), N_("Loaded at"))


class FormErrorsDialog(QDialog):
    """Every problem of a form file, one per line: "FILE:LINE: reason"."""

    def __init__(self, path: Path, issues: list[FormIssue], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("The form cannot be loaded"))
        self.intro = intro = QLabel(
            ngettext(
                "{file} has {count} problem; nothing was loaded. Fix it and load the file again.",
                "{file} has {count} problems; nothing was loaded. Fix them and load the file again.",
                len(issues),
            ).format(file=path.name, count=len(issues))
        )
        intro.setWordWrap(True)
        self.issues = QListWidget()
        self.issues.setObjectName("formIssues")
        for issue in issues:
            where = _("line {line}").format(line=issue.line) if issue.line else path.name
            self.issues.addItem(f"{where}: {issue.message}")
            self.issues.item(self.issues.count() - 1).setToolTip(str(issue))
        self.issues.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.issues, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def lines(self) -> list[str]:
        return [self.issues.item(n).text() for n in range(self.issues.count())]


class FormsPanel(QWidget):
    def __init__(self, ws: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.rows: list[FormVersion] = []
        self.dialog: FormErrorsDialog | None = None
        intro = QLabel(
            _(
                "The checklist forms the teams fill in. A changed form is loaded as a new version; "
                "inspections already made keep the version they were made with."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("formsTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.load_button = QPushButton(_("Load a new version from a YAML file…"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.load_button.clicked.connect(self.choose_file)

    def reload(self) -> None:
        with self.ws.session() as session:
            self.rows = list_form_versions(session)
        self.table.setRowCount(len(self.rows))
        for n, form in enumerate(self.rows):
            loaded = form.loaded_at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
            for col, value in enumerate((form.code, str(form.version), form.title, loaded)):
                item = QTableWidgetItem(value)
                if col in (1, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(n, col, item)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Load a checklist form"),
            str(Path.home()),
            _("Checklist forms (*.yaml *.yml);;All files (*)"),
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read and check the file in the background; register it only when it has no problem."""
        self.load_button.setEnabled(False)
        self.status.hide()
        self.tasks.run(lambda: read_form_file(path), on_done=self._read, on_error=self._failed)

    def _read(self, read: FormRead) -> None:
        spec = read.spec
        if spec is None:
            self.load_button.setEnabled(True)
            self.dialog = FormErrorsDialog(read.path, list(read.issues), self)
            self.dialog.open()
            return
        editor = self.ws.editor
        self.tasks.write(
            lambda s: register_form_file(s, editor, spec), on_done=self._loaded, on_error=self._failed
        )

    def _loaded(self, loaded: FormLoaded) -> None:
        self.load_button.setEnabled(True)
        self.reload()
        if loaded.new:
            text = _("Loaded: {title}, code {code}, version {version}.")
        else:
            text = _("This file is already loaded: {title}, code {code}, version {version}.")
        self.status.setStyleSheet("")
        self.status.setText(text.format(title=loaded.title, code=loaded.code, version=loaded.version))
        self.status.show()
        for n, form in enumerate(self.rows):
            if form.id == loaded.form_id:
                self.table.selectRow(n)

    def _failed(self, exc: BaseException) -> None:
        self.load_button.setEnabled(True)
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))
        self.status.show()
