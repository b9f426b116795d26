"""Import DfE's published statistics into the `benchmark` table (and statistical neighbour groupings
into `stat_neighbour`), so the digest can compare a council with England, its region and neighbours.

Values are kept exactly as published; a suppressed or missing cell keeps its marker (c, x, z, :, -)
and a null value - it is never read as zero. Importing a file replaces the rows of the measures it
carries (a newer download supersedes an older one) and is all or nothing.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from cscperf.core.errors import CscperfError, DefinitionError, InputError, Location
from cscperf.digest import dfe_files
from cscperf.digest.dfe_files import FileKind
from cscperf.store.engine import Engine
from cscperf.store.rows import arrow_schema, to_arrow

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~8x faster, same results

DEFAULT_LA = "883"
SN_YEARS = {"sn2021": "2021", "sn2025": "2025"}


@dataclass(frozen=True)
class PublishedMeasure:
    id: str
    kind: str
    column: str
    title: str
    filter: tuple[tuple[str, str], ...] = ()


@cache
def published_measures() -> dict[str, PublishedMeasure]:
    """The EES measures cscperf extracts (data/published_measures.yaml)."""
    text = resources.files("cscperf.digest").joinpath("data/published_measures.yaml").read_text(encoding="utf-8")
    found = {}
    kinds = {k.key for k in dfe_files.KINDS}
    for mid, spec in (yaml.load(text, Loader=_YAML_LOADER) or {}).items():
        if spec["kind"] not in kinds:
            raise DefinitionError(f"published measure {mid}: unknown file kind {spec['kind']!r}")
        filt = tuple(sorted((str(k), str(v)) for k, v in (spec.get("filter") or {}).items()))
        found[mid] = PublishedMeasure(mid, spec["kind"], spec["column"], spec.get("title", mid), filt)
    return found


@dataclass
class ImportSummary:
    """What one import did, per file."""

    files: list[tuple[str, str, int]] = field(default_factory=list)  # (file, kind title, rows)

    @property
    def rows(self) -> int:
        return sum(r for _, _, r in self.files)


def import_files(engine: Engine, paths: Sequence[Path]) -> ImportSummary:
    """Recognise and import each file (a folder or an EES zip stands for the DfE files in it); every
    file is read before anything is written, and the writes happen in one transaction."""
    with tempfile.TemporaryDirectory(prefix="cscperf-dfe-") as scratch:
        return _import(engine, _expand(paths, Path(scratch)))


def _import(engine: Engine, files: list[Path]) -> ImportSummary:
    prepared: list[tuple[Path, FileKind, str, pa.Table]] = []
    for path in files:
        kind = dfe_files.recognise(path)
        if kind.family in ("sn2021", "sn2025"):
            prepared.append((path, kind, "stat_neighbour", _neighbour_table(path, kind)))
        elif kind.family == "lait":
            prepared.append((path, kind, "benchmark", _lait_table(path)))
        else:
            table = _ees_table(path, kind)
            if table.num_rows:
                prepared.append((path, kind, "benchmark", table))
    summary = ImportSummary()
    with engine.transaction():
        for path, kind, target, table in prepared:
            if target == "stat_neighbour":
                sn_year = SN_YEARS[kind.key]
                engine.execute("DELETE FROM stat_neighbour WHERE sn_year = :y", {"y": sn_year})
            else:
                _delete_measures(engine, sorted(set(table.column("measure_id").to_pylist())))
            engine.insert(target, table)
            summary.files.append((path.name, kind.title, table.num_rows))
    return summary


def _expand(paths: Sequence[Path], scratch: Path) -> list[Path]:
    """Files as given; a folder, or a zip as EES's "download all data" gives it, stands for the DfE
    files in it (other files inside are skipped, not errors)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_recognised(sorted(path.iterdir())))
        elif path.suffix.lower() == ".zip":
            found.extend(_recognised(_unzip(path, scratch)))
        else:
            found.append(path)
    if not found:
        raise CscperfError("no DfE files to import (give EES CSVs, the LAIT parquet or a folder of them)")
    return found


def _recognised(candidates: Iterable[Path]) -> list[Path]:
    kept = []
    for child in candidates:
        if child.suffix.lower() in (".csv", ".parquet"):
            try:
                dfe_files.recognise(child)
            except InputError:
                continue
            kept.append(child)
    return kept


def _unzip(path: Path, scratch: Path) -> list[Path]:
    """The CSV and parquet members of a zip, written under their base names only (no path from the
    archive is trusted)."""
    out = []
    try:
        with zipfile.ZipFile(path) as archive:
            for n, info in enumerate(archive.infolist()):
                name = Path(info.filename).name
                if info.is_dir() or Path(name).suffix.lower() not in (".csv", ".parquet"):
                    continue
                target = scratch / f"{n:03d}" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(info))
                out.append(target)
    except zipfile.BadZipFile:
        raise InputError(Location(str(path)), "not a readable zip file") from None
    return out


def _delete_measures(engine: Engine, measure_ids: list[str]) -> None:
    for start in range(0, len(measure_ids), 200):
        chunk = measure_ids[start : start + 200]
        names = {f"m{i}": m for i, m in enumerate(chunk)}
        placeholders = ", ".join(f":{n}" for n in names)
        engine.execute(f"DELETE FROM benchmark WHERE measure_id IN ({placeholders})", names)


def _ees_table(path: Path, kind: FileKind) -> pa.Table:
    """Rows of every published measure that lives in this kind of file."""
    measures = [m for m in published_measures().values() if m.kind == kind.key]
    rows = []
    seen: dict[tuple[str, str, str], int] = {}
    source = f"{path.name} (EES: {kind.title})"
    for number, row in dfe_files.ees_rows(path):
        area = dfe_files.ees_area(row)
        if area is None:
            continue
        level, code, name = area
        period = (row.get("time_period") or "").strip()
        for m in measures:
            if any((row.get(col) or "").strip() != want for col, want in m.filter):
                continue
            if m.column not in row:
                raise InputError(Location(str(path), number, m.column), "column missing")
            key = (m.id, period, code)
            if key in seen:
                raise InputError(Location(str(path), number), f"second row for {m.id} {period} {code} (first at row {seen[key]})")
            seen[key] = number
            value, marker = dfe_files.parse_value(row.get(m.column))
            rows.append({
                "measure_id": m.id, "time_period": period, "area_level": level, "area_code": code,
                "area_name": name, "value": value, "marker": marker, "source": source,
            })
    return to_arrow("benchmark", rows)


def _lait_table(path: Path) -> pa.Table:
    """The LAIT long file, vectorised (600k+ rows): every short code, England, regions and LAs."""
    import pyarrow.parquet as pq

    raw = pq.read_table(path, columns=["Short Desc", "Years", "LA and Regions", "Values", "LA Number"])
    number = pc.cast(raw.column("LA Number"), pa.int64())
    years = pc.utf8_trim_whitespace(pc.cast(raw.column("Years"), pa.string()))
    keep = pc.and_(
        pc.and_(pc.is_valid(number), pc.invert(pc.is_in(number, pa.array(sorted(dfe_files.LAIT_SKIPPED_AREAS))))),
        pc.and_(pc.is_valid(raw.column("Short Desc")), pc.not_equal(years, "0")),
    )
    raw, number, years = raw.filter(keep), number.filter(keep), years.filter(keep)
    text = pc.utf8_trim_whitespace(pc.cast(raw.column("Values"), pa.string()))
    numeric = pc.fill_null(pc.match_substring_regex(text, dfe_files.NUMBER.pattern), False)
    value = pc.cast(pc.if_else(numeric, text, pa.scalar(None, pa.string())), pa.float64())
    empty = pc.fill_null(pc.equal(text, ""), True)
    marker = pc.if_else(numeric, pa.scalar(None, pa.string()), pc.if_else(empty, ":", text))

    national = {k: v for k, v in dfe_files.LAIT_AREAS.items()}
    codes = pa.array(list(national), pa.int64())
    is_named = pc.is_in(number, codes)
    idx = pc.index_in(number, codes)
    level = pc.if_else(is_named, pc.take(pa.array([v[0] for v in national.values()]), idx), "Local authority")
    code = pc.if_else(is_named, pc.take(pa.array([v[1] for v in national.values()]), idx), pc.cast(number, pa.string()))
    name = pc.if_else(is_named, pc.take(pa.array([v[2] for v in national.values()]), idx),
                      pc.utf8_trim_whitespace(raw.column("LA and Regions")))
    table = pa.table({
        "measure_id": pc.utf8_trim_whitespace(raw.column("Short Desc")),
        "time_period": years,
        "area_level": level,
        "area_code": code,
        "area_name": name,
        "value": value,
        "marker": marker,
        "source": pa.array([f"{path.name} (LAIT long format)"] * raw.num_rows, pa.string()),
    })
    return table.cast(arrow_schema("benchmark"))


def _neighbour_table(path: Path, kind: FileKind) -> pa.Table:
    sn_year = SN_YEARS[kind.key]
    rows = []
    for entry in dfe_files.neighbour_rows(path, kind):
        for rank, (code, closeness) in enumerate(entry.neighbours, start=1):
            rows.append({
                "sn_year": sn_year, "la_code": entry.la_code, "la_name": entry.la_name,
                "region_name": entry.region_name, "sn_rank": rank, "neighbour_code": code,
                "closeness": closeness, "source": f"{path.name} ({kind.title})",
            })
    return to_arrow("stat_neighbour", rows)


def measures_in_store(engine: Engine) -> list[str]:
    return [r[0] for r in engine.execute("SELECT DISTINCT measure_id FROM benchmark ORDER BY measure_id").rows()]


def summarise(summary: ImportSummary) -> Iterable[str]:
    for name, title, rows in summary.files:
        yield f"{name}: {title}, {rows} rows"
