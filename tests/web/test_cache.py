"""The web app's per-process cache: an LRU keyed by the store's state, so a load, an indicator run
or a check run makes every page compute afresh."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime

import pytest

from cscperf.web.cache import StateCache, cache, cached, forget_state, store_state


def test_lru_keeps_the_most_recently_used_entries():
    lru = StateCache(2)
    calls = []

    def compute(key):
        return lambda: calls.append(key) or key.upper()

    assert lru.get("a", compute("a")) == "A"
    assert lru.get("b", compute("b")) == "B"
    assert lru.get("a", compute("a")) == "A"  # hit: "a" becomes the newest
    assert lru.get("c", compute("c")) == "C"  # evicts "b", the least recently used
    assert lru.get("a", compute("a")) == "A"
    assert lru.get("b", compute("b")) == "B"
    assert calls == ["a", "b", "c", "b"]
    assert (lru.hits, lru.misses) == (2, 4)


def test_a_missing_entry_is_computed_once_however_many_threads_ask():
    lru = StateCache(8)
    calls = []
    started = threading.Barrier(6)

    def compute():
        calls.append(1)
        time.sleep(0.2)  # long enough for every other thread to arrive while it runs
        return "lists"

    def ask(out):
        started.wait()
        out.append(lru.get("team page", compute))

    got: list[str] = []
    threads = [threading.Thread(target=ask, args=(got,)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["lists"] * 6
    assert len(calls) == 1 and lru.misses == 1 and lru.hits == 5


def test_a_failed_computation_is_not_cached():
    lru = StateCache(8)

    def fail():
        raise ValueError("store unavailable")

    with pytest.raises(ValueError):
        lru.get("k", fail)
    assert lru.get("k", lambda: "ok") == "ok"


def test_size_zero_turns_the_cache_off():
    off = StateCache(0)
    calls = []
    for _ in range(3):
        off.get("k", lambda: calls.append(1))
    assert len(calls) == 3 and not off.entries


def _load(engine, load_id, status="loaded", as_at=date(2025, 3, 31)):
    engine.execute(
        "INSERT INTO load (load_id, started_at, finished_at, loaded_by, status, as_at) "
        "VALUES (:i, :t, :t, 'test', :s, :a)",
        {"i": load_id, "t": datetime(2025, 4, 1, 9, load_id), "s": status, "a": as_at})


def test_a_new_load_run_or_check_changes_the_state_and_the_cached_value(engine):
    cache().clear()
    calls = []

    def request(key="page"):
        # each request opens its own engine; here the same store, with the per-request state forgotten
        forget_state(engine)
        return cached(engine, key, lambda: calls.append(key) or len(calls))

    assert request() == 1
    assert request() == 1  # same state: reused
    _load(engine, 1)
    assert request() == 2
    assert store_state(engine)[:2] == (1, 1) and store_state(engine)[3] == date(2025, 3, 31)
    _load(engine, 2, status="failed")  # a failed load changed nothing
    assert request() == 2
    engine.execute("INSERT INTO indicator_run (run_id, computed_at, first_month, last_month) "
                   "VALUES (1, :t, :m, :m)", {"t": datetime(2025, 4, 2), "m": date(2025, 3, 1)})
    assert request() == 3
    engine.execute("INSERT INTO check_run (check_id, checked_at, return_type, collection_year) "
                   "VALUES (1, :t, 'cin', '2024_25')", {"t": datetime(2025, 4, 3)})
    assert request() == 4
    assert request("another page") == 5
    assert calls == ["page"] * 4 + ["another page"]
