"""Per-visit figures of the office's results, kept so that they are not recomputed from a visit's
answers and roll call at every look (``core/desk/tally.py`` fills and reads them). Local only: no
sync columns, so sync leaves these tables alone.

On SQLite, triggers (migration 0006) drop a visit's figures whenever one of its answers or
roll-call rows changes in a way that counts: whatever the writer (a form, sync, a bulk insert),
figures never outlive what they were computed from; missing ones are computed again when next read.
A signed visit never changes (DESIGN §4), so its figures, once made, stay.
"""

from __future__ import annotations

import uuid

from sqlmodel import Field, SQLModel


class VisitTally(SQLModel, table=True):
    __tablename__ = "visit_tally"
    __table_args__ = {"sqlite_with_rowid": False}  # looked up by visit: the key is the row
    visit_id: uuid.UUID = Field(primary_key=True)
    people: int = 0
    late: int = 0
    absent_without_reason: int = 0
    absent_with_reason: int = 0
    no_badge: int = 0
    no_name_plate: int = 0
    dress_not_ok: int = 0
    applicable_weight: float = 0.0  # summed weight of the scored, applicable answers
    failed_items: int = 0  # failing answers
    failed_weight: float = 0.0  # their summed weight
    topic_failures: int = 0  # of those, checklist topics (not items the roll call fills)


class VisitTallyItem(SQLModel, table=True):
    """A checklist topic the visit failed: how many failing answers and their summed value."""

    __tablename__ = "visit_tally_item"
    __table_args__ = {"sqlite_with_rowid": False}
    visit_id: uuid.UUID = Field(primary_key=True)
    item_code: str = Field(primary_key=True)
    n: int = 0
    amount: float | None = None
