"""Text normalisation, ids and canonical JSON: the small things every record relies on."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid

import pytest

from inspector_app.core.canonical import canonical_json, sha256_hex
from inspector_app.core.ids import answer_id, roll_call_id, stable_id, uuid7
from inspector_app.core.text import fold, nfc


def test_nfc_composes_and_trims() -> None:
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Văn An ")
    assert decomposed != "Nguyễn Văn An"
    assert nfc(decomposed) == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐẶNG THỊ Ỷ", "dang thi y"),
        ("Phường Hà Huy Tập", "phuong ha huy tap"),
    ],
)
def test_fold_drops_diacritics_and_case(text: str, key: str) -> None:
    assert fold(text) == key
    assert fold(unicodedata.normalize("NFD", text)) == key


def test_uuid7_is_version_7_and_time_ordered() -> None:
    ids = [uuid7() for _ in range(1000)]
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    # Same millisecond ids may be out of order in their random tail; across milliseconds they sort.
    assert ids[0].int >> 80 <= ids[-1].int >> 80


def test_deterministic_ids_meet_on_two_laptops() -> None:
    visit = uuid.UUID("01890000-0000-7000-8000-000000000001")
    official = uuid.UUID("01890000-0000-7000-8000-000000000002")
    assert answer_id(visit, "B6") == answer_id(visit, "B6") != answer_id(visit, "B7")
    assert roll_call_id(visit, official) == roll_call_id(visit, official)
    assert stable_id("demo", "unit", "HT") == uuid.UUID(str(stable_id("demo", "unit", "HT")))


def test_canonical_json_is_stable() -> None:
    a = {
        "b": 1,
        "a": "Nguyễn",
        "t": dt.datetime(2026, 3, 10, 7, 45, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    }
    b = {
        "t": dt.datetime(2026, 3, 10, 0, 45, tzinfo=dt.UTC),
        "a": unicodedata.normalize("NFD", "Nguyễn"),
        "b": 1.0,
    }
    assert canonical_json(a) == canonical_json(b)
    assert canonical_json(a) == '{"a":"Nguyễn","b":1,"t":"2026-03-10T00:45:00.000000Z"}'
    assert sha256_hex(a) == sha256_hex(b)


def test_canonical_json_refuses_naive_times() -> None:
    with pytest.raises(ValueError):
        canonical_json({"t": dt.datetime(2026, 1, 1)})
