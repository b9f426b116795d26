"""What an indicator IS: a definition file read and checked against the indicator contract.

Contract (see docs/indicators.md): a monthly indicator has a ``numerator`` query and, unless it is a
count or a rate per 10,000, a ``denominator`` query. Each query reads the ``periods`` table (one row
per reported month: ``month_start``, ``period_start``, ``period_end``) and returns ONE ROW PER
COUNTED RECORD per month with the columns ``period_end, record_id, child_id, team_id, worker_id,
value`` (value 1 for counts, a number for sums and means). The engine attributes, aggregates and
divides; what the SQL counts stays readable and drillable.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cscperf.core.errors import DefinitionError
from cscperf.indicators.periods import PERIOD_TYPES
from cscperf.registry.definition import Definition, parse_definition

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~8x faster, same results

RECORD_COLUMNS = ("period_end", "record_id", "child_id", "team_id", "worker_id", "value")
AREAS = ("front_door", "assessment", "child_protection", "children_in_care", "care_leavers", "adoption", "workforce", "survey")
POLARITIES = ("up", "down", "none")
UNITS = {
    # unit: how the value is made from the summed numerator and denominator
    "percent": "percent",
    "rate_per_10k": "rate",
    "count": "sum",
    "gbp": "sum",
    "days": "ratio",
    "ratio": "ratio",
    "fte": "ratio",
}
LEVELS = ("council", "team", "worker")
COUNTS = ("records", "children", "workers", "fte", "days", "responses")


@dataclass(frozen=True)
class Indicator:
    definition: Definition
    area: str
    polarity: str
    unit: str
    period: str
    counts: str
    breakdowns: tuple[str, ...]
    results: tuple[dict[str, Any] | None, ...]  # per fixture: expected council figure

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def aggregation(self) -> str:
        return UNITS[self.unit]

    @property
    def monthly(self) -> bool:
        return self.period != "survey"

    @property
    def has_denominator(self) -> bool:
        return "denominator" in self.definition.queries


def definitions_folder() -> Path:
    return Path(str(resources.files("cscperf.indicators").joinpath("definitions")))


def _require(doc: dict, key: str, allowed, where: str) -> Any:
    value = doc.get(key)
    if value not in allowed:
        raise DefinitionError(f"{where}: {key} must be one of {', '.join(map(str, allowed))}, got {value!r}")
    return value


def parse_indicator(doc: Any, where: str, area: str) -> Indicator:
    if not isinstance(doc, dict):
        raise DefinitionError(f"{where}: a definition is a YAML mapping")
    fixtures = doc.get("fixtures") or []
    results = tuple(fx.pop("result", None) if isinstance(fx, dict) else None for fx in fixtures)
    definition = parse_definition(doc, where)
    if definition.kind != "indicator":
        raise DefinitionError(f"{where}: kind must be indicator")
    if not definition.id.startswith(f"{area}."):
        raise DefinitionError(f"{where}: id must start with the area folder {area!r}")
    for key in ("description", "source"):
        if not str(doc.get(key) or "").strip():
            raise DefinitionError(f"{where}: missing {key}")
    polarity = _require(doc, "polarity", POLARITIES, where)
    unit = _require(doc, "unit", tuple(UNITS), where)
    period = _require(doc, "period", (*PERIOD_TYPES, "survey"), where)
    breakdowns = tuple(doc.get("breakdowns") or LEVELS)
    if not set(breakdowns) <= set(LEVELS) or "council" not in breakdowns:
        raise DefinitionError(f"{where}: breakdowns are a list drawn from {', '.join(LEVELS)} including council")
    counts = _require(doc, "counts", COUNTS, where)
    for key in ("carry_forward", "supplementary"):
        tables = doc.get(key) or []
        if not isinstance(tables, list) or not all(isinstance(t, str) for t in tables):
            raise DefinitionError(f"{where}: {key} is a list of table names")
    if not definition.fixtures:
        raise DefinitionError(f"{where}: every indicator carries fixtures with hand-computed values")
    if period != "survey":
        if "numerator" not in definition.queries:
            raise DefinitionError(f"{where}: a monthly indicator needs a numerator query")
        needs_den = UNITS[unit] in ("percent", "ratio")
        if needs_den != ("denominator" in definition.queries):
            raise DefinitionError(
                f"{where}: unit {unit} {'needs' if needs_den else 'takes no'} denominator query"
            )
        extra = set(definition.queries) - {"numerator", "denominator"}
        if extra:
            raise DefinitionError(f"{where}: unknown query {sorted(extra)[0]!r} (numerator, denominator)")
    return Indicator(definition, area, polarity, unit, period, counts, breakdowns, results)


def load_indicator(path: Path) -> Indicator:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError:
        raise DefinitionError(f"{path}: not valid YAML") from None
    area = path.parent.name
    if area not in AREAS:
        raise DefinitionError(f"{path}: folder must be one of {', '.join(AREAS)}")
    indicator = parse_indicator(doc, str(path), area)
    definition = Definition(**{**indicator.definition.__dict__, "path": path})
    return Indicator(**{**indicator.__dict__, "definition": definition})


def load_library(folder: Path | None = None) -> list[Indicator]:
    """Every indicator definition, sorted by id; ids are unique."""
    found: dict[str, Indicator] = {}
    for path in sorted((folder or definitions_folder()).rglob("*.yaml")):
        indicator = load_indicator(path)
        if indicator.id in found:
            raise DefinitionError(f"{path}: id {indicator.id!r} is already defined")
        found[indicator.id] = indicator
    return [found[k] for k in sorted(found)]


@lru_cache(maxsize=1)
def library() -> tuple[Indicator, ...]:
    return tuple(load_library())


def get(indicator_id: str) -> Indicator:
    for indicator in library():
        if indicator.id == indicator_id:
            return indicator
    raise DefinitionError(f"no indicator {indicator_id!r}; `cscperf indicators --list` shows them")
