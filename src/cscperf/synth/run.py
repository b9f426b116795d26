"""``cscperf synth`` without the command line: simulate each council of a profile, write its truth
tables (Parquet), a defective copy for the writers with its manifest, and the return files. National
runs go council by council into DIR/<la_code>/, so memory holds one council at a time."""

from __future__ import annotations

import multiprocessing
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
from cscperf.synth.providers import provider_register
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


def _one_council(args, on_council=None, say=print):
    council, folder, seed, as_at, years, defects, written_years = args
    if on_council:
        on_council(council, "simulating")
    tables = simulate_council(council, seed=seed, as_at=as_at, years=years)
    # Ofsted's register of the providers used, from the clean episodes (a council's data errors are
    # not Ofsted's): the register file lets the 903 URN rules run
    tables["ofsted_provider"] = provider_register(tables["cla_episode"], as_at)
    if on_council:
        on_council(council, "writing")
    write_truth(tables, folder / "truth")
    rng = child_stream(seed, council.index, DEFECT_STREAM)
    returned, manifest = inject(tables, defects, rng, written_years, as_at)
    write_manifest(folder / "defects.csv", manifest)
    done = write_returns(returned, folder, la_code=council.la_code, as_at=as_at, years=written_years, say=say)
    rows = Counter({name: table.num_rows for name, table in tables.items()})
    return rows, len(manifest), done, tables


def _one_council_quiet(args):
    rows, n, done, _ = _one_council(args, None, lambda _: None)
    return rows, n, done, None


def synthesise(
    profile: str, *, seed: int, as_at: date, years: int, out: Path, defects: float = 0.0, la_code: str = "883",
    on_council: Callable[[Council, str], None] | None = None, say: Callable[[str], None] = print,
    jobs: int = 1,
) -> Summary:
    if years < 1 or years > 12:
        raise CscperfError("--years must be between 1 and 12")
    if not 0 <= defects <= 0.5:
        raise CscperfError("--defects is a rate per record between 0 and 0.5")
    if out.exists() and not out.is_dir():
        raise CscperfError(f"--out {out} exists and is not a folder")
    chosen = councils(profile, la_code)
    single = profile != "national"
    summary = Summary()
    written_years = collection_years(to_day(add_years(as_at, -years)), to_day(as_at))
    warned: set[str] = set()

    def say_once(line: str) -> None:
        if line not in warned:
            warned.add(line)
            say(line)

    args = [(council, out if single else out / council.la_code, seed, as_at, years, defects, written_years) for council in chosen]
    if single or jobs <= 1:
        results = (_one_council(a, on_council, say_once) for a in args)
    else:
        # Councils are independent (each has its own random streams and folder), so a pool gives
        # the same bytes as a serial run; imap keeps them in order and memory to a few councils.
        pool = multiprocessing.get_context("fork").Pool(jobs)
        results = pool.imap(_one_council_quiet, args)
    for council, (rows, n_defects, done, tables) in zip(chosen, results):
        if on_council and not single and jobs > 1:
            on_council(council, "written")
            on_council(council, "written")
        for name, paths in done.items():
            if paths is None:
                summary.missing_writers.add(name)
                if not single and jobs > 1:
                    say_once(f"{name}: writer not available yet; skipped")
            else:
                summary.files[name] = summary.files.get(name, 0) + len(paths)
        summary.councils += 1
        summary.defects += n_defects
        summary.rows.update(rows)
        if single:
            summary.tables = tables
    if not single and jobs > 1:
        pool.close()
        pool.join()
    return summary
