"""The canonical model as data: table and column definitions read from ``schema/*.yaml``.

The YAML files are the single description of the model: the migrations must create exactly these
columns (a test checks it) and ``docs/data-model.md`` is generated from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~8x faster, same results

TYPES = ("text", "integer", "decimal", "date", "boolean", "timestamp")
GROUP_FILES = ("people.yaml", "front_door.yaml", "care.yaml", "workforce.yaml", "system.yaml")
PROVENANCE_SPECS = (
    "load_id: integer! Load that wrote the row (see load)",
    "source_file: text File the row came from",
    "source_row: integer Data row in that file (1-based; XML line for XML)",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    codes: str | None
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    group: str
    description: str
    key: tuple[str, ...]
    enforce_key: bool
    provenance: bool
    columns: tuple[Column, ...] = field(default_factory=tuple)
    merge_key: tuple[str, ...] = ()
    submitted: str | None = None  # the twin keeping this table's rows as their return sent them

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name}.{name}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class CodeList:
    name: str
    source: str
    values: dict[str, str]


def parse_column(name: str, spec: str) -> Column:
    """Parse ``"TYPE[!] [@codes] description"``."""
    head, _, rest = spec.strip().partition(" ")
    required = head.endswith("!")
    col_type = head.rstrip("!")
    if col_type not in TYPES:
        raise ValueError(f"column {name}: unknown type {col_type!r}")
    codes = None
    rest = rest.strip()
    if rest.startswith("@"):
        codes, _, rest = rest[1:].partition(" ")
    return Column(name, col_type, required, codes, rest.strip())


def _read(name: str) -> dict:
    text = resources.files("cscperf.store").joinpath("schema", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_YAML_LOADER)


SUBMITTED = "submitted_"
SUBMITTED_GROUP = "Returns as submitted"


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    """Every table of the model, in documentation order; a table marked ``submitted: true`` (a record
    table a statutory return writes) has a ``submitted_<name>`` twin with the same columns, listed last."""
    result: dict[str, Table] = {}
    twins: dict[str, Table] = {}
    for file_name in GROUP_FILES:
        doc = _read(file_name)
        for table_name, spec in doc["tables"].items():
            columns = [parse_column(n, s) for n, s in spec["columns"].items()]
            provenance = bool(spec.get("provenance", False))
            if provenance:
                for line in PROVENANCE_SPECS:
                    n, _, s = line.partition(": ")
                    columns.append(parse_column(n, s))
            result[table_name] = Table(
                name=table_name,
                group=doc["group"],
                description=spec["description"],
                key=tuple(spec["key"]),
                enforce_key=bool(spec.get("enforce_key", False)),
                provenance=provenance,
                columns=tuple(columns),
                merge_key=tuple(spec.get("merge_key", spec["key"])),
                submitted=f"{SUBMITTED}{table_name}" if spec.get("submitted") else None,
            )
            if spec.get("submitted"):
                twins[f"{SUBMITTED}{table_name}"] = Table(
                    name=f"{SUBMITTED}{table_name}", group=SUBMITTED_GROUP,
                    description=(f"`{table_name}` rows of a CIN census or SSDA903 load as the return sent them, "
                                 "kept when merging with another load's copy changed or removed them "
                                 "(the validation rules check a return as submitted)."),
                    key=tuple(spec["key"]), enforce_key=False, provenance=provenance, columns=tuple(columns),
                    merge_key=(),
                )
    return {**result, **twins}


@lru_cache(maxsize=1)
def code_lists() -> dict[str, CodeList]:
    doc = _read("codes.yaml")
    return {
        name: CodeList(name, spec.get("source", ""), {str(k): str(v) for k, v in (spec.get("values") or {}).items()})
        for name, spec in doc.items()
    }


def canonical_tables() -> list[str]:
    """Tables that hold council records (they carry provenance columns)."""
    return [t.name for t in tables().values() if t.provenance]


SQL_TYPES = {
    "text": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DOUBLE",
    "date": "DATE",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP",
}


def create_table_sql(table: Table) -> str:
    """Portable DDL (DuckDB spelling, transpiled per engine) for one table."""
    lines = []
    for col in table.columns:
        null = " NOT NULL" if col.required else ""
        lines.append(f"    {col.name} {SQL_TYPES[col.type]}{null}")
    if table.enforce_key:
        lines.append(f"    PRIMARY KEY ({', '.join(table.key)})")
    body = ",\n".join(lines)
    return f"CREATE TABLE {table.name} (\n{body}\n);"
