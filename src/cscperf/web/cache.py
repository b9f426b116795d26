"""A per-process cache of what the web app derives from the store, keyed by the store's state.

Why: the live lists and drill-downs are pure functions of the canonical tables, which change only
when a load, an indicator run or a check run commits. Under 20 users the team page re-ran its five
lists (30-90 ms of DuckDB each on the large council) for every request. Each request now reads the
store's *state* once - the loads, indicator runs and check runs committed - and a list or drill-down
already computed for that state, scope and page is reused; a new load, run or check changes the
state, so nothing stale is ever served. The cache holds only what a request of the same scope was
already shown; the audit log is still written by every request (the view does that, not this).

``CSCPERF_WEB_CACHE`` sets the number of entries kept (default 512; 0 turns the cache off).
Django-free, so the lists can use it from tests without a configured app.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from cscperf.store import Engine

T = TypeVar("T")

STATE_SQL = (
    "SELECT COUNT(*) AS loads, MAX(load_id) AS last_load, MAX(finished_at) AS refreshed, MAX(as_at) AS as_at, "
    "(SELECT MAX(run_id) FROM indicator_run) AS last_run, (SELECT MAX(check_id) FROM check_run) AS last_check "
    "FROM load WHERE status = 'loaded'"
)


class StateCache:
    """A small thread-safe LRU. A missing entry is computed once: threads asking for it meanwhile
    wait for that computation instead of each running the same queries (20 users arriving after a
    load would otherwise all compute the same lists at once, each slower for the others)."""

    def __init__(self, size: int):
        self.size = size
        self.lock = threading.Lock()
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.pending: dict[Hashable, threading.Lock] = {}
        self.hits = self.misses = 0

    def _lookup(self, key: Hashable) -> tuple[bool, Any]:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                self.hits += 1
                return True, self.entries[key]
            return False, self.pending.setdefault(key, threading.Lock())

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if self.size <= 0:
            return compute()
        found, value = self._lookup(key)
        if found:
            return value
        with value:  # this key's computation: one thread at a time
            found, again = self._lookup(key)
            if found:  # another thread computed it while this one waited
                return again
            with self.lock:
                self.misses += 1
            result = compute()  # an exception leaves nothing cached; the next caller tries again
            with self.lock:
                self.entries[key] = result
                self.pending.pop(key, None)
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)
            return result

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_cache = StateCache(int(os.environ.get("CSCPERF_WEB_CACHE", "512")))
_STATE = "_cscperf_web_state"  # kept on the engine, which lives for one request


def store_state(engine: Engine) -> tuple:
    """The committed loads, indicator runs and check runs, read once per engine (one request)."""
    state = getattr(engine, _STATE, None)
    if state is None:
        state = tuple(engine.execute(STATE_SQL).rows()[0])
        setattr(engine, _STATE, state)
    return state


def seed_state(engine: Engine, state: tuple) -> None:
    """Use a state already read while the store cannot have changed (``cscperf.web.data``)."""
    setattr(engine, _STATE, state)


def forget_state(engine: Engine) -> None:
    """Read the state again on the next call (an engine that outlives one request)."""
    if hasattr(engine, _STATE):
        delattr(engine, _STATE)


def cached(engine: Engine, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` for this store state and ``key``, reused while the state is unchanged."""
    if _cache.size <= 0:
        return compute()
    return _cache.get((store_state(engine), key), compute)


def cache() -> StateCache:
    return _cache
