"""Loading a checklist form version from a YAML file at the office desk (no Qt).

Reading a file never raises for its content: :func:`read_form_file` gives the spec or every problem
as ``FILE:LINE: reason``. :func:`register_form_file` stores a read spec and says whether it was new
(the same bytes loaded twice are one version); the same code and version with other content is
refused by :func:`inspector_app.core.services.forms_registry.register_form`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from inspector_app.core.forms import FormError, FormIssue, FormSpec, load_form
from inspector_app.core.models import FormVersion
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.forms_registry import register_form


@dataclass(frozen=True)
class FormRead:
    path: Path
    spec: FormSpec | None
    issues: tuple[FormIssue, ...]


@dataclass(frozen=True)
class FormLoaded:
    form_id: uuid.UUID
    code: str
    version: int
    title: str
    new: bool  # False: this exact file was already loaded


def read_form_file(path: Path | str) -> FormRead:
    """The form in the file, or every problem found in it (missing file, YAML, content)."""
    path = Path(path)
    try:
        return FormRead(path, load_form(path), ())
    except FormError as error:
        return FormRead(path, None, tuple(error.issues))


def register_form_file(session: Session, editor: Editor, spec: FormSpec) -> FormLoaded:
    before = session.exec(
        select(FormVersion.id).where(FormVersion.code == spec.code, FormVersion.version == spec.version)
    ).first()
    row = register_form(session, editor, spec)
    return FormLoaded(row.id, row.code, row.version, row.title, new=before is None)


def list_form_versions(session: Session) -> list[FormVersion]:
    """Every loaded form version: by code, newest version first."""
    rows = session.exec(select(FormVersion).where(FormVersion.deleted == False)).all()  # noqa: E712
    return sorted(rows, key=lambda f: (f.code, -f.version))
