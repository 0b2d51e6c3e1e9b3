"""A form version in the database is code + version + content hash: changed content needs a new version."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.forms import load_form, parse_form, shipped_forms
from inspector_app.core.models import FormVersion
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.services.forms_registry import register_form
from inspector_app.core.workspace import Workspace, open_workspace


def test_shipped_forms_are_loaded_once(workspace: Workspace) -> None:
    again = open_workspace(workspace.data_dir)  # a second start registers nothing new
    again.close()
    with Session(workspace.engine) as s:
        rows = s.exec(select(FormVersion)).all()
    assert sorted((r.code, r.version) for r in rows) == sorted(
        (f.code, f.version) for f in map(load_form, shipped_forms())
    )


def test_same_version_with_other_content_is_refused(workspace: Workspace) -> None:
    path = shipped_forms()[0]
    text = path.read_text(encoding="utf-8")
    changed = parse_form(text.replace("title: ", "title: Sửa - ", 1), filename=str(path))
    with session_scope(workspace.engine) as s, pytest.raises(InvalidInput, match="phiên bản"):
        register_form(s, workspace.editor, changed)
    bumped = parse_form(text.replace("version: 1", "version: 2", 1), filename=str(path))
    with session_scope(workspace.engine) as s:
        row = register_form(s, workspace.editor, bumped)
    assert row.version == 2 and row.sha256 == bumped.sha256
