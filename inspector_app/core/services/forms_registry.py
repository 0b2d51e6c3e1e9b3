"""Checklist form versions in the database: the database is authoritative once a form is loaded."""

from __future__ import annotations

import uuid
from functools import lru_cache

from sqlmodel import Session, select

from inspector_app.core.forms import FormSpec, parse_form
from inspector_app.core.ids import stable_id
from inspector_app.core.models import FormVersion
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.i18n import _


def form_version_id(code: str, version: int, sha256: str) -> uuid.UUID:
    return stable_id("form", code, version, sha256)


def register_form(session: Session, editor: Editor, spec: FormSpec) -> FormVersion:
    """Store a form version, or return the stored one if identical.

    The same code and version with other content is refused: a visit must always be re-read with
    exactly the form it was filled in with. Publish a changed form under a new version.
    """
    existing = session.exec(
        select(FormVersion).where(FormVersion.code == spec.code, FormVersion.version == spec.version)
    ).first()
    if existing is not None:
        if existing.sha256 != spec.sha256:
            raise InvalidInput(
                _(
                    "Form {code} version {version} is already loaded with different content; "
                    "give the changed form a new version number."
                ).format(code=spec.code, version=spec.version)
            )
        return existing
    row = FormVersion(
        id=form_version_id(spec.code, spec.version, spec.sha256),
        code=spec.code,
        version=spec.version,
        title=spec.title,
        sha256=spec.sha256,
        source=spec.source,
    )
    editor.stamp(row)
    session.add(row)
    audit.append(
        session,
        editor,
        action="form.register",
        entity="form_version",
        entity_id=row.id,
        detail={"code": spec.code, "version": spec.version, "sha256": spec.sha256},
    )
    return row


@lru_cache(maxsize=32)
def _parse_cached(sha256: str, source: str) -> FormSpec:
    return parse_form(source, filename=f"<form {sha256[:12]}>")


def spec_of(form: FormVersion) -> FormSpec:
    return _parse_cached(form.sha256, form.source)


def form_spec(session: Session, form_id: uuid.UUID) -> FormSpec:
    form = session.get(FormVersion, form_id)
    if form is None:
        raise NotFound(_("Checklist form not found: {id}").format(id=form_id))
    return spec_of(form)


def latest_form(session: Session, code: str) -> FormVersion | None:
    rows = session.exec(select(FormVersion).where(FormVersion.code == code)).all()
    return max(rows, key=lambda f: f.version) if rows else None
