"""Server pull (DESIGN §5): the device's changes after seq N, paged, in seq order, with parents.

The page is written as JSON straight from the driver's values by pydantic-core (UUIDs and times
in ISO form, as ``rows.encode_row`` would give them; UTC may read ``Z``): building a model per
row and letting FastAPI check it again cost three times the office's CPU of the rest.

The upper bound is the counter read first: seqs are handed out under the push lock and the
counter commits with its rows, so every row at or below it is committed and visible; rows
above it wait for the next page. Reading the tables one after another is then safe even
without one snapshot for all of them.
"""

from __future__ import annotations

import uuid
from typing import Any

import pydantic_core
import sqlalchemy as sa

from inspector_app.office import store
from inspector_app.office.principal import Principal
from inspector_app.office.scope import read_filter
from inspector_app.sync import tables
from inspector_app.sync.rows import LOCAL_ONLY
from inspector_app.sync.tables import table


def pull_page(engine: sa.Engine, p: Principal, since: int, limit: int, *, skip_own: bool = False) -> bytes:
    """The JSON body of a ``protocol.PullPage``. ``skip_own``: leave out rows whose newest version
    this device stamped (its device id ends the HLC): it pushed them and holds them already. The
    cursor still covers them.

    Two steps: the seqs of up to ``limit`` + 1 rows per table (index only) fix where the page
    ends; then only the rows up to there are read whole — not ``limit`` rows of every table."""
    own = "-" + p.device_tag
    with engine.connect() as conn:
        top = store.read_counter(conn)
        wanted: dict[str, sa.Select[Any]] = {}
        seqs: list[int] = []
        for name in tables.table_names():
            t = table(name)
            q = sa.select(t.c.seq).where(t.c.seq > since, t.c.seq <= top)
            cond = read_filter(p, name)
            if cond is not None:
                q = q.where(cond)
            if skip_own:
                q = q.where(sa.not_(t.c.updated_at.endswith(own, autoescape=True)))
            found = conn.execute(q.order_by(t.c.seq).limit(limit + 1)).scalars().all()
            if found:
                seqs += found
                wanted[name] = q
        seqs.sort()
        has_more = len(seqs) > limit
        cursor = seqs[limit - 1] if has_more else max(top, since)
        page: list[tuple[int, str, dict[str, Any]]] = []
        for name, q in wanted.items():
            columns = _wire_columns(name)
            keys = [c.name for c in columns]
            whole = q.with_only_columns(*columns).where(table(name).c.seq <= cursor)
            at = keys.index("seq")
            page += [(r[at], name, dict(zip(keys, r, strict=True))) for r in conn.execute(whole).fetchall()]
        page.sort(key=lambda x: x[0])
        parents = _parents(conn, wanted, cursor)
    body = {
        "changes": [{"table": n, "row": r} for _s, n, r in page],
        "parents": [{"table": n, "row": r} for n, r in parents],
        "cursor": cursor,
        "has_more": has_more,
        "scope": p.scope_key,
    }
    return pydantic_core.to_json(body)


def _wire_columns(name: str) -> list[sa.Column[Any]]:
    return [c for c in table(name).columns if c.name not in LOCAL_ONLY]


def _parents(
    conn: sa.Connection, wanted: dict[str, sa.Select[Any]], cursor: int
) -> list[tuple[str, dict[str, Any]]]:
    """Rows the page points to whose newest version comes after the cursor (re-edited or signed
    later): without them the laptop would hold a child whose parent it has never seen.

    The page's own references are followed in SQL (a page is thousands of rows, such parents
    are few); the parents' own parents then in Python, level by level."""
    sources: dict[str, list[sa.Select[Any]]] = {}
    for name, q in wanted.items():
        t = table(name)
        for fk in t.foreign_keys:
            target = fk.column.table.name
            if target in tables.table_names():
                column = t.c[fk.parent.name]
                sources.setdefault(target, []).append(q.with_only_columns(column).where(t.c.seq <= cursor))
    frontier: list[tuple[str, dict[str, Any]]] = []
    for target, refs in sources.items():
        t = table(target)
        ids = refs[0] if len(refs) == 1 else sa.union_all(*refs)
        q = sa.select(*_wire_columns(target)).where(t.c.seq > cursor, t.c.id.in_(ids))
        frontier += [(target, dict(r._mapping)) for r in conn.execute(q).fetchall()]
    have = {(n, r["id"]) for n, r in frontier}
    out = list(frontier)
    while frontier:
        more: dict[str, set[uuid.UUID]] = {}
        for name, row in frontier:
            for fk in table(name).foreign_keys:
                target = fk.column.table.name
                value = row.get(fk.parent.name)
                if value is not None and target in tables.table_names() and (target, value) not in have:
                    more.setdefault(target, set()).add(value)
        frontier = []
        for target, found in more.items():
            t = table(target)
            for part in store.chunks(sorted(found)):
                q = sa.select(*_wire_columns(target)).where(t.c.id.in_(part), t.c.seq > cursor)
                for r in conn.execute(q).fetchall():
                    row = dict(r._mapping)
                    have.add((target, row["id"]))
                    frontier.append((target, row))
        out.extend(frontier)
    out.sort(key=lambda x: tables.order_index(x[0]))
    return out
