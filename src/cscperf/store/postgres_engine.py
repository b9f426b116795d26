"""PostgreSQL (psycopg 3): the server option, for councils that run the web app on a server."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import psycopg
import pyarrow as pa

from cscperf.core.config import DatabaseTarget
from cscperf.core.errors import StoreError
from cscperf.store.engine import Engine, Result
from cscperf.store.portable import transpile

_LITERAL_PERCENT = re.compile(r"%(?!\()")


class PostgresEngine(Engine):
    dialect = "postgres"

    def __init__(self, target: DatabaseTarget):
        super().__init__()
        self.target = target
        try:
            self.conn = psycopg.connect(target.location, autocommit=True, connect_timeout=10)
        except (psycopg.Error, ValueError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to PostgreSQL {target.display}: {reason}") from None

    def execute(self, sql: str, params: Mapping[str, Any] | None = None, *, portable: bool = True) -> Result:
        statements = transpile(sql, self.dialect) if portable else (sql,)
        last = None
        with self.conn.cursor() as cur:
            for statement in statements:
                if params:
                    used = {k: v for k, v in params.items() if f"%({k})s" in statement}
                    cur.execute(_LITERAL_PERCENT.sub("%%", statement), used)
                else:
                    cur.execute(statement)
                last = cur.description
            if last is None:
                return Result(None)
            names = [d.name for d in last]
            rows = cur.fetchall()
        columns = list(zip(*rows)) if rows else [[] for _ in names]
        return Result(pa.table({n: pa.array(list(c)) for n, c in zip(_unique(names), columns)}))

    def insert(self, table: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0
        columns = ", ".join(data.column_names)
        with self.conn.cursor() as cur:
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in zip(*(data.column(i).to_pylist() for i in range(data.num_columns))):
                    copy.write_row(row)
        return data.num_rows

    def _begin(self) -> None:
        self.conn.execute("BEGIN")

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n}_{seen[n]}")
        else:
            seen[n] = 0
            out.append(n)
    return out
