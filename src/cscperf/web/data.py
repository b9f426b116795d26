"""Reading the store from the web app: one read-only engine per request, and the as-at date.

A DuckDB file is opened read-only for the length of a request. Opening the database itself costs
tens of milliseconds (more on a large store) while a further connection to an already open database
costs a tenth of a millisecond, so while requests keep coming the process holds one extra
read-only connection (the *anchor*) and each request's connection reuses that database. The anchor
is closed after ``CSCPERF_WEB_IDLE_CLOSE`` seconds (default 2) without a request, which lets
`cscperf load` take the write lock whenever the app is quiet; with PostgreSQL the two never block
each other (bench/bench_web.py measured the difference, docs/web.md).

While the anchor holds a DuckDB file open, no other process can write it (DuckDB lets one writer
or many read-only readers open a file), so the store's state (``cscperf.web.cache``) is read once
per opening of the anchor rather than once per request; with PostgreSQL, once per request.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.conf import settings

from cscperf.store import Engine, open_engine
from cscperf.web.cache import seed_state, store_state


class _Anchor:
    """Keeps the DuckDB database open between overlapping and closely following requests."""

    def __init__(self, idle_seconds: float):
        self.idle_seconds = idle_seconds
        self.lock = threading.Lock()
        self.engine: Engine | None = None
        self.active = 0
        self.timer: threading.Timer | None = None
        self.state: tuple | None = None  # the store's state, valid while ``engine`` stays open

    def hold(self) -> None:
        with self.lock:
            self.active += 1
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
            if self.engine is None:
                self.engine = open_engine(settings.STORE, read_only=True)
                self.state = None

    def release(self) -> None:
        with self.lock:
            self.active -= 1
            if self.active == 0 and self.engine is not None:
                self.timer = threading.Timer(self.idle_seconds, self._close_if_idle)
                self.timer.daemon = True
                self.timer.start()

    def _close_if_idle(self) -> None:
        with self.lock:
            if self.active == 0 and self.engine is not None:
                self.engine.close()
                self.engine = None
                self.state = None
            self.timer = None


_anchor = _Anchor(float(os.environ.get("CSCPERF_WEB_IDLE_CLOSE", "2")))


def _anchored() -> bool:
    store = settings.STORE
    return store.kind == "duckdb" and store.location != ":memory:" and _anchor.idle_seconds > 0


@contextmanager
def store() -> Iterator[Engine]:
    anchored = _anchored()
    if anchored:
        _anchor.hold()
    try:
        engine = open_engine(settings.STORE, read_only=True)
        try:
            if anchored:
                if _anchor.state is None:
                    _anchor.state = store_state(engine)
                else:
                    seed_state(engine, _anchor.state)
            yield engine
        finally:
            engine.close()
    finally:
        if anchored:
            _anchor.release()


def as_at(engine: Engine) -> date:
    """The date the lists are worked out for: the latest extract's as-at date, else today."""
    return store_state(engine)[3] or date.today()


def last_refreshed(engine: Engine):
    return store_state(engine)[2]
