"""From a read officials list to the registry: a preview of what would be added, updated or left
alone (nothing written), then :func:`apply_import`, one transaction on the bulk path.

A sheet row meets a current official of the unit by folded name + folded position. A met official
is updated only where the sheet says something and it differs: department, kind (only when the
sheet states it — a kind guessed from the position never overwrites), birth date (at the sheet's
precision: "1980" agrees with 05/03/1980) and gender. Empty cells never erase what is registered;
officials missing from the sheet are listed, never removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from inspector_app.core.bulk import insert_rows
from inspector_app.core.ids import uuid7
from inspector_app.core.models import Official
from inspector_app.core.registry.officials import next_sort_order
from inspector_app.core.registry.officials_import import (
    ImportedOfficial,
    RowProblem,
    SheetRead,
    read_officials,
)
from inspector_app.core.registry.sheet_values import same_birth
from inspector_app.core.registry.units import current_official, ensure_open, find_unit, get_unit
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import ServiceError
from inspector_app.core.text import fold
from inspector_app.i18n import _

COMPARED = ("department", "kind", "birth_date", "gender")


class StalePreview(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            _("The unit's list of officials changed after the preview was made; preview the import again.")
        )


@dataclass(frozen=True)
class FieldChange:
    field: str  # one of COMPARED
    old: Any
    new: Any


@dataclass(frozen=True)
class PlannedUpdate:
    official_id: uuid.UUID
    incoming: ImportedOfficial
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Unchanged:
    official_id: uuid.UUID
    incoming: ImportedOfficial


@dataclass(frozen=True)
class ImportPreview:
    unit_id: uuid.UUID
    unit_code: str
    unit_name: str
    source: SheetRead
    to_add: tuple[ImportedOfficial, ...]
    to_update: tuple[PlannedUpdate, ...]
    unchanged: tuple[Unchanged, ...]
    not_in_file: tuple[str, ...]  # current officials of the unit the sheet does not list (left alone)
    fingerprint: str  # the unit's officials as the preview saw them; apply refuses if they changed

    @property
    def problems(self) -> list[RowProblem]:
        return self.source.problems

    @property
    def has_changes(self) -> bool:
        return bool(self.to_add or self.to_update)


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    audit_n: int | None  # number of the audit entry written (None when nothing changed)


def _fingerprint(session: Session, unit_id: uuid.UUID) -> str:
    rows = session.exec(
        select(Official.id, Official.updated_at).where(Official.unit_id == unit_id).order_by(col(Official.id))
    ).all()
    digest = hashlib.sha256()
    for row_id, stamp in rows:
        digest.update(f"{row_id}:{stamp};".encode())
    return digest.hexdigest()


def _changes(current: Official, incoming: ImportedOfficial) -> tuple[FieldChange, ...]:
    found: list[FieldChange] = []
    if incoming.department is not None and incoming.department != current.department:
        found.append(FieldChange("department", current.department, incoming.department))
    if incoming.kind_given and incoming.kind != current.kind:
        found.append(FieldChange("kind", current.kind, incoming.kind))
    if incoming.birth is not None and not same_birth(current.birth_date, incoming.birth):
        found.append(FieldChange("birth_date", current.birth_date, incoming.birth.date))
    if incoming.gender is not None and incoming.gender != current.gender:
        found.append(FieldChange("gender", current.gender, incoming.gender))
    return tuple(found)


def preview_import(
    session: Session, unit_id: uuid.UUID, source: SheetRead, *, today: dt.date | None = None
) -> ImportPreview:
    """Classify every row read against the unit's current officials; writes nothing."""
    unit = get_unit(session, unit_id)
    ensure_open(session, unit, today)
    current = session.exec(
        select(Official)
        .where(Official.unit_id == unit.id, Official.deleted == False, current_official(today))  # noqa: E712
        .order_by(col(Official.sort_order))
    ).all()
    by_key: dict[tuple[str, str], list[Official]] = {}
    for official in current:
        by_key.setdefault((fold(official.full_name), fold(official.position)), []).append(official)
    add: list[ImportedOfficial] = []
    update: list[PlannedUpdate] = []
    same: list[Unchanged] = []
    met: set[uuid.UUID] = set()
    for incoming in source.officials:
        candidates = by_key.get(incoming.key)
        if not candidates:
            add.append(incoming)
            continue
        match = candidates.pop(0)
        met.add(match.id)
        changes = _changes(match, incoming)
        if changes:
            update.append(PlannedUpdate(match.id, incoming, changes))
        else:
            same.append(Unchanged(match.id, incoming))
    return ImportPreview(
        unit_id=unit.id,
        unit_code=unit.code,
        unit_name=unit.name,
        source=source,
        to_add=tuple(add),
        to_update=tuple(update),
        unchanged=tuple(same),
        not_in_file=tuple(o.full_name for o in current if o.id not in met),
        fingerprint=_fingerprint(session, unit.id),
    )


def preview_file(
    session: Session, path: Path | str, unit_ref: str, *, today: dt.date | None = None
) -> ImportPreview:
    """Read the workbook and preview it against the unit with code or id ``unit_ref``."""
    unit = find_unit(session, unit_ref)
    ensure_open(session, unit, today)  # before reading: a closed unit needs no file read
    return preview_import(session, unit.id, read_officials(path), today=today)


def apply_import(
    session: Session, editor: Editor, preview: ImportPreview, *, today: dt.date | None = None
) -> ImportResult:
    """Write the preview in the caller's transaction: new officials inserted, changed ones updated
    (both stamped with the editor's clock, marked dirty for sync), one audit entry for the import."""
    unit = get_unit(session, preview.unit_id)
    ensure_open(session, unit, today)
    session.flush()
    if _fingerprint(session, unit.id) != preview.fingerprint:
        raise StalePreview()
    if not preview.has_changes:
        return ImportResult(0, 0, len(preview.unchanged), None)
    table = SQLModel.metadata.tables["official"]
    conn = session.connection()
    start = next_sort_order(session, unit.id)
    new_rows = [
        {
            "id": uuid7(),
            "unit_id": unit.id,
            "full_name": o.full_name,
            "position": o.position,
            "department": o.department,
            "kind": o.kind,
            "gender": o.gender,
            "birth_date": o.birth.date if o.birth else None,
            "left_on": None,
            "sort_order": start + i,
            "search_key": fold(o.full_name),
            "updated_at": editor.clock.now(),
            "deleted": False,
            "dirty": True,
            "seq": None,
        }
        for i, o in enumerate(preview.to_add)
    ]
    insert_rows(conn, table, new_rows)
    _update_rows(conn, table, editor, preview.to_update)
    session.expire_all()  # officials loaded before now were changed underneath the ORM
    entry = audit.append(
        session,
        editor,
        action="official.import",
        entity="unit",
        entity_id=unit.id,
        detail={
            "file": preview.source.path.name,
            "sha256": preview.source.sha256,
            "sheet": preview.source.sheet,
            "added": [r["id"] for r in new_rows],
            "updated": {
                str(u.official_id): {c.field: [c.old, c.new] for c in u.changes} for u in preview.to_update
            },
            "unchanged": len(preview.unchanged),
            "problems": [str(p) for p in preview.problems],
        },
    )
    return ImportResult(len(new_rows), len(preview.to_update), len(preview.unchanged), entry.n)


def _update_rows(
    conn: sa.Connection, table: sa.Table, editor: Editor, updates: tuple[PlannedUpdate, ...]
) -> None:
    """One executemany per set of changed columns (most imports change one or two columns)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for u in updates:
        fields = tuple(sorted(c.field for c in u.changes))
        params = {f"p_{c.field}": c.new for c in u.changes}
        groups.setdefault(fields, []).append(params | {"p_id": u.official_id, "p_stamp": editor.clock.now()})
    for fields, batch in groups.items():
        values: dict[str, Any] = {f: sa.bindparam(f"p_{f}") for f in fields}
        stmt = (
            table.update()
            .where(table.c.id == sa.bindparam("p_id"))
            .values(**values, updated_at=sa.bindparam("p_stamp"), dirty=True)
        )
        conn.execute(stmt, batch)
