"""Trợ giúp → Giới thiệu: what the app is, its version, where its data lives."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from inspector_app import __version__
from inspector_app.i18n import _


def about_text() -> str:
    # The product's name is Vietnamese in every language.
    summary = _(
        "Surprise civil-service inspections, offline: roll call, checklist, findings and signed minutes."
    )
    return f"Kiểm tra công vụ {__version__}\n\n{summary}"


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, _("About"), about_text())
