"""Are two DuckDB stores the same, table by table? For proving a loader change changes no data.

    python bench/compare_stores.py A.duckdb B.duckdb

Every table of either store is compared as a multiset of rows: row count, and the sum and the XOR
of a hash of each row's values (so row order does not matter, duplicates do). Timestamp columns
(when a load ran) are left out and named; everything else, including load ids, source files and
rows, issue texts and rule findings, is compared. Exit code 1 when a table differs.
"""

from __future__ import annotations

import sys

import duckdb


def fingerprints(path: str) -> dict[str, tuple[int, int, int, tuple[str, ...]]]:
    con = duckdb.connect(path, read_only=True)
    try:
        out = {}
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        for table in names:
            cols = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()
            kept = [f'"{c}"' for c, t in cols if not t.startswith("TIMESTAMP")]
            dropped = tuple(c for c, t in cols if t.startswith("TIMESTAMP"))
            n, total, xor = con.execute(
                f"SELECT count(*), coalesce(sum(CAST(h AS HUGEINT)), 0), coalesce(bit_xor(h), 0) "
                f"FROM (SELECT hash({', '.join(kept)}) AS h FROM \"{table}\")").fetchone()
            out[table] = (n, int(total), int(xor), dropped)
        return out
    finally:
        con.close()


def main() -> int:
    a, b = sys.argv[1], sys.argv[2]
    left, right = fingerprints(a), fingerprints(b)
    differ = 0
    print(f"{'table':<32} {'rows A':>10} {'rows B':>10}  same")
    for table in sorted(set(left) | set(right)):
        x, y = left.get(table), right.get(table)
        same = x is not None and y is not None and x[:3] == y[:3]
        differ += not same
        note = f"  (left out: {', '.join(x[3])})" if x and x[3] else ""
        print(f"{table:<32} {x[0] if x else '-':>10} {y[0] if y else '-':>10}  {'yes' if same else 'NO'}{note}")
    print(f"{len(set(left) | set(right))} tables: {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
