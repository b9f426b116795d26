"""The store connection: requests reuse one open DuckDB database, which is let go when the app is
idle so `cscperf load` can open the file for writing."""

from __future__ import annotations

import time

import pytest


def test_the_database_is_kept_open_between_requests_and_let_go_when_idle(web_store, monkeypatch):
    from cscperf.store import open_engine
    from cscperf.core.errors import StoreError
    from cscperf.web import data

    monkeypatch.setattr(data._anchor, "idle_seconds", 0.2)
    with data.store() as engine:
        assert engine.execute("SELECT COUNT(*) FROM team").scalar() == 2
    assert data._anchor.engine is not None  # still open for the next request
    with data.store() as engine:  # reuses the open database
        assert engine.execute("SELECT COUNT(*) FROM child").scalar() == 5
    # While the app holds the database, this process cannot open the file for writing ...
    with pytest.raises(StoreError):
        open_engine(str(web_store)).close()
    time.sleep(0.6)
    assert data._anchor.engine is None
    # ... and once it is idle, a writer can.
    writer = open_engine(str(web_store))
    assert writer.execute("SELECT COUNT(*) FROM team").scalar() == 2
    writer.close()
