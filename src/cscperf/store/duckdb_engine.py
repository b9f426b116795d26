"""DuckDB: the embedded default, one file beside the user's work."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import count
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from cscperf.core.config import DatabaseTarget
from cscperf.core.errors import StoreError
from cscperf.store.engine import Engine, Result
from cscperf.store.portable import transpile

_names = count()


def _returns_rows(statement: str) -> bool:
    head = statement.lstrip().lstrip("(").split(None, 1)[0].upper() if statement.strip() else ""
    return head in {"SELECT", "WITH", "VALUES", "FROM", "DESCRIBE", "SHOW", "PRAGMA", "SUMMARIZE"} or " RETURNING " in statement.upper()


class DuckDBEngine(Engine):
    dialect = "duckdb"

    def __init__(self, target: DatabaseTarget, read_only: bool = False):
        super().__init__()
        self.target = target
        path = Path(target.location)
        if target.location != ":memory:" and not path.parent.exists():
            raise StoreError(f"cannot open {target.location}: folder {path.parent} does not exist")
        try:
            self.con = duckdb.connect(target.location, read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            reason = str(exc).splitlines()[0]
            raise StoreError(f"cannot open DuckDB store {target.location}: {reason}") from None

    def execute(self, sql: str, params: Mapping[str, Any] | None = None, *, portable: bool = True) -> Result:
        statements = transpile(sql, self.dialect) if portable else (sql,)
        result: Result = Result(None)
        for statement in statements:
            used = {k: v for k, v in params.items() if f"${k}" in statement} if params else None
            if _returns_rows(statement):
                result = Result(self.con.sql(statement, params=used or None).to_arrow_table())
            else:
                self.con.execute(statement, used or None)
                result = Result(None)
        return result

    def insert(self, table: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0
        view = f"_cscperf_insert_{next(_names)}"
        columns = ", ".join(data.column_names)
        self.con.register(view, data)
        try:
            self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view}")
        finally:
            self.con.unregister(view)
        return data.num_rows

    def _begin(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def _commit(self) -> None:
        self.con.execute("COMMIT")

    def _rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def close(self) -> None:
        self.con.close()
