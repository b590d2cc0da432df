"""The SQLite writer lock: one holder at a time, handed to waiters in the order they came."""

from __future__ import annotations

import threading
import time

from armadito_server.db import FairLock


def wait_until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.001)


def test_waiters_get_the_lock_in_arrival_order():
    lock = FairLock()
    order: list[int] = []

    def take(number: int) -> None:
        with lock:
            order.append(number)

    lock.__enter__()
    threads = []
    for number in range(5):
        thread = threading.Thread(target=take, args=(number,))
        thread.start()
        threads.append(thread)
        # Start the next thread only once this one is queued, so arrival order is known.
        wait_until(lambda: len(lock._waiters) == number + 1)
    lock.__exit__(None, None, None)
    for thread in threads:
        thread.join(5)

    assert order == [0, 1, 2, 3, 4]


def test_one_holder_at_a_time_and_free_afterwards():
    lock = FairLock()
    inside = 0
    most_inside = 0
    guard = threading.Lock()

    def work() -> None:
        nonlocal inside, most_inside
        for _ in range(200):
            with lock:
                with guard:
                    inside += 1
                    most_inside = max(most_inside, inside)
                time.sleep(0)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert most_inside == 1
    assert not lock._held and not lock._waiters


def test_an_exception_inside_releases_the_lock():
    lock = FairLock()
    try:
        with lock:
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    acquired = threading.Event()
    thread = threading.Thread(target=lambda: (lock.__enter__(), acquired.set()))
    thread.start()
    assert acquired.wait(5)
