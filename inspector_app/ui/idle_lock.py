"""Idle lock: after some minutes without input the app's windows are covered and this laptop's
password is asked for (Nghị định 13/2023/NĐ-CP — officials' personal data on a laptop left open).

``install_idle_lock(app, main_window, workspace, idle)`` puts one event filter on the application.
Every keyboard, mouse, wheel, touch or tablet event only records the time (no timer restart per mouse
move); a single-shot timer wakes at the deadline and either re-arms for the time left or locks.

Locking hides, it never stops anything: each visible top-level window gets an opaque cover (a child
widget raised over its content) and a neutral title, and an application-modal lock dialog asks for the
password. Background writes (``Tasks``) go on; half-typed text stays in its field and gets its focus
back on unlock. The password is checked with scrypt (~50 ms) only when the user presses Enter or the
button, never per keystroke. With no password set the dialog says so and unlocks with "Tiếp tục".

Known limit: native OS dialogs (file pickers) are not Qt widgets and cannot be covered.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from inspector_app.i18n import _

if TYPE_CHECKING:
    from inspector_app.core.workspace import Workspace

log = logging.getLogger(__name__)

# Events that mean someone is at the keyboard. Window-system events (paint, resize, focus, timers,
# queued signals from background tasks) are not input and never postpone the lock.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.InputMethod,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.TabletRelease,
        QEvent.Type.NativeGesture,
        QEvent.Type.ContextMenu,
    }
)
POLL_DISABLED_MS = 60_000  # idle time 0 (never lock): look again now and then for a changed setting
FAILURES_BEFORE_DELAY = 5  # wrong passwords allowed before each further try must wait
RETRY_DELAY_MS = 30_000

IdleSource = Callable[[], int] | int | object | None


class _Cover(QWidget):
    """Opaque sheet over one window's content while locked."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("IdleLockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#IdleLockCover { background: palette(window); }")
        label = QLabel(_("Locked: enter this laptop's password to continue."), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.fit()

    def fit(self) -> None:
        host = self.parentWidget()
        if host is not None:
            self.setGeometry(0, 0, host.width(), host.height())
        self.raise_()


class LockDialog(QDialog):
    """The one window usable while locked: the password, or "Tiếp tục" when none is set."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("IdleLockDialog")
        self.setWindowTitle(_("Screen locked"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlags(
            Qt.WindowType.Dialog
            | Qt.WindowType.CustomizeWindowHint
            | Qt.WindowType.WindowTitleHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.warning = QLabel(
            _(
                "No password is set for this laptop, so anyone can continue. "
                "Set one in the settings to protect the personal data kept here."
            )
        )
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b45309;")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("Password of this laptop"))
        self.password.setAccessibleName(_("Password of this laptop"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c;")
        self.unlock_button = QPushButton(_("Unlock"))
        # Enter in the field is handled by returnPressed alone: a default button would check twice.
        self.unlock_button.setAutoDefault(False)
        self.continue_button = QPushButton(_("Continue"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.continue_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.warning)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)

    def show_for(self, *, has_password: bool) -> None:
        self.password.clear()
        self.message.clear()
        self.password.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.heading.setText(
            _("The app was locked after a while without use. Enter this laptop's password to continue.")
            if has_password
            else _("The app was locked after a while without use.")
        )
        self.warning.setVisible(not has_password)
        self.password.setVisible(has_password)
        self.message.setVisible(has_password)
        self.unlock_button.setVisible(has_password)
        self.continue_button.setVisible(not has_password)
        self.continue_button.setDefault(not has_password)
        self.adjustSize()
        host = self.parentWidget()
        if host is not None and host.isVisible():
            center = host.frameGeometry().center()
            self.move(center.x() - self.width() // 2, center.y() - self.height() // 2)
        self.show()
        self.raise_()
        self.activateWindow()
        (self.password if has_password else self.continue_button).setFocus()

    # Neither Escape nor the window's close button unlocks.
    def reject(self) -> None:
        pass

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()


class IdleLock(QObject):
    """The app-wide idle watcher and lock (see the module doc)."""

    locked = Signal()
    unlocked = Signal()
    failed_attempt = Signal(int)  # wrong passwords so far in this lock

    def __init__(
        self,
        app: QApplication,
        main_window: QWidget,
        workspace: Workspace | None,
        idle: IdleSource = None,
    ) -> None:
        super().__init__(main_window)
        self.app = app
        self.main_window = main_window
        self.workspace = workspace
        self._idle = idle
        self.is_locked = False
        self.attempts = 0  # wrong passwords in the current lock
        self._last_input = time.monotonic()
        self._last_pos: QPointF | None = None
        self._covers: dict[QWidget, _Cover] = {}
        self._titles: dict[QWidget, str] = {}
        self._focus: QWidget | None = None
        self._active: QWidget | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._allow_retry)
        self.dialog = LockDialog(main_window)
        self.dialog.password.returnPressed.connect(self.try_unlock)
        self.dialog.unlock_button.clicked.connect(self.try_unlock)
        self.dialog.continue_button.clicked.connect(self._continue_without_password)
        app.installEventFilter(self)
        self._installed = True
        self._arm()

    # -- settings --------------------------------------------------------------------------------

    def idle_ms(self) -> int:
        """Milliseconds without input before locking; 0 = never."""
        source = self._idle
        try:
            if callable(source):
                return max(0, int(source()))
            if isinstance(source, int):
                return max(0, source)
            minutes = getattr(source, "idle_minutes", None)
            if isinstance(minutes, int):
                return max(0, minutes) * 60_000
            if self.workspace is None:
                return 0  # no data open yet: nothing to hide
            from inspector_app.core.local_user import idle_minutes

            with self.workspace.session() as session:
                return idle_minutes(session) * 60_000
        except Exception:  # a setting that cannot be read must not stop the app; lock as by default
            log.exception("idle delay unreadable, using 10 minutes")
            return 10 * 60_000

    def set_workspace(self, workspace: Workspace | None) -> None:
        self.workspace = workspace
        self.refresh()

    def refresh(self) -> None:
        """Read the idle delay again (after it was changed in the settings)."""
        if not self.is_locked:
            self._arm()

    # -- idle watch ------------------------------------------------------------------------------

    def _arm(self, wait_ms: int | None = None) -> None:
        if not self._installed:
            return
        limit = self.idle_ms()
        if limit <= 0:
            self._timer.start(POLL_DISABLED_MS)
            return
        self._timer.start(limit if wait_ms is None else max(1, wait_ms))

    def _check(self) -> None:
        if self.is_locked or not self._installed:
            return
        limit = self.idle_ms()
        if limit <= 0:
            self._timer.start(POLL_DISABLED_MS)
            return
        idle_for = (time.monotonic() - self._last_input) * 1000
        if idle_for + 5 >= limit:  # a few ms early is still "idle for the whole delay"
            self.lock()
        else:
            self._arm(int(limit - idle_for) + 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS:
            if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
                pos = event.globalPosition()
                if pos == self._last_pos:  # a synthetic move where nothing moved
                    return False
                self._last_pos = pos
            if not self.is_locked:
                self._last_input = time.monotonic()
                return False
            # Locked: only the lock dialog takes input (the modal dialog already blocks the rest;
            # this also stops shortcuts and wheel events sent to a covered window).
            return isinstance(watched, QWidget) and watched.window() is not self.dialog
        if self.is_locked and isinstance(watched, QWidget):
            if kind == QEvent.Type.Show and watched.isWindow():
                QTimer.singleShot(0, self._cover_all)  # a window opened while locked gets covered too
            elif kind == QEvent.Type.Resize and watched in self._covers:
                self._covers[watched].fit()
            elif kind == QEvent.Type.WindowTitleChange and watched in self._titles:
                title = watched.windowTitle()
                if title != self._masked_title():
                    self._titles[watched] = title  # the window renamed itself: restore that name
                    QTimer.singleShot(0, lambda w=watched: self._mask_title(w))
        return False

    # -- lock and unlock -------------------------------------------------------------------------

    def lock(self) -> None:
        """Cover every window and ask for the password (also usable from a "Lock now" action)."""
        if self.is_locked:
            return
        self.is_locked = True
        self.attempts = 0
        self._timer.stop()
        self._focus = QApplication.focusWidget()
        self._active = QApplication.activeWindow()
        QToolTip.hideText()
        popup = QApplication.activePopupWidget()
        while popup is not None:  # open menus and drop-downs show content and grab input
            popup.close()
            next_popup = QApplication.activePopupWidget()
            if next_popup is popup:
                break
            popup = next_popup
        self._cover_all()
        self.dialog.show_for(has_password=self._has_password())
        log.info("idle lock: locked")
        self.locked.emit()

    def _has_password(self) -> bool:
        if self.workspace is None:
            return False
        from inspector_app.core.local_user import has_local_password

        try:
            with self.workspace.session() as session:
                return has_local_password(session)
        except Exception:
            log.exception("idle lock: cannot read the password setting")
            return True  # fail closed: ask for the password rather than offering "Continue"

    def _masked_title(self) -> str:
        return _("Civil-service inspection") + " — " + _("Screen locked")

    def _mask_title(self, window: QWidget) -> None:
        if self.is_locked and window in self._titles:
            window.setWindowTitle(self._masked_title())

    def _cover_all(self) -> None:
        if not self.is_locked:
            return
        for window in QApplication.topLevelWidgets():
            if window is self.dialog or window in self._covers or not window.isVisible():
                continue
            if window.windowType() in (Qt.WindowType.ToolTip, Qt.WindowType.Popup):
                continue
            if window.windowType() == Qt.WindowType.SplashScreen:
                continue
            self._covers[window] = _Cover(window)
            self._covers[window].show()
            self._titles[window] = window.windowTitle()
            window.setWindowTitle(self._masked_title())
            window.destroyed.connect(lambda _obj=None, w=window: self._forget(w))

    def _forget(self, window: QWidget) -> None:
        self._covers.pop(window, None)
        self._titles.pop(window, None)

    def try_unlock(self) -> None:
        """Check the typed password (scrypt, once per Enter / click) and unlock when it is right."""
        if not self.is_locked or not self.dialog.unlock_button.isEnabled():
            return
        typed = self.dialog.password.text()
        if not typed:
            self.dialog.message.setText(_("Type the password, then press Enter."))
            return
        try:
            from inspector_app.core.local_user import check_local_password

            assert self.workspace is not None
            with self.workspace.session() as session:
                right = check_local_password(session, typed)
        except Exception as exc:
            log.exception("idle lock: password check failed")
            self.dialog.message.setText(_("The password could not be checked: {problem}").format(problem=exc))
            return
        if right:
            self.unlock()
            return
        self.attempts += 1
        self.dialog.password.clear()
        text = _("Wrong password (attempt {n}). Check the keyboard language and Caps Lock.").format(
            n=self.attempts
        )
        if self.attempts >= FAILURES_BEFORE_DELAY:
            text += " " + _("Wait {seconds} seconds before trying again.").format(
                seconds=RETRY_DELAY_MS // 1000
            )
            self.dialog.password.setEnabled(False)
            self.dialog.unlock_button.setEnabled(False)
            self._retry.start(RETRY_DELAY_MS)
        self.dialog.message.setText(text)
        log.warning("idle lock: wrong password, attempt %d", self.attempts)
        self.failed_attempt.emit(self.attempts)

    def _allow_retry(self) -> None:
        self.dialog.password.setEnabled(True)
        self.dialog.unlock_button.setEnabled(True)
        self.dialog.password.setFocus()

    def _continue_without_password(self) -> None:
        if self.is_locked and not self._has_password():
            self.unlock()
        elif self.is_locked:  # a password was set meanwhile (another window, sync): ask for it
            self.dialog.show_for(has_password=True)

    def unlock(self) -> None:
        if not self.is_locked:
            return
        self.is_locked = False
        self._retry.stop()
        self.dialog.password.clear()
        self.dialog.hide()
        for window, cover in list(self._covers.items()):
            cover.hide()
            cover.deleteLater()
            title = self._titles.get(window)
            if title is not None and window.windowTitle() == self._masked_title():
                window.setWindowTitle(title)
        self._covers.clear()
        self._titles.clear()
        if self._active is not None and self._active.isVisible():
            self._active.activateWindow()
        if self._focus is not None and self._focus.isVisible():
            self._focus.setFocus()
        self._focus = self._active = None
        self._last_input = time.monotonic()
        self._arm()
        log.info("idle lock: unlocked")
        self.unlocked.emit()

    def uninstall(self) -> None:
        """Stop watching for good (unlocking first if locked)."""
        self._installed = False
        self.app.removeEventFilter(self)
        if self.is_locked:
            self.unlock()
        self._timer.stop()
        self._retry.stop()


def install_idle_lock(
    app: QApplication,
    main_window: QWidget,
    workspace: Workspace | None,
    idle: IdleSource = None,
) -> IdleLock:
    """Watch the whole app for input and lock it after the idle delay.

    ``idle``: a callable giving the delay in milliseconds (read again at every arming, 0 = never), an
    int of milliseconds, or the app's settings / ``None`` to use ``idle_minutes`` of the workspace's
    ``local_setting`` (default 10 minutes). The lock is a child of ``main_window`` and lives as long.
    """
    return IdleLock(app, main_window, workspace, idle)
