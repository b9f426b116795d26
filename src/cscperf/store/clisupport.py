"""The ``--db`` option and opening the store it names, shared by every stage's commands (the layer
rules keep stages from importing ``cscperf.cli``, so this lives with the store)."""

from __future__ import annotations

import click

DB_HELP = "Store: a DuckDB file path (default ./cscperf.duckdb or $CSCPERF_DB) or a postgresql:// URL."


def db_option(func):
    """``--db`` on a subcommand; it overrides the group's ``--db``."""
    return click.option("--db", "db", default=None, metavar="PATH|URL", help=DB_HELP)(func)


def open_store(ctx: click.Context, db: str | None, *, migrate_first: bool = True):
    """Open the store named here or on the group, creating or upgrading its tables if needed."""
    from cscperf.core.config import resolve_db
    from cscperf.store import open_engine
    from cscperf.store.migrate import migrate

    engine = open_engine(resolve_db(db or (ctx.obj or {}).get("db")))
    ctx.call_on_close(engine.close)
    if migrate_first:
        migrate(engine)
    return engine
