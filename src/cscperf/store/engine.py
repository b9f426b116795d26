"""The engine adapter: one small interface over DuckDB (embedded, default) and PostgreSQL.

Callers write portable SQL with ``:name`` parameters and get an Arrow-backed ``Result``; the adapter
transpiles, binds and runs. Bulk writes go through ``insert`` (an Arrow table) so loads stay fast on
both engines. Everything a load writes happens inside ``with engine.transaction():``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pyarrow as pa

from cscperf.core.config import DatabaseTarget, resolve_db


class Result:
    """Rows from a statement, held as an Arrow table."""

    def __init__(self, table: pa.Table | None):
        self.table = table if table is not None else pa.table({})

    @property
    def columns(self) -> list[str]:
        return list(self.table.column_names)

    def rows(self) -> list[tuple]:
        cols = [self.table.column(i).to_pylist() for i in range(self.table.num_columns)]
        return list(zip(*cols)) if cols else []

    def dicts(self) -> list[dict[str, Any]]:
        return self.table.to_pylist()

    def scalar(self) -> Any:
        rows = self.rows()
        return rows[0][0] if rows else None

    def __len__(self) -> int:
        return self.table.num_rows


class Engine(ABC):
    """What every stage uses to reach the store."""

    dialect: str
    target: DatabaseTarget

    def __init__(self) -> None:
        self._depth = 0

    @abstractmethod
    def execute(self, sql: str, params: Mapping[str, Any] | None = None, *, portable: bool = True) -> Result:
        """Run portable SQL (transpiled unless ``portable=False``) and return its rows."""

    @abstractmethod
    def insert(self, table: str, data: pa.Table) -> int:
        """Append an Arrow table's rows to ``table`` (columns by name); returns rows written."""

    @abstractmethod
    def _begin(self) -> None: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    @contextmanager
    def transaction(self) -> Iterator[Engine]:
        """All or nothing; nested blocks join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        self._commit()

    def table_columns(self) -> dict[str, list[tuple[str, str]]]:
        """{table: [(column, data type), …]} for the tables in the store, for checks and docs."""
        rows = self.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = :schema ORDER BY table_name, ordinal_position",
            {"schema": self.schema_name},
        ).rows()
        found: dict[str, list[tuple[str, str]]] = {}
        for table, column, data_type in rows:
            found.setdefault(table, []).append((column, data_type))
        return found

    @property
    def schema_name(self) -> str:
        return "main" if self.dialect == "duckdb" else "public"

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_engine(db: str | DatabaseTarget | None = None, *, read_only: bool = False) -> Engine:
    """Open the store named by a path, a ``postgresql://`` URL, ``CSCPERF_DB`` or the default.

    ``read_only`` lets readers (the web app) open a DuckDB file without taking its write lock.
    """
    target = db if isinstance(db, DatabaseTarget) else resolve_db(db)
    if target.kind == "postgres":
        from cscperf.store.postgres_engine import PostgresEngine

        return PostgresEngine(target)
    from cscperf.store.duckdb_engine import DuckDBEngine

    return DuckDBEngine(target, read_only=read_only)
