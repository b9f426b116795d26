"""Council configuration the indicators read: the council row (LA code, region, regional agency
hourly-rate cap) and its population aged 0-17 by year (ONS mid-year estimates for a real council,
the synthetic council's own figures otherwise)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from cscperf.core.errors import CscperfError, InputError, Location
from cscperf.store.engine import Engine
from cscperf.store.rows import to_arrow

ONS_COLUMNS = ("time_period", "geographic_level", "old_la_code", "age_group", "population_estimate")


def council_config(engine: Engine) -> dict[str, Any] | None:
    rows = engine.execute("SELECT la_code, la_name, new_la_code, region, agency_hourly_cap FROM council ORDER BY la_code").dicts()
    if not rows:
        return None
    config = rows[0]
    config["population"] = {int(r["year"]): int(r["children_0_17"]) for r in engine.execute(
        "SELECT year, children_0_17 FROM population WHERE la_code = :la ORDER BY year", {"la": config["la_code"]}).dicts()}
    return config


def set_council(engine: Engine, la_code: str, la_name: str, *, new_la_code: str | None = None, region: str | None = None,
                agency_hourly_cap: float | None = None) -> None:
    """Replace the council row (a store describes one council)."""
    if not la_code.strip() or not la_name.strip():
        raise CscperfError("the council needs an LA code and a name")
    if agency_hourly_cap is not None and agency_hourly_cap <= 0:
        raise CscperfError(f"agency hourly cap must be positive, got {agency_hourly_cap}")
    with engine.transaction():
        engine.execute("DELETE FROM council")
        engine.insert("council", to_arrow("council", [{"la_code": la_code, "la_name": la_name, "new_la_code": new_la_code,
                                                       "region": region, "agency_hourly_cap": agency_hourly_cap}]))


def set_population(engine: Engine, la_code: str, figures: dict[int, int], source: str) -> int:
    """Write children aged 0-17 for each year, replacing figures already held for those years."""
    for year, children in figures.items():
        if children <= 0:
            raise CscperfError(f"population for {year} must be positive, got {children}")
    with engine.transaction():
        for year in figures:
            engine.execute("DELETE FROM population WHERE la_code = :la AND year = :y", {"la": la_code, "y": year})
        engine.insert("population", to_arrow("population", [
            {"la_code": la_code, "year": y, "children_0_17": n, "source": source} for y, n in sorted(figures.items())]))
    return len(figures)


def read_ons_population(path: Path, la_code: str) -> dict[int, int]:
    """Children aged 0 to 17 by year for one council from DfE's EES copy of the ONS mid-year
    estimates (columns time_period, geographic_level, old_la_code, age_group, population_estimate)."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(Location(str(path)), f"cannot open: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ONS_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(Location(str(path), field=missing[0]), "not an ONS mid-year estimates file: column missing")
        found: dict[int, int] = {}
        for row_no, row in enumerate(reader, 1):
            if (row["geographic_level"] == "Local authority" and row["old_la_code"] == la_code
                    and "0 to 17" in row["age_group"]):
                try:
                    found[int(row["time_period"][:4])] = int(row["population_estimate"])
                except ValueError:
                    raise InputError(Location(str(path), row_no, "population_estimate"), "not a whole number",
                                     row["population_estimate"]) from None
    if not found:
        raise CscperfError(f"{path}: no population of children aged 0 to 17 for LA code {la_code}")
    return found
