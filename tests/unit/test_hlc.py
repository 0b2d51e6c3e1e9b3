"""The hybrid logical clock orders edits across devices whose wall clocks disagree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.core.hlc import HybridClock, Stamp


class FakeWall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_increase_even_when_the_wall_clock_stands_still_or_goes_back() -> None:
    wall = FakeWall(1_700_000_000_000)
    clock = HybridClock("a1", wall)
    first = clock.now()
    second = clock.now()
    wall.ms -= 60_000  # the laptop's clock is set back a minute
    third = clock.now()
    assert first < second < third
    assert Stamp.parse(third).wall_ms == 1_700_000_000_000


def test_a_device_with_a_slow_clock_still_orders_after_what_it_has_seen() -> None:
    fast = HybridClock("fast", FakeWall(2_000_000_000_000))
    slow = HybridClock("slow", FakeWall(1_000_000_000_000))
    remote = fast.now()
    slow.observe(remote)
    local = slow.now()
    assert local > remote
    assert local.endswith("-slow")


def test_stamp_text_round_trips_and_sorts_like_the_tuple() -> None:
    a, b = Stamp(1, 2, "x"), Stamp(1, 10, "x")
    assert str(a) < str(b)
    assert Stamp.parse(str(b)) == b


@pytest.mark.parametrize("bad", ["", "abc", "1-2-x", "0000000000001-1-x", "0000000000001-00001-"])
def test_malformed_stamps_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        Stamp.parse(bad)


def test_device_tag_cannot_contain_the_separator() -> None:
    with pytest.raises(ValueError):
        HybridClock("a-b")


def test_counter_overflow_borrows_the_next_millisecond() -> None:
    clock = HybridClock("d", FakeWall(5))
    stamps = [clock.now() for _ in range(100_002)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(-5_000, 5_000), st.booleans()),
        min_size=1,
        max_size=60,
    )
)
def test_causality_holds_across_three_devices(events: list[tuple[int, int, int, bool]]) -> None:
    """Whatever the clocks do, a stamp made after seeing another sorts after it."""
    walls = [FakeWall(1_000_000_000_000 + i * 777) for i in range(3)]
    clocks = [HybridClock(f"d{i}", walls[i]) for i in range(3)]
    last_seen: list[str | None] = [None, None, None]
    for sender, receiver, drift, deliver in events:
        walls[sender].ms += drift
        stamp = clocks[sender].now()
        if last_seen[sender] is not None:
            assert stamp > last_seen[sender]
        last_seen[sender] = stamp
        if deliver:
            clocks[receiver].observe(stamp)
            after = clocks[receiver].now()
            assert after > stamp
            last_seen[receiver] = after
