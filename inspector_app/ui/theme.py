"""The one module that touches qt-material: light and dark Material themes for a Vietnamese UI.

qt-material has three habits we undo here (TECH-NOTES §3, STYLE "Don't"):

* it upper-cases buttons, table headers, tabs and group-box titles (``text-transform: uppercase``),
  which clips the stacked diacritics of Vietnamese ("ĐIỂM DANH") and sizes columns for the
  lower-case text — we strip the rule from the generated QSS and add ``text-transform: none``;
* it writes its recoloured SVG icons into ``~/.qt_material`` on every apply — we pass an absolute
  folder of our own (the app's data folder), so nothing lands in the user's home;
* it exports every theme colour into ``os.environ`` (``primaryColor``, ``QTMATERIAL_*``…) — we
  restore the environment after building the stylesheet.

Roboto, which qt-material registers, has every precomposed Vietnamese letter (checked glyph by glyph).
"""

from __future__ import annotations

import os
import re
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QDir
from PySide6.QtWidgets import QApplication


class Theme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


THEME_FILES = {Theme.LIGHT: "light_blue.xml", Theme.DARK: "dark_teal.xml"}
FONT_FAMILY = "Roboto"

# Qt's QSS does honour text-transform (measured: an upper-cased "Điểm danh" button is wider), so the
# override works; we also delete the rule itself so no selector we forgot can upper-case again.
_UPPERCASE = re.compile(r"text-transform\s*:\s*uppercase\s*;?")
_OVERRIDES = """
QPushButton, QToolButton, QHeaderView::section, QTabBar::tab, QGroupBox, QGroupBox::title,
QDockWidget, QToolBox::tab, QMenuBar::item {
  text-transform: none;
}
QHeaderView::section { padding-left: 6px; padding-right: 6px; }
QTableView { font-size: 13px; }
QPushButton[status_filter="true"] { padding-left: 10px; padding-right: 10px; }
"""


def stylesheet(theme: Theme, icons_dir: Path) -> str:
    """The QSS for ``theme``; qt-material's icons are written below ``icons_dir`` (absolute)."""
    from qt_material import build_stylesheet  # imported after PySide6, as it requires

    folder = (icons_dir / theme.value).resolve()
    saved = dict(os.environ)
    try:
        qss = build_stylesheet(
            THEME_FILES[theme],
            invert_secondary=theme is Theme.LIGHT,
            extra={"font_family": FONT_FAMILY, "density_scale": "-1"},
            parent=str(folder),
        )
    finally:
        os.environ.clear()
        os.environ.update(saved)
    if qss is None:
        raise LookupError(f"qt-material theme {THEME_FILES[theme]} not found")
    # qt-material *adds* a search path on every apply; after a light→dark switch the old theme's
    # icons would still win. Keep exactly one.
    QDir.setSearchPaths("icon", [str(folder)])
    return _UPPERCASE.sub("", qss) + _OVERRIDES


def apply_theme(app: QApplication, theme: Theme | str, icons_dir: Path) -> Theme:
    """Style the whole application; ``icons_dir`` is where the theme's generated icons go."""
    theme = Theme(theme) if theme in Theme._value2member_map_ else Theme.LIGHT
    qss = stylesheet(theme, icons_dir)
    if app.property("inspector_theme") is None:
        # Once only: replacing the application's QStyle while widgets are alive left a QWizard with
        # the deleted style and crashed the next theme switch. The style sheet alone changes themes.
        app.setStyle("Fusion")
    app.setStyleSheet(qss)
    font = app.font()
    font.setFamily(FONT_FAMILY)
    app.setFont(font)
    app.setProperty("inspector_theme", theme.value)
    return theme


def current_theme(app: QApplication) -> Theme:
    value = app.property("inspector_theme")
    return Theme(value) if value in Theme._value2member_map_ else Theme.LIGHT
