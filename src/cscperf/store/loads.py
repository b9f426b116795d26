"""The load registry: every load is recorded, and a load's writes happen in one transaction.

A load that fails is rolled back whole - the canonical tables are exactly as before - and then
recorded on its own as ``failed`` so the registry still shows the attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from cscperf.core.errors import CscperfError
from cscperf.store.engine import Engine
from cscperf.store.migrate import current_user, utc_now


@dataclass
class LoadOutcome:
    """What the work of a load reports back to the registry."""

    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    message: str = ""
    as_at: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    extra: dict = field(default_factory=dict)


def next_id(engine: Engine, table: str, column: str) -> int:
    return int(engine.execute(f"SELECT COALESCE(MAX({column}), 0) + 1 FROM {table}").scalar())


def run_load(
    engine: Engine,
    source_format: str,
    work: Callable[[int], LoadOutcome],
    *,
    record_failure: bool = True,
    load_id: int | None = None,
) -> tuple[int, LoadOutcome]:
    """Run ``work(load_id)`` inside one transaction with a registry row; roll back whole on error.

    ``load_id``: the number to use instead of the next free one (a loader writing several loads in one
    transaction, in whatever order their files finish reading, numbers them in advance)."""
    started = utc_now()
    user = current_user()
    try:
        with engine.transaction():
            if load_id is None:
                load_id = next_id(engine, "load", "load_id")
            engine.execute(
                "INSERT INTO load (load_id, started_at, loaded_by, status, source_format) "
                "VALUES (:id, :started, :user, 'running', :fmt)",
                {"id": load_id, "started": started, "user": user, "fmt": source_format},
            )
            outcome = work(load_id)
            engine.execute(
                "UPDATE load SET status = 'loaded', finished_at = :done, rows_read = :read, "
                "rows_loaded = :loaded, rows_rejected = :rejected, message = :message, as_at = :as_at, "
                "period_start = :ps, period_end = :pe WHERE load_id = :id",
                {
                    "done": utc_now(),
                    "read": outcome.rows_read,
                    "loaded": outcome.rows_loaded,
                    "rejected": outcome.rows_rejected,
                    "message": outcome.message,
                    "as_at": outcome.as_at,
                    "ps": outcome.period_start,
                    "pe": outcome.period_end,
                    "id": load_id,
                },
            )
    except CscperfError as exc:
        if record_failure:
            record_failed_load(engine, source_format, started, user, str(exc))
        raise
    return load_id, outcome


def record_failed_load(engine: Engine, source_format: str, started, user: str, message: str) -> int:
    with engine.transaction():
        load_id = next_id(engine, "load", "load_id")
        engine.execute(
            "INSERT INTO load (load_id, started_at, finished_at, loaded_by, status, source_format, message) "
            "VALUES (:id, :started, :done, :user, 'failed', :fmt, :message)",
            {"id": load_id, "started": started, "done": utc_now(), "user": user, "fmt": source_format, "message": message[:500]},
        )
    return load_id
