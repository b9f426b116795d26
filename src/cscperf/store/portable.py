"""Portable SQL: definitions are written once (DuckDB's spelling, parameters as ``:name``) and
transpiled by SQLGlot for the engine that runs them."""

from __future__ import annotations

import re
from functools import lru_cache

import sqlglot
from sqlglot.errors import ParseError

from cscperf.core.errors import DefinitionError

SOURCE_DIALECT = "duckdb"
_PARAM = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=4096)
def transpile(sql: str, dialect: str) -> tuple[str, ...]:
    """Statements of ``sql`` in ``dialect`` ("duckdb" or "postgres")."""
    try:
        statements = sqlglot.transpile(sql, read=SOURCE_DIALECT, write=dialect, unsupported_level=sqlglot.ErrorLevel.RAISE)
    except (ParseError, sqlglot.errors.UnsupportedError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DefinitionError(f"SQL cannot be transpiled to {dialect}: {first}") from None
    return tuple(s for s in statements if s.strip())


def parameter_names(sql: str) -> set[str]:
    """The ``:name`` parameters a statement uses (ignores ``::`` casts)."""
    cleaned = sql.replace("::", "  ")
    return set(_PARAM.findall(cleaned))
