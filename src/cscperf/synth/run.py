"""``cscperf synth`` without the command line: simulate each council of a profile, write its truth
tables (Parquet), a defective copy for the writers with its manifest, and the return files. National
runs go council by council into DIR/<la_code>/, so memory holds one council at a time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cscperf.core.errors import CscperfError
from cscperf.synth.council import simulate_council
from cscperf.synth.days import add_years, collection_years, to_day
from cscperf.synth.defects import inject, write_manifest
from cscperf.synth.draw import child_stream
from cscperf.synth.profiles import Council, councils
from cscperf.synth.writing import write_returns

DEFECT_STREAM = 99


@dataclass
class Summary:
    councils: int = 0
    rows: Counter = field(default_factory=Counter)
    defects: int = 0
    files: dict[str, int] = field(default_factory=dict)
    missing_writers: set[str] = field(default_factory=set)
    tables: dict[str, pa.Table] | None = None  # the single council's truth (not kept for national)


def write_truth(tables: dict[str, pa.Table], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(tables):
        pq.write_table(tables[name], folder / f"{name}.parquet", compression="zstd")


def synthesise(
    profile: str, *, seed: int, as_at: date, years: int, out: Path, defects: float = 0.0, la_code: str = "883",
    on_council: Callable[[Council, str], None] | None = None, say: Callable[[str], None] = print,
) -> Summary:
    if years < 1 or years > 12:
        raise CscperfError("--years must be between 1 and 12")
    if not 0 <= defects <= 0.5:
        raise CscperfError("--defects is a rate per record between 0 and 0.5")
    chosen = councils(profile, la_code)
    single = profile != "national"
    summary = Summary()
    written_years = collection_years(to_day(add_years(as_at, -years)), to_day(as_at))
    warned: set[str] = set()

    def say_once(line: str) -> None:
        if line not in warned:
            warned.add(line)
            say(line)

    for council in chosen:
        folder = out if single else out / council.la_code
        if on_council:
            on_council(council, "simulating")
        tables = simulate_council(council, seed=seed, as_at=as_at, years=years)
        if on_council:
            on_council(council, "writing")
        write_truth(tables, folder / "truth")
        rng = child_stream(seed, council.index, DEFECT_STREAM)
        returned, manifest = inject(tables, defects, rng, written_years, as_at)
        write_manifest(folder / "defects.csv", manifest)
        done = write_returns(returned, folder, la_code=council.la_code, as_at=as_at, years=written_years, say=say_once)
        for name, paths in done.items():
            if paths is None:
                summary.missing_writers.add(name)
            else:
                summary.files[name] = summary.files.get(name, 0) + len(paths)
        summary.councils += 1
        summary.defects += len(manifest)
        for name, table in tables.items():
            summary.rows[name] += table.num_rows
        if single:
            summary.tables = tables
    return summary
