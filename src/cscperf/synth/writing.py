"""The return writers, looked up lazily: each lives in cscperf.returns (built by other stages) and
turns canonical tables into the files councils send. A writer that is not installed yet is reported,
not fatal, so the simulation and its truth tables are usable on their own."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

CIN_DIR = "cin"  # cin/cin_census_<yyyy>.xml
SSDA903_DIR = "ssda903"  # ssda903/ssda903_<yyyy_yy>_<Table>.csv (the writer's names)
WORKFORCE_DIR = "workforce"
SURVEY_DIR = "survey"
OFSTED_DIR = "ofsted"  # ofsted/ofsted_providers.csv: Ofsted's provider register, for the 903 URN rules
ANNEX_A_FILE = "annex_a.xlsx"


def cin_file(year: int) -> str:
    return f"{CIN_DIR}/cin_census_{year}.xml"


def ssda903_file(year: int, table: str) -> str:
    return f"{SSDA903_DIR}/ssda903_{year - 1}_{year % 100:02d}_{table}.csv"


@dataclass(frozen=True)
class Writer:
    name: str
    module: str
    call: Callable[..., list]  # (write function, tables, out, la_code, as_at, years) -> paths


def _per_year(sub: str):
    def call(write, tables, out: Path, la_code: str, as_at: date, years: list[int]) -> list:
        paths: list = []
        for year in years:
            paths += list(write(tables, out / sub, la_code=la_code, collection_year=year))
        return paths
    return call


WRITERS = (
    Writer("CIN census", "cscperf.returns.cin_census", _per_year(CIN_DIR)),
    Writer("SSDA903", "cscperf.returns.ssda903", _per_year(SSDA903_DIR)),
    Writer("Annex A", "cscperf.returns.annex_a", lambda w, t, out, la, as_at, ys: list(w(t, out / ANNEX_A_FILE, as_at=as_at))),
    Writer("workforce census", "cscperf.returns.csww", lambda w, t, out, la, as_at, ys: list(w(t, out / WORKFORCE_DIR, la_code=la, as_at=as_at))),
    Writer("HR extracts", "cscperf.returns.hr", lambda w, t, out, la, as_at, ys: list(w(t, out / WORKFORCE_DIR, as_at=as_at))),
    Writer("staff survey", "cscperf.returns.survey", lambda w, t, out, la, as_at, ys: list(w(t, out / SURVEY_DIR))),
    Writer("Ofsted provider register", "cscperf.returns.ofsted_providers",
           lambda w, t, out, la, as_at, ys: list(w(t, out / OFSTED_DIR, as_at=as_at))),
)


def write_returns(
    tables: Mapping[str, pa.Table], out: Path, *, la_code: str, as_at: date, years: list[int],
    say: Callable[[str], None] = print,
) -> dict[str, list | None]:
    """Call every writer; returns {writer name: paths written, or None if not available yet}."""
    done: dict[str, list | None] = {}
    for writer in WRITERS:
        try:
            module = importlib.import_module(writer.module)
        except ImportError:
            say(f"{writer.name}: writer not available yet ({writer.module}); skipped")
            done[writer.name] = None
            continue
        done[writer.name] = writer.call(module.write, tables, out, la_code, as_at, years)
    return done
