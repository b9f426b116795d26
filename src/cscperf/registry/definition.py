"""What a definition file holds, and how it is read."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlglot
import yaml

from cscperf.core.errors import DefinitionError
from cscperf.store.portable import parameter_names, transpile

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~8x faster, same results

REQUIRED = ("id", "kind", "title", "queries")
ENGINES = ("duckdb", "postgres")


@dataclass(frozen=True)
class Fixture:
    """Small hand-made tables, parameters, and the rows each query must return."""

    name: str
    tables: dict[str, list[dict[str, Any]]]
    params: dict[str, Any]
    expect: dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Definition:
    id: str
    kind: str
    title: str
    queries: dict[str, str]
    fixtures: tuple[Fixture, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def description(self) -> str:
        return str(self.meta.get("description", "")).strip()

    def query(self, name: str) -> str:
        try:
            return self.queries[name]
        except KeyError:
            raise DefinitionError(f"{self.id}: no query named {name!r}") from None


def _fixtures(raw: Any, where: str) -> tuple[Fixture, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or "expect" not in item:
            raise DefinitionError(f"{where}: fixture {i} needs 'tables', 'params' and 'expect'")
        out.append(
            Fixture(
                name=str(item.get("name", f"fixture {i}")),
                tables={t: list(rows or []) for t, rows in (item.get("tables") or {}).items()},
                params=dict(item.get("params") or {}),
                expect={q: list(rows or []) for q, rows in item["expect"].items()},
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def _checked_folder() -> Path | None:
    """Where SQL already shown to transpile to every engine is remembered across processes (one empty
    file per text, keyed with the SQLGlot version): checking the ~430 rule files' SQL costs ~1.3 s of
    every ``cscperf load`` and ``check``. ``CSCPERF_CACHE_DIR=off`` turns it off, as for rule SQL."""
    setting = os.environ.get("CSCPERF_CACHE_DIR")
    if setting and setting.lower() == "off":
        return None
    base = Path(setting) if setting else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cscperf"
    return base / "definitions-sql"


def _checked_marker(sql: str) -> Path | None:
    folder = _checked_folder()
    if folder is None:
        return None
    key = hashlib.sha256(f"{sqlglot.__version__}\0{','.join(ENGINES)}\0{sql}".encode()).hexdigest()
    return folder / key[:2] / key


def _mark(marker: Path | None) -> None:
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # no cache: the SQL is checked again next time


def parse_definition(doc: Any, where: str) -> Definition:
    if not isinstance(doc, dict):
        raise DefinitionError(f"{where}: a definition is a YAML mapping")
    missing = [k for k in REQUIRED if not doc.get(k)]
    if missing:
        raise DefinitionError(f"{where}: missing {', '.join(missing)}")
    queries = doc["queries"]
    if not isinstance(queries, dict) or not all(isinstance(v, str) for v in queries.values()):
        raise DefinitionError(f"{where}: 'queries' maps names to SQL text")
    for name, sql in queries.items():
        marker = _checked_marker(sql)
        if marker is not None and marker.exists():
            continue
        for engine in ENGINES:
            try:
                transpile(sql, engine)
            except DefinitionError as exc:
                raise DefinitionError(f"{where}: query {name}: {exc}") from None
        _mark(marker)
    fixtures = _fixtures(doc.get("fixtures", doc.get("fixture")), where)
    for fx in fixtures:
        unknown = set(fx.expect) - set(queries)
        if unknown:
            raise DefinitionError(f"{where}: fixture {fx.name!r} expects unknown query {sorted(unknown)[0]!r}")
    meta = {k: v for k, v in doc.items() if k not in ("id", "kind", "title", "queries", "fixture", "fixtures")}
    return Definition(
        id=str(doc["id"]), kind=str(doc["kind"]), title=str(doc["title"]),
        queries=dict(queries), fixtures=fixtures, meta=meta, path=None,
    )


def load_definition(path: Path) -> Definition:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise DefinitionError(f"{path}{line}: not valid YAML") from None
    definition = parse_definition(doc, str(path))
    return Definition(**{**definition.__dict__, "path": path})


def load_definitions(folder: Path, kind: str | None = None) -> list[Definition]:
    """Every ``*.yaml`` definition under ``folder`` (sorted by id); ids must be unique."""
    found: dict[str, Definition] = {}
    for path in sorted(folder.rglob("*.yaml")):
        definition = load_definition(path)
        if kind and definition.kind != kind:
            raise DefinitionError(f"{path}: kind is {definition.kind!r}, expected {kind!r}")
        if definition.id in found:
            raise DefinitionError(f"{path}: id {definition.id!r} is already defined in {found[definition.id].path}")
        found[definition.id] = definition
    return [found[k] for k in sorted(found)]


def parameters(definition: Definition) -> set[str]:
    names: set[str] = set()
    for sql in definition.queries.values():
        names |= parameter_names(sql)
    return names


def ids(definitions: Iterable[Definition]) -> list[str]:
    return [d.id for d in definitions]
