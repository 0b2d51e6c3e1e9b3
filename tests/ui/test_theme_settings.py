"""Theme without side effects in $HOME or the environment; settings that survive a restart."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from inspector_app.ui.settings import Settings, load_settings, save_settings, settings_path
from inspector_app.ui.theme import Theme, apply_theme, current_theme


@pytest.mark.usefixtures("restore_style")
def test_theme_writes_nothing_to_home_or_environment(qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    real_default = Path(os.path.expanduser("~")) / ".qt_material"
    environ = dict(os.environ)
    icons = tmp_path / "app" / "theme"
    for theme in (Theme.DARK, Theme.LIGHT):
        assert apply_theme(qapp, theme, icons) is theme
        assert current_theme(qapp) is theme
        assert dict(os.environ) == environ  # no QTMATERIAL_* nor colour variables left behind
        assert any((icons / theme.value).rglob("*.svg"))
    assert list(home.iterdir()) == []
    assert not real_default.exists()
    sheet = qapp.styleSheet()
    assert "uppercase" not in sheet and "text-transform: none" in sheet
    assert "Roboto" in sheet


@pytest.mark.usefixtures("restore_style")
def test_buttons_keep_their_case(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    apply_theme(qapp, Theme.LIGHT, tmp_path)
    lower, upper = QPushButton("Điểm danh"), QPushButton("ĐIỂM DANH")
    # Upper-cased text is wider; a button laid out for the text as written is not.
    assert lower.sizeHint().width() < upper.sizeHint().width()
    assert apply_theme(qapp, "no-such-theme", tmp_path) is Theme.LIGHT


def test_settings_round_trip_and_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()  # first start: Vietnamese, light
    assert Settings().language == "vi"
    settings = Settings(language="en", theme="dark", window_geometry=Settings.encode(b"\x01\x02"))
    save_settings(tmp_path, settings)
    again = load_settings(tmp_path)
    assert again == settings
    assert Settings.decode(again.window_geometry) == b"\x01\x02"
    settings_path(tmp_path).write_text("{ not json", encoding="utf-8")
    assert load_settings(tmp_path) == Settings()  # a damaged file never stops the app
    settings_path(tmp_path).write_text('{"language": "fr"}', encoding="utf-8")
    assert load_settings(tmp_path) == Settings()
    assert Settings.decode("!!") == b""
