"""Where one ``cscperf load`` spends its time: a timeline of its phases, in one process.

    PYTHONPATH=src python bench/load_timeline.py /work/data/large-council [--db /tmp/x.duckdb]

Runs ``cscperf load FOLDER`` (rules included, as a user runs it) into a fresh DuckDB store, with the
loader's phases wrapped to note, at each start and end, the wall time since start and the CPU seconds
of this process and of its finished children (the reading workers). Printed: each phase's start, end,
wall and CPU, and when each extract was written relative to the reading (the parent writes while
the workers read). Phases that are not found (other code) are left out; nothing is changed but the
timing wrappers.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()


def cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


MARKS: list[tuple[str, str, float, float, float]] = []


def mark(phase: str, edge: str) -> None:
    own, kids = cpu()
    MARKS.append((phase, edge, time.perf_counter() - T0, own, kids))


def wrap(owner, name: str, phase: str | None = None) -> None:
    real = getattr(owner, name, None)
    if real is None:
        return

    def timed(*args, **kwargs):
        mark(phase or name, "start")
        try:
            return real(*args, **kwargs)
        finally:
            mark(phase or name, "end")

    setattr(owner, name, timed)


def wrap_reading(load_module) -> None:
    """The reading is a generator: its phase ends when it is exhausted."""
    real = getattr(load_module, "read_files_as_completed", None)
    if real is None:
        wrap(load_module, "read_files", "reading")
        return

    def timed(*args, **kwargs):
        mark("reading", "start")
        yield from real(*args, **kwargs)
        mark("reading", "end")

    load_module.read_files_as_completed = timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("council", type=Path)
    parser.add_argument("--db", type=Path, default=None, help="store to create (default: a temporary file)")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="cscperf-timeline-")) / "store.duckdb"
    for leftover in (db, Path(f"{db}.wal")):
        leftover.unlink(missing_ok=True)

    import cscperf.cli  # before the loader: the CLI registers the stage commands
    import cscperf.ingest.load as load
    import cscperf.load_cli as load_cli
    import cscperf.store.duckdb_engine as duck

    mark("imports", "end")
    wrap_reading(load)
    for name in ("_write_extract", "_merge", "merge_records", "replace_children", "rebuild_children"):
        wrap(load, name)
    wrap(load_cli, "check_new_loads", "rules (check_new_loads)")
    wrap(load_cli, "print_report")
    wrap(duck.DuckDBEngine, "_commit", "commit")
    wrap(duck.DuckDBEngine, "close")
    devnull = open(os.devnull, "w")
    stdout, sys.stdout = sys.stdout, devnull
    try:
        cscperf.cli.cli.main(["load", "--db", str(db), str(args.council)], standalone_mode=False)
    finally:
        sys.stdout = stdout
        mark("whole load", "end")
    report()


def report() -> None:
    reading = [m for m in MARKS if m[0] == "reading"]
    read_end = reading[-1][2] if reading else 0.0
    print(f"{'phase':28s} {'start s':>8s} {'end s':>8s} {'wall s':>7s} {'parent CPU s':>12s}")
    opened: dict[str, tuple[float, float]] = {}
    writes = []
    for phase, edge, at, own, kids in MARKS:
        if edge == "start":
            opened[phase] = (at, own)
            continue
        begun, own_begun = opened.pop(phase, (0.0, 0.0))
        if phase == "_write_extract":
            writes.append((begun, at, own - own_begun))
            continue
        if phase == "commit" and at - begun < 0.05:
            continue  # the store's own small transactions (migrations, the registry)
        print(f"{phase:28s} {begun:8.2f} {at:8.2f} {at - begun:7.2f} {own - own_begun:12.2f}")
    if writes:
        during = sum(1 for _, end, _ in writes if end <= read_end + 1e-6)
        print(f"{'extracts written':28s} {writes[0][0]:8.2f} {writes[-1][1]:8.2f} "
              f"{sum(e - b for b, e, _ in writes):7.2f} {sum(c for *_, c in writes):12.2f}"
              f"   ({len(writes)} extracts, {during} finished while files were still being read)")
    own, kids = cpu()
    print(f"parent CPU {own:.2f} s, reading workers' CPU {kids:.2f} s, wall {time.perf_counter() - T0:.2f} s")


if __name__ == "__main__":
    main()
