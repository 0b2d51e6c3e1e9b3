"""The first-start guide on a new data folder: language, who uses this laptop, the laptop's password
(the idle lock), then either sign in to the office or explore the demo province.

The guide only collects answers and signs in (the network in ``Tasks.run``, off the GUI thread);
``FirstRun`` saves them in one write — name, position and team code in ``local_setting`` (the name
is the editor's ``actor``), the password through ``core.local_user`` — and then loads the demo or
starts the first sync. Cancelled, nothing is saved and the guide comes back at the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlmodel import Session

from inspector_app.core.desk.access import FIRST_RUN_KEY
from inspector_app.core.local_user import MIN_PASSWORD_LENGTH, set_local_password
from inspector_app.core.services.editor import get_setting, set_setting
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _, current_language, set_language
from inspector_app.sync import client
from inspector_app.ui.tasks import Tasks

DONE_KEY = FIRST_RUN_KEY
ACTOR_KEY = "actor"  # read by ``local_editor``: the name written into the audit trail
POSITION_KEY = "actor.position"
TEAM_KEY = "actor.team_code"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # endonyms: the same in every language
PAGE_LANGUAGE, PAGE_USER, PAGE_PASSWORD, PAGE_CHOICE, PAGE_OFFICE, PAGE_DEMO = range(6)
ERROR_STYLE = "color: #b3261e;"


@dataclass(frozen=True)
class Answers:
    language: str
    name: str
    position: str
    team_code: str
    password: str
    mode: Literal["office", "demo"]
    sync_now: bool = False


def first_run_done(session: Session) -> bool:
    return bool(get_setting(session, DONE_KEY))


def save_answers(session: Session, answers: Answers) -> None:
    """One transaction: who uses the laptop, its password, and the guide marked as done."""
    set_local_password(session, answers.password)
    set_setting(session, ACTOR_KEY, answers.name)
    set_setting(session, POSITION_KEY, answers.position)
    set_setting(session, TEAM_KEY, answers.team_code)
    set_setting(session, DONE_KEY, answers.mode)


def _form(form: QFormLayout, *fields: QWidget) -> list[QLabel]:
    """Rows with labels of their own, so that a language change can set their text again."""
    labels = []
    for field in fields:
        label = QLabel()
        label.setBuddy(field)
        form.addRow(label, field)
        labels.append(label)
    return labels


class _Page(QWizardPage):
    """A page whose texts can be set again when the language changes."""

    def retranslate(self) -> None:  # pragma: no cover - every page overrides it
        raise NotImplementedError


class LanguagePage(_Page):
    def __init__(self, language: str, on_change: Callable[[str], None]) -> None:
        super().__init__()
        self.buttons: dict[str, QRadioButton] = {}
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        for code, name in LANGUAGE_NAMES.items():
            button = QRadioButton(name)
            button.setChecked(code == language)
            button.toggled.connect(lambda on, c=code: on_change(c) if on else None)
            self.buttons[code] = button
            layout.addWidget(button)
        layout.addStretch(1)

    def language(self) -> str:
        return next((c for c, b in self.buttons.items() if b.isChecked()), "vi")

    def retranslate(self) -> None:
        self.setTitle(_("Welcome"))
        self.setSubTitle(_("A few questions to set up this laptop. It takes a minute."))
        self.intro.setText(_("Language of the app:"))


class UserPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit()
        self.position = QLineEdit()
        self.team = QLineEdit()
        self.labels = _form(QFormLayout(self), self.name, self.position, self.team)
        self.registerField("name*", self.name)  # "*": Next stays off until a name is typed

    def retranslate(self) -> None:
        self.setTitle(_("Who is using this laptop?"))
        self.setSubTitle(
            _("Your name is written beside every change you make, in the minutes and in the history.")
        )
        for row, label in enumerate((_("Full name:"), _("Position:"), _("Team code:"))):
            self.labels[row].setText(label)
        self.name.setPlaceholderText(_("e.g. Nguyễn Văn An"))
        self.position.setPlaceholderText(_("e.g. Chuyên viên, Thanh tra Sở Nội vụ"))
        self.team.setPlaceholderText(_("given by the office, e.g. demo"))


class PasswordPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setStyleSheet(ERROR_STYLE)
        self.form = QFormLayout()
        self.labels = _form(self.form, self.password, self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        for field in (self.password, self.again):
            field.textChanged.connect(self._changed)

    def issue(self) -> str:
        pw, again = self.password.text(), self.again.text()
        if len(pw) < MIN_PASSWORD_LENGTH:
            return _("The password must be at least {count} characters long.").format(
                count=MIN_PASSWORD_LENGTH
            )
        if pw != again:
            return _("The two passwords are not the same.")
        return ""

    def _changed(self) -> None:
        typed = bool(self.password.text() or self.again.text())
        self.problem.setText(self.issue() if typed else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.issue()

    def retranslate(self) -> None:
        self.setTitle(_("A password for this laptop"))
        self.setSubTitle(_("The screen locks when the laptop is left alone; this password opens it again."))
        self.hint.setText(
            _("It stays on this laptop and is not your office password. At least {count} characters.").format(
                count=MIN_PASSWORD_LENGTH
            )
        )
        for row, label in enumerate((_("Password:"), _("Again:"))):
            self.labels[row].setText(label)
        if self.problem.text():
            self._changed()


class ChoicePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.office = QRadioButton()
        self.demo = QRadioButton()
        self.office_note = QLabel()
        self.demo_note = QLabel()
        self.office.setChecked(True)
        layout = QVBoxLayout(self)
        for button, note in ((self.office, self.office_note), (self.demo, self.demo_note)):
            note.setWordWrap(True)
            note.setContentsMargins(24, 0, 0, 12)
            layout.addWidget(button)
            layout.addWidget(note)
        layout.addStretch(1)

    def nextId(self) -> int:
        return PAGE_OFFICE if self.office.isChecked() else PAGE_DEMO

    def retranslate(self) -> None:
        self.setTitle(_("How do you want to start?"))
        self.setSubTitle(_("Choose one; the other can be done later."))
        self.office.setText(_("Connect to the office"))
        self.office_note.setText(
            _(
                "Sign in with the account the office gave you; the registry and your team's visits "
                "come with the first sync."
            )
        )
        self.demo.setText(_("Explore the demo province"))
        self.demo_note.setText(
            _(
                "Load the Hà Tĩnh demo province (units, officials, a team and six sample visits) to "
                "try the app. You can connect to the office later from the Sync menu."
            )
        )


class OfficePage(_Page):
    """Sign in here, before Finish: a wrong address or password is said on this page."""

    def __init__(self, workspace: Workspace, tasks: Tasks) -> None:
        super().__init__()
        self.ws, self.tasks = workspace, tasks
        self.signed_in = ""  # the office's name for the user, once signed in
        self.busy = False
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://office.example.vn:8470")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_file = QLineEdit()
        self.sign_in = QPushButton()
        self.sign_in.clicked.connect(self.login)
        self.password.returnPressed.connect(self.login)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.sync_now = QCheckBox()
        self.sync_now.setChecked(True)
        self.form = QFormLayout()
        self.labels = _form(self.form, self.server, self.user, self.password, self.ca_file)
        for field in (self.server, self.user, self.password, self.ca_file):
            field.textEdited.connect(self._edited)
        row = QHBoxLayout()
        row.addWidget(self.sign_in)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(row)
        layout.addWidget(self.sync_now)
        layout.addStretch(1)

    def login(self) -> int | None:
        if self.busy:
            return None
        server, user, password = self.server.text().strip(), self.user.text().strip(), self.password.text()
        if not (server and user and password):
            self._show_error(_("Fill in the office address, the user name and the password."))
            return None
        ca = self.ca_file.text().strip() or None
        self.busy = True
        self.sign_in.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(_("Signing in…"))
        ws, name = self.ws, self._device_name()
        return self.tasks.run(
            lambda: client.login(ws, server, user, password, ca, device_name=name),
            on_done=self._signed_in,
            on_error=self._failed,
        )

    def _device_name(self) -> str:
        wizard = self.wizard()
        return str(wizard.field("name")) if wizard is not None else ""

    def _signed_in(self, result: object) -> None:
        self.busy = False
        self.sign_in.setEnabled(True)
        self.signed_in = str(getattr(result, "user", "") or self.user.text().strip())
        self.status.setStyleSheet("")
        self.status.setText(_("Signed in as {user}.").format(user=self.signed_in))
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.sign_in.setEnabled(True)
        self._show_error(_("Could not sign in: {problem}").format(problem=exc))

    def _show_error(self, text: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text)

    def _edited(self) -> None:
        if self.signed_in:  # another address or user: sign in again
            self.signed_in = ""
            self.status.setText("")
            self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.signed_in)

    def nextId(self) -> int:
        return -1

    def retranslate(self) -> None:
        self.setTitle(_("Connect to the office"))
        self.setSubTitle(_("The address, user name and password come from your office's IT support."))
        labels = (_("Server:"), _("User:"), _("Password:"), _("CA file (optional):"))
        for row, label in enumerate(labels):
            self.labels[row].setText(label)
        self.sign_in.setText(_("Sign in"))
        self.sync_now.setText(_("Sync now"))


class DemoPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def nextId(self) -> int:
        return -1

    def retranslate(self) -> None:
        self.setTitle(_("Explore the demo province"))
        self.setSubTitle(_("Sample data to try the app."))
        self.text.setText(_("Press Finish to load the Hà Tĩnh demo province. It takes a few seconds."))


class FirstRunWizard(QWizard):
    """The guide's pages; ``answers()`` once accepted."""

    language_changed = Signal(str)

    def __init__(self, workspace: Workspace, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setMinimumSize(640, 460)
        self.language_page = LanguagePage(current_language(), self.change_language)
        self.user_page = UserPage()
        self.password_page = PasswordPage()
        self.choice_page = ChoicePage()
        self.office_page = OfficePage(workspace, tasks)
        self.demo_page = DemoPage()
        pages: tuple[_Page, ...] = (
            self.language_page,
            self.user_page,
            self.password_page,
            self.choice_page,
            self.office_page,
            self.demo_page,
        )
        for page_id, page in enumerate(pages):
            self.setPage(page_id, page)
        self._pages = pages
        self.retranslate()

    def change_language(self, code: str) -> None:
        if code != current_language():
            set_language(code)
            self.retranslate()
            self.language_changed.emit(code)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Set up this laptop"))
        # Qt ships no Vietnamese catalog: its own "Next >", "Finish"… would stay English.
        for button, text in (
            (QWizard.WizardButton.BackButton, _("< Back")),
            (QWizard.WizardButton.NextButton, _("Next >")),
            (QWizard.WizardButton.FinishButton, _("Finish")),
            (QWizard.WizardButton.CancelButton, _("Cancel")),
        ):
            self.setButtonText(button, text)
        for page in self._pages:
            page.retranslate()

    def answers(self) -> Answers:
        office = self.choice_page.office.isChecked()
        return Answers(
            language=self.language_page.language(),
            name=self.user_page.name.text().strip(),
            position=self.user_page.position.text().strip(),
            team_code=self.user_page.team.text().strip(),
            password=self.password_page.password.text(),
            mode="office" if office else "demo",
            sync_now=office and self.office_page.sync_now.isChecked(),
        )


class FirstRun(QObject):
    """Shows the guide and saves its answers; the caller loads the demo or starts the sync."""

    saved = Signal(object)  # Answers, committed
    demo_chosen = Signal()
    sync_requested = Signal()
    failed = Signal(object)  # the exception that stopped the save

    def __init__(
        self,
        workspace: Workspace,
        tasks: Tasks,
        parent: QWidget | None = None,
        *,
        on_language: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.tasks = workspace, tasks
        self.on_language = on_language
        self.wizard = FirstRunWizard(workspace, tasks, parent)
        self.wizard.accepted.connect(self._accepted)
        if on_language is not None:
            self.wizard.language_changed.connect(on_language)

    def open(self) -> FirstRunWizard:
        self.wizard.open()
        return self.wizard

    def _accepted(self) -> None:
        answers = self.wizard.answers()
        self.tasks.write(
            lambda session: save_answers(session, answers),
            on_done=lambda _none: self._saved(answers),
            on_error=self.failed.emit,
        )

    def _saved(self, answers: Answers) -> None:
        self.ws.editor.actor = answers.name  # edits from now on carry the name
        self.saved.emit(answers)
        if answers.mode == "demo":
            self.demo_chosen.emit()
        elif answers.sync_now:
            self.sync_requested.emit()
