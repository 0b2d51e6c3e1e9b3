"""Pulled rows go to SQLite by ``stored.stored_rows``; it must store exactly what decoding each
value (``rows.decode_row``) and then SQLAlchemy's bind processors would, for every synced table,
and refuse what the decoder refuses, naming the column."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pydantic_core
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite

from inspector_app.core.bulk import encode_rows
from inspector_app.sync import tables
from inspector_app.sync.rows import LOCAL_ONLY, RowError, decode_row, encode_row, python_type
from inspector_app.sync.stored import stored_rows
from inspector_app.sync.tables import table

UTC_TIMES = st.datetimes(
    min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(dt.UTC)
)
ZONED_TIMES = st.datetimes(
    min_value=dt.datetime(1900, 1, 2),
    max_value=dt.datetime(2199, 12, 30),
    timezones=st.sampled_from([dt.timezone(dt.timedelta(hours=7)), dt.timezone(dt.timedelta(hours=-5))]),
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


def _value(column: sa.Column[Any]) -> st.SearchStrategy[Any]:
    """Wire values as an office or an older office (``rows.encode_row``) may send them."""
    py = python_type(column)
    if py is uuid.UUID:
        return st.uuids().flatmap(lambda u: st.sampled_from([str(u), str(u).upper(), u.hex]))
    if py is dt.datetime:
        return st.one_of(UTC_TIMES, ZONED_TIMES).flatmap(
            lambda d: st.sampled_from([d.isoformat(), pydantic_core.to_json(d).decode().strip('"')])
        )
    if py is dt.date:
        return st.dates().map(dt.date.isoformat)
    if py is dt.time:
        return st.times().flatmap(lambda t: st.sampled_from([t.isoformat(), t.isoformat("microseconds")]))
    if py is bool:
        return st.booleans()
    if py is int:
        return st.integers(-(2**40), 2**40)
    return TEXT


@st.composite
def wire_rows(draw: st.DrawFn, name: str) -> list[dict[str, Any]]:
    columns = [c for c in table(name).columns if c.name not in LOCAL_ONLY]
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = {}
        for c in columns:
            row[c.name] = draw(st.none() if c.nullable and draw(st.booleans()) else _value(c))
        rows.append(row)
    return rows


def _long_way(name: str, columns: list[str], data: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    decoded = [decode_row(name, r) | {"dirty": False} for r in data]
    return encode_rows(table(name), columns, decoded, sqlite.dialect())


@pytest.mark.parametrize("name", tables.table_names())
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_stored_values_equal_decoding_then_binding(name: str, data: st.DataObject) -> None:
    rows = data.draw(wire_rows(name))
    rows = json.loads(json.dumps(rows))  # exactly what arrives: JSON text parsed
    columns = [c.name for c in table(name).columns]
    assert stored_rows(name, columns, rows) == _long_way(name, columns, rows)


def test_office_rows_round_trip_through_the_wire() -> None:
    """A row as the office sends it (pydantic-core's JSON of the database values) comes back as
    the laptop would have stored the same values itself."""
    t = table("answer")
    row = {
        "id": uuid.uuid4(),
        "updated_at": "2026-12-02T10:00:00.000000Z-0000-a1b2c3",
        "deleted": False,
        "seq": 7,
        "visit_id": uuid.uuid4(),
        "item_code": "1.2",
        "value": "co",
        "note": "Niêm yết đầy đủ",
        "answered_at": dt.datetime(2026, 12, 2, 3, 4, 5, tzinfo=dt.UTC),
    }
    row = {c.name: row.get(c.name) for c in t.columns if c.name not in LOCAL_ONLY}
    wire = json.loads(pydantic_core.to_json(row))
    columns = [c.name for c in t.columns]
    expected = encode_rows(t, columns, [row | {"dirty": False}], sqlite.dialect())
    assert stored_rows("answer", columns, [wire]) == expected
    assert stored_rows("answer", columns, [json.loads(json.dumps(encode_row(row)))]) == expected


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("visit_id", "not-a-uuid", "answer.visit_id"),
        ("answered_at", "2026-12-02T10:00:00", "answer.answered_at: a time without a zone"),
        ("answered_at", "2026-13-02T10:00:00Z", "answer.answered_at"),
        ("deleted", "yes", "answer.deleted: true/false expected"),
        ("seq", "7", "answer.seq: integer expected"),
        ("note", 5, "answer.note: text expected"),
        ("note", "a\x00b", "answer.note: text with a NUL character"),
        ("visit_id", None, "answer.visit_id: value required"),
        ("colour", "red", "answer: unknown column(s): colour"),
    ],
)
def test_bad_values_are_refused_naming_the_column(column: str, value: Any, message: str) -> None:
    row = {
        "id": str(uuid.uuid4()),
        "updated_at": "2026-12-02T10:00:00.000000Z-0000-a1b2c3",
        "deleted": False,
        "seq": 7,
        "visit_id": str(uuid.uuid4()),
        "item_code": "1.2",
        "value": "co",
        "note": None,
        "answered_at": None,
    }
    row[column] = value
    columns = [c.name for c in table("answer").columns]
    with pytest.raises(RowError, match=message.replace("(", r"\(").replace(")", r"\)")):
        stored_rows("answer", columns, [row])
    with pytest.raises(RowError):
        decode_row("answer", row)
