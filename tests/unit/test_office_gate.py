"""Pushes first (office/gate.py): one push at a time in the process; a pull waits while pushes
are queued, but not longer than its patience; only a few pulls build pages at once."""

from __future__ import annotations

import asyncio
import threading
import time

from inspector_app.office import gate as gate_module
from inspector_app.office.gate import PushFirst


async def _pull_after(gate: PushFirst, started: float) -> float:
    async with gate.pull():
        return time.monotonic() - started


def test_a_pull_waits_for_the_pushes_queued_before_it() -> None:
    gate = PushFirst(patience=10)
    release = threading.Event()
    holding = threading.Event()

    def push() -> None:
        with gate.push():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=push)
    thread.start()
    assert holding.wait(5)
    threading.Timer(0.3, release.set).start()
    waited = asyncio.run(_pull_after(gate, time.monotonic()))
    thread.join(5)
    assert 0.25 <= waited < 5 and gate.pushes == 0 and gate.pulls == 0


def test_a_pull_goes_anyway_when_its_patience_runs_out() -> None:
    gate = PushFirst(patience=0.2)
    with gate.push():  # a push that never ends, as far as the pull can tell
        waited = asyncio.run(_pull_after(gate, time.monotonic()))
    assert 0.15 <= waited < 2


def test_pushes_are_applied_one_at_a_time() -> None:
    gate = PushFirst()
    inside = 0
    most = 0
    lock = threading.Lock()

    def push() -> None:
        nonlocal inside, most
        with gate.push():
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.01)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=push) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert most == 1 and gate.pushes == 0


def test_only_a_few_pulls_build_pages_at_once() -> None:
    gate = PushFirst(pulls_at_once=2)
    inside = 0
    most = 0

    async def pull() -> None:
        nonlocal inside, most
        async with gate.pull():
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.02)
            inside -= 1

    async def many() -> None:
        await asyncio.gather(*(pull() for _ in range(7)))

    asyncio.run(many())
    assert most == 2 and gate.pulls == 0


def test_a_batch_waiting_for_its_predecessor_wakes_when_a_push_ends() -> None:
    gate = PushFirst()
    release = threading.Event()

    def push() -> None:
        with gate.push():
            release.wait(10)

    thread = threading.Thread(target=push)
    thread.start()
    threading.Timer(0.2, release.set).start()
    started = time.monotonic()
    gate.wait_for_push(10)
    woke = time.monotonic() - started
    thread.join(5)
    assert 0.15 <= woke < 5  # at the end of the push, not at the timeout
    started = time.monotonic()
    gate.wait_for_push(0.1)  # no push running: back at the timeout
    assert 0.08 <= time.monotonic() - started < 5


def test_a_laptops_pull_waits_its_patience_once_not_per_page() -> None:
    gate = PushFirst(patience=0.2)

    async def pages(laptop: str, n: int) -> list[float]:
        waits = []
        for _ in range(n):
            started = time.monotonic()
            async with gate.pull(laptop):
                waits.append(time.monotonic() - started)
        return waits

    with gate.push():  # pushes queued the whole time, as under a laptop's pipelined push
        first = asyncio.run(pages("lap-a", 4))
        other = asyncio.run(pages("lap-b", 1))
        time.sleep(gate_module.SESSION_GAP_SECONDS + 0.1)
        later = asyncio.run(pages("lap-a", 1))  # the next sync of the same laptop
    assert 0.15 <= first[0] < 2 and max(first[1:]) < 0.1  # later pages: no more waiting
    assert 0.15 <= other[0] < 2  # another laptop has its own patience
    assert 0.15 <= later[0] < 2  # and so has a sync that starts after a pause
