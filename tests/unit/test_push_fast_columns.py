"""The set-wise push checks a whole column at once (``push_fast._plain_column``); it may send a
plain column value by value, but must never pass a column holding a value the exact path would
refuse or change (``_value_check``, checked value by value)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from inspector_app.office.push_fast import _plain_column, _plain_stamps, _stamp_check, _value_check

KINDS = [str, uuid.UUID, dt.date, dt.datetime, bool, int]
NASTY = st.sampled_from(["", "\x00", "\x1f", "\n", "Z", "+07:00", "e\u0301", "é", "2026-12-02", "\x1fZ"])
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
    st.dates().map(dt.date.isoformat),
    st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=7))])).map(
        dt.datetime.isoformat
    ),
    st.datetimes().map(dt.datetime.isoformat),
    st.text(max_size=6),
    st.lists(NASTY, min_size=1, max_size=3).map("".join),
)


@given(kind=st.sampled_from(KINDS), required=st.booleans(), values=st.lists(VALUES, min_size=1, max_size=6))
def test_a_plain_column_holds_only_plain_values(kind: type, required: bool, values: list[Any]) -> None:
    if _plain_column(kind, required, values):
        check = _value_check(kind, required)
        assert all(check(v) for v in values)


@given(values=st.lists(st.uuids(), min_size=1, max_size=20))
def test_canonical_values_pass_whole(values: list[uuid.UUID]) -> None:
    ids = [str(v) for v in values]
    assert _plain_column(uuid.UUID, True, ids)
    times = [dt.datetime(2026, 12, 2, n % 24, tzinfo=dt.UTC).isoformat() for n in range(len(values))]
    assert _plain_column(dt.datetime, True, times)
    assert _plain_column(str, False, ["Phường Thành Sen", None, "Đạt"])


@given(
    stamps=st.lists(
        st.one_of(
            st.text(max_size=30), st.from_regex(r"[0-9]{13}-[0-9]{5}-[a-z0-9\x1f]{1,8}", fullmatch=True)
        ),
        min_size=1,
        max_size=5,
    )
)
def test_plain_stamps_are_stamps(stamps: list[str]) -> None:
    if _plain_stamps(stamps):
        assert all(_stamp_check(s) for s in stamps)
