"""A laptop's working set: its data folder, database (migrated), editor, and shipped forms loaded."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from inspector_app.core.backups import DEFAULT_KEEP, daily_backup
from inspector_app.core.db import DB_FILENAME, open_database, session_scope
from inspector_app.core.forms import load_form, shipped_forms
from inspector_app.core.models import FormVersion
from inspector_app.core.services.editor import Editor, local_editor
from inspector_app.core.services.forms_registry import register_form

log = logging.getLogger(__name__)


@dataclass
class Workspace:
    data_dir: Path
    engine: sa.Engine
    editor: Editor

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def attachments(self) -> Path:
        return self.data_dir / "attachments"

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()


def open_workspace(data_dir: Path, *, keep_backups: int = DEFAULT_KEEP) -> Workspace:
    engine = open_database(data_dir)
    daily_backup(data_dir, keep_backups)
    with session_scope(engine) as session:
        editor = local_editor(session)
        known = set(session.exec(select(FormVersion.sha256)).all())
        for path in shipped_forms():
            # Parsing a form costs ~0.1 s; a file whose exact bytes are already loaded needs none.
            if hashlib.sha256(path.read_bytes()).hexdigest() not in known:
                register_form(session, editor, load_form(path))
    return Workspace(data_dir=data_dir, engine=engine, editor=editor)


def is_empty(workspace: Workspace) -> bool:
    """No unit in the registry yet: the first start, when the demo province is offered."""
    with workspace.session() as session:
        return session.exec(sa.text("SELECT 1 FROM unit LIMIT 1")).first() is None  # type: ignore[call-overload]
