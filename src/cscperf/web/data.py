"""Reading the store from the web app: one read-only engine per request, and the as-at date.

A DuckDB file is opened read-only for the length of a request, so `cscperf load` can take the
write lock between requests; with PostgreSQL the two never block each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.conf import settings

from cscperf.store import Engine, open_engine


@contextmanager
def store() -> Iterator[Engine]:
    engine = open_engine(settings.STORE, read_only=True)
    try:
        yield engine
    finally:
        engine.close()


def as_at(engine: Engine) -> date:
    """The date the lists are worked out for: the latest extract's as-at date, else today."""
    found = engine.execute("SELECT MAX(as_at) FROM load WHERE status = 'loaded'").scalar()
    return found or date.today()


def last_refreshed(engine: Engine):
    return engine.execute("SELECT MAX(finished_at) FROM load WHERE status = 'loaded'").scalar()
