"""One visit in its own window: a header (unit, arrival time, form, status), the four tabs, the
"Hoàn thành" action that lists exactly what is missing, and read-only mode once signed."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import select

from inspector_app.core.models import Addendum, FormVersion, Unit, VisitStatus
from inspector_app.core.services.errors import Missing, VisitIncomplete
from inspector_app.core.services.locking import is_locked
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.services.visits import complete_visit, get_visit, missing_for_completion
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import N_, _, ngettext
from inspector_app.ui.documents.actions import DocumentActions
from inspector_app.ui.tasks import Tasks
from inspector_app.ui.visits_model import status_label


class TabView(Protocol):
    """What the window needs of a tab (a QWidget with a ``changed`` signal)."""

    def reload(self) -> None: ...
    def set_read_only(self, flag: bool) -> None: ...


@dataclass(frozen=True)
class Tab:
    title: str  # N_() message id
    module: str
    cls: str


# One line per tab. A tab whose module is not written yet shows a placeholder.
TABS = (
    Tab(N_("Roll call"), "inspector_app.ui.visit.roll_call_view", "RollCallView"),
    Tab(N_("Checklist"), "inspector_app.ui.visit.checklist_view", "ChecklistView"),
    Tab(N_("Conclusions and recommendations"), "inspector_app.ui.visit.findings_view", "FindingsView"),
    Tab(N_("Signatures"), "inspector_app.ui.visit.signatures_view", "SignaturesView"),
)
ROLL_CALL_TAB, CHECKLIST_TAB, FINDINGS_TAB, SIGNATURES_TAB = range(4)
MissingRole = Qt.ItemDataRole.UserRole + 1


class PendingView(QWidget):
    """Stands in for a tab whose module is not there yet; follows the tab contract."""

    changed = Signal()

    def __init__(
        self, ws: Workspace, tasks: Tasks, visit_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        label = QLabel(_("This part is not available in this version yet."))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)

    def reload(self) -> None:
        pass

    def set_read_only(self, flag: bool) -> None:
        pass


def view_factory(tab: Tab) -> Callable[..., QWidget]:
    try:
        module = importlib.import_module(tab.module)
    except ModuleNotFoundError as exc:
        if exc.name != tab.module:  # the tab exists but something it imports is missing: a real bug
            raise
        return PendingView
    return getattr(module, tab.cls)  # type: ignore[no-any-return]


class VisitWindow(QMainWindow):
    """A visit: header, tabs and the completion / addendum actions."""

    changed = Signal(object)  # visit id, after a committed write that changes what the visits list shows

    def __init__(
        self, ws: Workspace, tasks: Tasks, visit_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = ws
        self._tasks = tasks
        self.visit_id = visit_id
        self.status = ""
        self.number: str | None = None
        self.read_only = False
        self._header_loaded = False
        self.setObjectName("VisitWindow")

        self.unit_label = QLabel()
        self.unit_label.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.info_label = QLabel()
        self.status_label = QLabel()
        self.status_label.setStyleSheet("font-size: 15px; font-weight: 600; padding: 2px 10px;")
        self.locked_label = QLabel(_("Signed minutes are read only; write corrections as an addendum."))
        self.locked_label.setStyleSheet("color: #8d6e00;")
        self.locked_label.hide()
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.unit_label)
        titles.addWidget(self.info_label)
        header.addLayout(titles, 1)
        state = QVBoxLayout()
        state.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignRight)
        state.addWidget(self.locked_label, 0, Qt.AlignmentFlag.AlignRight)
        header.addLayout(state)

        self.missing_title = QLabel()
        self.missing_title.setStyleSheet("color: #c62828; font-weight: 600;")
        self.missing_list = QListWidget()
        self.missing_list.setMaximumHeight(140)
        self.missing_panel = QFrame()
        hide = QPushButton(_("Close"))
        hide.clicked.connect(self.missing_panel.hide)
        self.missing_panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel = QVBoxLayout(self.missing_panel)
        row = QHBoxLayout()
        row.addWidget(self.missing_title, 1)
        row.addWidget(hide)
        panel.addLayout(row)
        panel.addWidget(self.missing_list)
        self.missing_panel.hide()

        self.tabs = QTabWidget()
        self.views: list[QWidget] = []
        self._stale: set[int] = set()
        for tab in TABS:
            view = view_factory(tab)(ws, tasks, visit_id, self)
            view.changed.connect(lambda v=view: self._view_changed(v))  # type: ignore[attr-defined]
            if hasattr(view, "roll_call_requested"):  # the checklist's own "missing" list
                view.roll_call_requested.connect(lambda: self.tabs.setCurrentIndex(ROLL_CALL_TAB))
            self.views.append(view)
            self.tabs.addTab(view, _(tab.title))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(header)
        layout.addWidget(self.missing_panel)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        toolbar = self.addToolBar(_("Visit"))
        toolbar.setObjectName("VisitToolBar")
        toolbar.setMovable(False)
        self.complete_action = QAction(_("Complete"), self)
        self.complete_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.complete_action.setToolTip(_("Check what is missing and mark the visit completed (Ctrl+Enter)"))
        self.complete_action.triggered.connect(self.complete)
        self.addendum_action = QAction(_("Addendum…"), self)
        self.addendum_action.setToolTip(_("A correction after signing, kept beside the signed minutes"))
        self.addendum_action.triggered.connect(self.add_addendum)
        self.reload_action = QAction(_("Reload"), self)
        self.reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.reload_action.triggered.connect(self.reload)
        for action in (self.complete_action, self.addendum_action, self.reload_action):
            toolbar.addAction(action)
        self.documents = DocumentActions(ws, tasks, visit_id, self, toolbar)

        self.missing_list.itemActivated.connect(self._go_to_missing)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.reload()
        self.resize(1280, 800)

    # --- reading -------------------------------------------------------------------------------

    def view(self, tab: int) -> Any:
        return self.views[tab]

    def reload(self) -> None:
        for view in self.views:
            view.reload()  # type: ignore[attr-defined]
        self._stale.clear()
        self.reload_header()

    def reload_header(self) -> None:
        with self._ws.session() as session:
            visit = get_visit(session, self.visit_id)
            unit = session.get(Unit, visit.unit_id)
            form = session.get(FormVersion, visit.form_id)
            locked = is_locked(session, visit.id)
            addenda = len(
                session.exec(
                    select(Addendum.id).where(Addendum.visit_id == visit.id, Addendum.deleted == False)  # noqa: E712
                ).all()
            )
        unit_name = unit.name if unit else "?"
        arrived = (visit.arrived_at or visit.started_at).astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
        parts = [
            _("Arrived {time} (Vietnam time)").format(time=arrived),
            _("Form: {title} (v{version})").format(title=form.title, version=form.version) if form else "",
            _("Minutes no. {number}").format(number=visit.number) if visit.number else "",
            ngettext("{n} addendum", "{n} addenda", addenda).format(n=addenda) if addenda else "",
        ]
        self.unit_label.setText(unit_name)
        self.info_label.setText("  ·  ".join(p for p in parts if p))
        self.status = VisitStatus.SIGNED if locked else visit.status
        self.number = visit.number
        self.status_label.setText(status_label(self.status))
        self.setWindowTitle(f"{unit_name} — {_('Civil-service inspection')}")
        signed = self.status == VisitStatus.SIGNED
        if signed != self.read_only or not self._header_loaded:  # tabs are told only when it changes
            self._header_loaded = True
            self.set_read_only(signed)
        self.complete_action.setEnabled(self.status == VisitStatus.DRAFT and not self.read_only)
        self.documents.set_status(self.status, unit_name)

    def set_read_only(self, flag: bool) -> None:
        self.read_only = flag
        for view in self.views:
            view.set_read_only(flag)  # type: ignore[attr-defined]
        self.addendum_action.setEnabled(flag)
        self.locked_label.setVisible(flag)
        self.complete_action.setEnabled(self.status == VisitStatus.DRAFT and not flag)

    # --- completing ----------------------------------------------------------------------------

    def complete(self) -> None:
        """List what is missing, or mark the visit completed when nothing is."""
        if self.read_only:
            return
        with self._ws.session() as session:
            missing = missing_for_completion(session, self.visit_id)
        if missing:
            self.show_missing(missing)
            return
        editor, visit_id = self._ws.editor, self.visit_id
        self._tasks.write(
            lambda session: complete_visit(session, editor, visit_id=visit_id).status,
            on_done=self._completed,
            on_error=self._not_completed,
        )

    def show_missing(self, missing: list[Missing]) -> None:
        self.missing_title.setText(
            ngettext(
                "The visit cannot be completed yet: {n} thing is missing",
                "The visit cannot be completed yet: {n} things are missing",
                len(missing),
            ).format(n=len(missing))
        )
        self.missing_list.clear()
        for entry in missing:
            item = QListWidgetItem(str(entry))
            item.setData(MissingRole, entry)
            self.missing_list.addItem(item)
        self.missing_panel.show()

    def missing_texts(self) -> list[str]:
        if self.missing_panel.isHidden():
            return []
        return [self.missing_list.item(n).text() for n in range(self.missing_list.count())]

    def _completed(self, _status: object) -> None:
        self.missing_panel.hide()
        self.reload()
        self.statusBar().showMessage(_("The visit is completed."), 8000)
        self.changed.emit(self.visit_id)

    def _not_completed(self, exc: BaseException) -> None:
        if isinstance(exc, VisitIncomplete):
            self.show_missing(exc.missing)
        else:
            self.statusBar().showMessage(str(exc), 15000)

    def _go_to_missing(self, item: QListWidgetItem) -> None:
        entry: Missing = item.data(MissingRole)
        if entry.kind == "roll_call":
            self.tabs.setCurrentIndex(ROLL_CALL_TAB)
            view = self.view(ROLL_CALL_TAB)
            row = view.model.row_of(uuid.UUID(entry.code)) if hasattr(view, "model") else -1
            if row >= 0:
                view.table.go_to(row)
                view.table.setFocus()
        else:
            self.tabs.setCurrentIndex(CHECKLIST_TAB)
            show_item = getattr(self.view(CHECKLIST_TAB), "show_item", None)
            if callable(show_item):
                show_item(entry.code)

    # --- addenda -------------------------------------------------------------------------------

    def add_addendum(self) -> None:
        from inspector_app.ui.visit.addendum_dialog import AddendumDialog

        dialog = AddendumDialog(self._ws, self._tasks, self.visit_id, self)
        dialog.added.connect(lambda _id: self.reload_header())
        dialog.added.connect(lambda _id: self.changed.emit(self.visit_id))
        dialog.open()

    # --- tabs talking to each other ------------------------------------------------------------

    def _view_changed(self, source: QWidget) -> None:
        """A write committed in one tab: the others re-read when next shown (the roll call feeds
        the checklist counts; signing locks everything)."""
        index = self.views.index(source)
        self._stale |= {n for n in range(len(self.views)) if n != index}
        before = (self.status, self.number)
        self.reload_header()
        if self.status != before[0] and self.status == VisitStatus.SIGNED:
            self.reload()
        if (self.status, self.number) != before:  # what the visits list shows; a roll-call key is not
            self.changed.emit(self.visit_id)

    def _tab_shown(self, index: int) -> None:
        if index in self._stale:
            self._stale.discard(index)
            self.view(index).reload()
