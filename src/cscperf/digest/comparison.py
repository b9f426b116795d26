"""Where a council stands on a published measure: England, its region, its statistical neighbours
(2021 and 2025 groupings; mean AND median, labelled), its rank among all councils and its quartile
band - for the latest published year and the one before.

Choices (docs/benchmarks.md): rank 1 is the best by the measure's polarity among the councils with a
published value that year; tied values share the better rank (1, 2, 2, 4). The quartile band comes
from the rank: A = ranks 1..n/4 (best quarter), B, C, D, i.e. band index floor((rank-1) * 4 / n).
Neighbours with no published value (suppressed or missing) are left out of the mean and median, and
are listed. A measure with no polarity gets no rank or band.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from cscperf.core.errors import DefinitionError
from cscperf.digest.dfe_files import ENGLAND, region_code
from cscperf.store.engine import Engine

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~8x faster, same results

BANDS = "ABCD"


@dataclass(frozen=True)
class Point:
    """A published value, or the marker shown in its place."""

    value: float | None
    marker: str | None = None

    @property
    def shown(self) -> str:
        if self.value is not None:
            return f"{self.value:g}"
        return self.marker or "–"


@dataclass(frozen=True)
class NeighbourSummary:
    sn_year: str
    mean: float | None
    median: float | None
    members: tuple[str, ...]
    missing: tuple[str, ...]  # neighbours without a published value

    @property
    def counted(self) -> int:
        return len(self.members) - len(self.missing)


@dataclass(frozen=True)
class YearPosition:
    time_period: str
    council: Point
    england: Point
    region: Point
    region_name: str | None
    neighbours: dict[str, NeighbourSummary] = field(default_factory=dict)
    rank: int | None = None
    ranked: int = 0
    band: str | None = None


@dataclass(frozen=True)
class MeasurePosition:
    measure_id: str
    la_code: str
    polarity: str
    latest: YearPosition | None
    previous: YearPosition | None


def period_end_year(period: str) -> int:
    """The year a published period ends in: '2025' and '2025 (Rev)' -> 2025, '2024-25' -> 2025,
    '2013/14-15/16' -> 2016. Used to order years within one measure."""
    first = re.search(r"\d{4}", period)
    if not first:
        return 0
    year = int(first.group())
    last = re.findall(r"\d{2,4}", period[first.end():])
    if not last:
        return year
    tail = last[-1]
    end = int(tail) if len(tail) == 4 else (year // 100) * 100 + int(tail)
    return end + 100 if end < year else end


def rank_and_band(values: dict[str, float], la_code: str, polarity: str) -> tuple[int | None, int, str | None]:
    """(rank, councils ranked, band) of ``la_code`` among ``values`` (council -> value)."""
    n = len(values)
    if polarity not in ("up", "down") or la_code not in values or n == 0:
        return None, n, None
    mine = values[la_code]
    better = sum(1 for v in values.values() if (v > mine if polarity == "up" else v < mine))
    rank = better + 1
    return rank, n, BANDS[min(3, (rank - 1) * 4 // n)]


def neighbour_summary(sn_year: str, members: list[str], values: dict[str, float]) -> NeighbourSummary:
    have = [values[m] for m in members if m in values]
    return NeighbourSummary(
        sn_year=sn_year,
        mean=statistics.fmean(have) if have else None,
        median=statistics.median(have) if have else None,
        members=tuple(members),
        missing=tuple(m for m in members if m not in values),
    )


def neighbours_of(engine: Engine, la_code: str) -> tuple[dict[str, list[str]], str | None]:
    """({sn_year: [neighbour codes, closest first]}, region name) from the imported groupings."""
    rows = engine.execute(
        "SELECT sn_year, sn_rank, neighbour_code, region_name FROM stat_neighbour WHERE la_code = :la "
        "ORDER BY sn_year, sn_rank",
        {"la": la_code},
    ).rows()
    groups: dict[str, list[str]] = {}
    region = None
    for sn_year, _, code, region_name in rows:
        groups.setdefault(sn_year, []).append(code)
        if region_name and (region is None or sn_year >= "2025"):
            region = region_name
    return groups, region


def position(engine: Engine, measure_id: str, la_code: str, polarity: str, scale: float = 1.0) -> MeasurePosition:
    """The council's position on one published measure, latest year and the one before."""
    rows = engine.execute(
        "SELECT time_period, area_level, area_code, area_name, value, marker FROM benchmark WHERE measure_id = :m",
        {"m": measure_id},
    ).rows()
    periods = sorted({r[0] for r in rows}, key=lambda p: (period_end_year(p), p))
    groups, region_name = neighbours_of(engine, la_code)
    region = region_code(region_name)

    def year(period: str) -> YearPosition:
        points: dict[str, Point] = {}
        names: dict[str, str] = {}
        la_values: dict[str, float] = {}
        for tp, level, code, name, value, marker in rows:
            if tp != period:
                continue
            scaled = None if value is None else value * scale
            points[code] = Point(scaled, marker)
            names[code] = name
            if level == "Local authority" and scaled is not None:
                la_values[code] = scaled
        rank, ranked, band = rank_and_band(la_values, la_code, polarity)
        return YearPosition(
            time_period=period,
            council=points.get(la_code, Point(None, None)),
            england=points.get(ENGLAND[0], Point(None, None)),
            region=points.get(region, Point(None, None)) if region else Point(None, None),
            region_name=names.get(region) if region else region_name,
            neighbours={y: neighbour_summary(y, members, la_values) for y, members in sorted(groups.items())},
            rank=rank,
            ranked=ranked,
            band=band,
        )

    latest = year(periods[-1]) if periods else None
    previous = year(periods[-2]) if len(periods) > 1 else None
    return MeasurePosition(measure_id, la_code, polarity, latest, previous)


@dataclass(frozen=True)
class MappedMeasure:
    indicator_id: str
    measures: tuple[str, ...]
    scale: float
    period: str
    note: str


@cache
def measure_map() -> dict[str, MappedMeasure]:
    """cscperf indicator id -> published measures (data/measure_map.yaml)."""
    text = resources.files("cscperf.digest").joinpath("data/measure_map.yaml").read_text(encoding="utf-8")
    found = {}
    for iid, spec in (yaml.load(text, Loader=_YAML_LOADER) or {}).items():
        if not spec.get("measures"):
            raise DefinitionError(f"measure_map.yaml: {iid} names no measure")
        found[iid] = MappedMeasure(iid, tuple(spec["measures"]), float(spec.get("scale", 1)),
                                   str(spec.get("period", "")), str(spec.get("note", "")))
    return found


def indicator_position(engine: Engine, indicator_id: str, polarity: str, la_code: str) -> MeasurePosition | None:
    """The benchmark of an indicator: the first mapped measure with a council value in its latest
    year (else the first with any data); None if the indicator is unmapped or nothing is imported."""
    mapped = measure_map().get(indicator_id)
    if mapped is None:
        return None
    fallback = None
    for measure_id in mapped.measures:
        found = position(engine, measure_id, la_code, polarity, mapped.scale)
        if found.latest is None:
            continue
        if found.latest.council.value is not None:
            return found
        fallback = fallback or found
    return fallback
