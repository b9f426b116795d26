"""Small rule files and stores for the rules tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from cscperf.store.rows import to_arrow

PARAMS = {"collection_start": "2024-04-01", "collection_end": "2025-03-31", "reference_date": "2025-03-31",
          "collection_year": 2025, "la_code": "999"}


def rule_doc(code: str, year: str, sql: str, *, message: str | None = None, rule_type: str = "error",
             fail_tables: dict | None = None, fail_expect: list | None = None, ret: str = "cin") -> dict:
    return {
        "id": f"{ret}.{year}.{code}", "kind": "rule", "return": ret, "code": code, "type": rule_type,
        "title": message or f"rule {code}", "message": message or f"rule {code}",
        "tables": ["ChildIdentifiers"], "fields": ["Sex"],
        "queries": {"failures": sql},
        "fixtures": [
            {"name": "pass", "params": PARAMS, "tables": {}, "expect": {"failures": []}},
            {"name": "fail", "params": PARAMS, "tables": fail_tables or {"child": [{"child_id": "A"}]},
             "expect": {"failures": fail_expect if fail_expect is not None else [{"child_id": "A"}]}},
        ],
    }


SEX_MISSING = ("SELECT c.child_id, 'ChildIdentifiers' AS table_name, c.source_file, c.source_row, "
               "'Sex' AS fields, c.sex AS field_values FROM child c WHERE c.sex IS NULL")
SEX_CHANGED = ("SELECT c.child_id, 'ChildIdentifiers' AS table_name, c.source_file, c.source_row, 'Sex' AS fields, "
               "p.sex || ';' || c.sex AS field_values FROM child c JOIN prev_child p ON p.child_id = c.child_id "
               "WHERE p.sex <> c.sex")


def write_rule(root: Path, ret: str, year: str, doc: dict) -> Path:
    folder = root / ret / year
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc['code']}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def write_ruleset(root: Path, ret: str, year: str, inherits: str | None = None, deleted: list[str] | None = None) -> None:
    folder = root / ret / year
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ruleset.yaml").write_text(
        yaml.safe_dump({"return": ret, "year": year, "inherits": inherits, "deleted": deleted or []}), encoding="utf-8")


def add_load(engine, load_id: int, fmt: str = "cin", status: str = "loaded", as_at: str = "2025-03-31",
             year: str | None = None, file: str | None = None) -> None:
    engine.insert("load", to_arrow("load", [{"load_id": load_id, "started_at": "2025-05-01 09:00:00", "loaded_by": "t",
                                              "status": status, "source_format": fmt, "as_at": as_at}]))
    engine.insert("load_file", to_arrow("load_file", [{"load_id": load_id, "source_file": file or f"return{load_id}.xml",
                                                        "sha256": f"h{load_id}", "collection_year": year}]))


def insert(engine, table: str, rows: list[dict], load_id: int | None = None, file: str | None = None) -> None:
    out = []
    for i, row in enumerate(rows, 1):
        extra = {"load_id": load_id, "source_file": file or f"return{load_id}.xml", "source_row": i} if load_id is not None else {}
        out.append({**extra, **row})
    engine.insert(table, to_arrow(table, out))
    if table == "child":
        # The runner checks a return on its own child rows, which the loader keeps in child_source.
        engine.insert("child_source", to_arrow("child_source", out))
