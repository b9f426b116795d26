"""Versioned migrations: ``migrations/NNNN_name.sql`` files of portable DDL, applied in order, once.

A new column or table is a new migration plus the matching change in ``schema/*.yaml``; a test
applies every migration to an empty store and compares the result with the YAML.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib import resources

import pyarrow as pa

from cscperf.core import workdays
from cscperf.core.errors import StoreError
from cscperf.store.engine import Engine

BOOKKEEPING = "schema_migrations"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available() -> list[Migration]:
    folder = resources.files("cscperf.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql") and entry.name[:4].isdigit():
            found.append(Migration(int(entry.name[:4]), entry.name[5:-4], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise StoreError("two migrations share a version number")
    return found


def applied(engine: Engine) -> set[int]:
    if BOOKKEEPING not in engine.table_columns():
        return set()
    return {row[0] for row in engine.execute(f"SELECT version FROM {BOOKKEEPING}").rows()}


def migrate(engine: Engine) -> list[Migration]:
    """Apply the migrations the store lacks, each in its own transaction; returns those applied."""
    engine.execute(
        f"CREATE TABLE IF NOT EXISTS {BOOKKEEPING} (version BIGINT PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL)"
    )
    done = applied(engine)
    newly = []
    for migration in available():
        if migration.version in done:
            continue
        with engine.transaction():
            engine.execute(migration.sql)
            engine.execute(
                f"INSERT INTO {BOOKKEEPING} (version, name, applied_at) VALUES (:version, :name, :at)",
                {"version": migration.version, "name": migration.name, "at": utc_now()},
            )
        newly.append(migration)
    if newly or not _calendar_filled(engine):
        refresh_calendar(engine)
    return newly


def _calendar_filled(engine: Engine) -> bool:
    return bool(engine.execute("SELECT COUNT(*) FROM calendar").scalar())


def refresh_calendar(engine: Engine, first: date = workdays.CALENDAR_START, last: date = workdays.CALENDAR_END) -> int:
    """Rewrite the working-day calendar from the ``holidays`` package."""
    days, working, index = [], [], []
    for d, w, i in workdays.calendar_rows(first, last):
        days.append(d)
        working.append(w)
        index.append(i)
    data = pa.table({"day": pa.array(days, pa.date32()), "is_working_day": working, "wd_index": pa.array(index, pa.int64())})
    with engine.transaction():
        engine.execute("DELETE FROM calendar")
        return engine.insert("calendar", data)


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
