"""Where the store is, and which council this is.

The database is named by ``--db`` or ``CSCPERF_DB``: a path selects an embedded DuckDB file, a
``postgresql://`` URL selects PostgreSQL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "cscperf.duckdb"


@dataclass(frozen=True)
class DatabaseTarget:
    kind: str  # "duckdb" or "postgres"
    location: str  # file path or URL

    @property
    def display(self) -> str:
        """The location without any password, safe to print and log."""
        if self.kind != "postgres":
            return self.location
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(self.location)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
            return urlunsplit(parts._replace(netloc=netloc))
        return self.location


def resolve_db(value: str | None) -> DatabaseTarget:
    """Turn ``--db`` (or ``CSCPERF_DB``, or the default) into a target."""
    raw = value or os.environ.get("CSCPERF_DB") or DEFAULT_DB
    if raw.startswith(("postgresql://", "postgres://")):
        return DatabaseTarget("postgres", raw)
    if "://" in raw:
        from cscperf.core.errors import StoreError

        scheme = raw.split("://", 1)[0]
        raise StoreError(f"unsupported database URL scheme {scheme!r}: use a file path (DuckDB) or postgresql://…")
    return DatabaseTarget("duckdb", str(Path(raw)))
