"""Load time and peak memory: whole councils, and CIN census XML at 1x and 10x size (linear growth).

    PYTHONPATH=src python bench/bench_load.py [--children 2000] [--scales 1,10]
    PYTHONPATH=src python bench/bench_load.py --councils /work/data/medium,/work/data/large [--baseline-src DIR]

``--councils``: ``cscperf load FOLDER`` into a fresh DuckDB store (the CIN census and SSDA903 rules run
inside the load, as for a user), each run its own process started through a wrapper whose
``getrusage(RUSAGE_CHILDREN)`` covers that load alone: wall, CPU (worker processes included) and peak
RSS of the largest process. Each council is loaded with the default reading workers (one per core)
and with ``CSCPERF_WORKERS=1`` (all in one process); ``--baseline-src`` adds the same load run from
another source tree (e.g. a checkout of the commit before a change), for ratios in the same run.

Each scale runs in its own process (peak RSS cannot be reset inside one), on synthetic canonical rows
built here and written with the CIN writer. Reported per scale: file size; the reader alone (the XML
is streamed - each element freed once read - and the file's rows collected as Arrow columns, so
Python's peak memory is the file's rows, ~1.4 bytes per XML byte, growing linearly); the whole load
into a fresh DuckDB store (time and process peak RSS). Ratios are against the first scale in the
same run: linear growth means time and memory ratios near the size ratio, or below it where a fixed
cost (imports, the store) still counts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

YEAR = 2025
FIRST = date(2024, 4, 1)


def canonical_rows(children: int, seed: int = 7) -> dict[str, list[dict]]:
    """Scaled synthetic CIN canonical rows: each child 1-2 episodes with assessments, plans, enquiries."""
    rng = random.Random(seed)
    rows: dict[str, list[dict]] = {k: [] for k in ("child", "referral", "assessment", "cin_plan", "s47_enquiry", "icpc",
                                                    "cp_plan", "cp_review")}
    for n in range(children):
        cid = f"B{n:07d}"
        rows["child"].append({"child_id": cid, "sex": rng.choice("12"), "ethnicity": rng.choice(["WBRI", "BAFR", "AIND"]),
                              "date_of_birth": date(2008, 1, 1) + timedelta(days=rng.randrange(6000)),
                              "disabilities": rng.choice(["NONE", "MOB;LD", None])})
        for e in range(rng.choice((1, 1, 2))):
            start = FIRST + timedelta(days=rng.randrange(300))
            rid = f"{cid}/{start.isoformat()}"
            if any(r["referral_id"] == rid for r in rows["referral"][-2:]):
                continue
            closed = start + timedelta(days=rng.randrange(20, 200))
            closed = closed if closed <= date(2025, 3, 31) else None
            rows["referral"].append({"referral_id": rid, "child_id": cid, "referral_date": start, "referral_source": "5A",
                                     "primary_need": "N1", "nfa": False, "closure_date": closed,
                                     "closure_reason": "RC8" if closed else None})
            rows["assessment"].append({"assessment_id": f"{rid}/a1", "referral_id": rid, "child_id": cid,
                                       "start_date": start, "authorised_date": start + timedelta(days=10), "factors": "2B;3A"})
            if rng.random() < 0.5:
                rows["cin_plan"].append({"cin_plan_id": f"{rid}/cin1", "referral_id": rid, "child_id": cid,
                                         "start_date": start + timedelta(days=11)})
            if rng.random() < 0.3:
                s47 = start + timedelta(days=2)
                rows["s47_enquiry"].append({"s47_id": f"{rid}/s47/1", "referral_id": rid, "child_id": cid, "start_date": s47,
                                            "icpc_date": s47 + timedelta(days=12), "icpc_not_required": False})
                rows["icpc"].append({"icpc_id": f"{rid}/icpc", "referral_id": rid, "child_id": cid,
                                     "icpc_date": s47 + timedelta(days=12)})
                rows["cp_plan"].append({"cp_plan_id": f"{rid}/cp1", "referral_id": rid, "child_id": cid,
                                        "start_date": s47 + timedelta(days=12), "initial_category": "NEG",
                                        "latest_category": "NEG", "previous_plans": 1})
                rows["cp_review"].append({"cp_plan_id": f"{rid}/cp1", "child_id": cid,
                                          "review_date": min(s47 + timedelta(days=90), date(2025, 3, 31))})
    return rows


def one(children: int, workdir: Path) -> dict:
    from cscperf.ingest.base import Batch
    from cscperf.ingest.formats.cin_census import CinCensusReader
    from cscperf.ingest.load import load_paths
    from cscperf.returns import cin_census
    from cscperf.store import open_engine
    from cscperf.store.migrate import migrate
    from cscperf.store.rows import to_arrow

    rows = canonical_rows(children)
    [path] = cin_census.write({k: to_arrow(k, v) for k, v in rows.items()}, workdir / "in", la_code="883", collection_year=YEAR)
    del rows
    reader = CinCensusReader()
    t0 = time.perf_counter()
    count = sum(len(b) for b in reader.read_batches(path, reader.detect(path)) if isinstance(b, Batch))
    read_s = time.perf_counter() - t0
    tracemalloc.start()  # a second pass for memory: tracemalloc would distort the timing
    batches = list(reader.read_batches(path, reader.detect(path)))  # what the loader holds per file
    read_peak = tracemalloc.get_traced_memory()[1]
    del batches
    tracemalloc.stop()
    engine = open_engine(str(workdir / "bench.duckdb"))
    migrate(engine)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    report = load_paths(engine, [path])
    load_s = time.perf_counter() - t0
    engine.close()
    return {"children": children, "mb": path.stat().st_size / 1e6, "items": count, "read_s": read_s,
            "read_peak_mb": read_peak / 1e6, "load_s": load_s, "rows": sum(f.rows_loaded for f in report.files),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rss_before_mb": rss_before / 1024}


def _wrapped(argv: list[str]) -> dict:
    """Inside the wrapper process: run the load and measure it (and only it)."""
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rc": proc.returncode, "wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024, "tail": (proc.stdout + proc.stderr)[-1500:]}


def council_load(folder: Path, src: Path, workers: str | None, workdir: Path) -> dict:
    db = workdir / f"load-{time.monotonic_ns()}.duckdb"
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("CSCPERF_WORKERS", None)
    if workers:
        env["CSCPERF_WORKERS"] = workers
    argv = [sys.executable, "-m", "cscperf", "load", str(folder), "--db", str(db)]
    out = subprocess.run([sys.executable, __file__, "--wrap", json.dumps(argv)], capture_output=True, text=True,
                         env=env, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"load of {folder} failed:\n{result['tail']}")
    return result


def councils(folders: list[Path], baseline: Path | None) -> None:
    src = Path(__file__).resolve().parents[1] / "src"
    runs = [("this tree", src, None), ("this tree, 1 process", src, "1")]
    if baseline is not None:
        runs.append(("baseline", baseline, None))
    load = os.getloadavg()
    print(f"{platform.machine()}, {os.cpu_count()} cores; load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    head = f"{'council':<10} {'run':<22} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}"
    print(head)
    print("-" * len(head))
    with tempfile.TemporaryDirectory() as tmp:
        for folder in folders:
            results = {}
            for label, tree, workers in runs:
                r = results[label] = council_load(folder, tree, workers, Path(tmp))
                print(f"{folder.name:<10} {label:<22} {r['wall']:>7.1f} {r['cpu']:>7.1f} {r['peak_mb']:>8.0f}", flush=True)
            if baseline is not None:
                b, t = results["baseline"], results["this tree"]
                print(f"{folder.name:<10} {'baseline / this tree':<22} {b['wall'] / t['wall']:>6.1f}x {b['cpu'] / t['cpu']:>6.1f}x "
                      f"{b['peak_mb'] / t['peak_mb']:>7.1f}x")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--councils", help="comma-separated council folders (synth output) to load whole")
    parser.add_argument("--baseline-src", type=Path, help="another tree's src/ to run the same loads with")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--wrap", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.wrap:
        print(json.dumps(_wrapped(json.loads(args.wrap))))
        return
    if args.councils:
        councils([Path(p) for p in args.councils.split(",")], args.baseline_src)
        return
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(one(args.one, Path(tmp))))
        return
    results = []
    for scale in (int(s) for s in args.scales.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(args.children * scale)], capture_output=True,
                             text=True, check=True)
        results.append((scale, json.loads(out.stdout.strip().splitlines()[-1])))
    base = results[0][1]
    head = f"{'scale':>5} {'children':>8} {'XML MB':>7} {'rows':>8} {'read s':>7} {'read peak MB':>12} {'load s':>7} {'peak RSS MB':>11}"
    print(head)
    print("-" * len(head))
    for scale, r in results:
        print(f"{scale:>4}x {r['children']:>8} {r['mb']:>7.1f} {r['rows']:>8} {r['read_s']:>7.2f} {r['read_peak_mb']:>12.1f} "
              f"{r['load_s']:>7.2f} {r['rss_mb']:>11.0f}")
    print()
    print("ratios vs the first scale (linear growth: time and read-peak ratios ~ size ratio or below)")
    for scale, r in results[1:]:
        print(f"{scale:>4}x  size {r['mb'] / base['mb']:.1f}x  read time {r['read_s'] / base['read_s']:.1f}x  "
              f"read peak {r['read_peak_mb'] / base['read_peak_mb']:.1f}x  load time {r['load_s'] / base['load_s']:.1f}x  "
              f"load RSS growth {(r['rss_mb'] - r['rss_before_mb']) / max(base['rss_mb'] - base['rss_before_mb'], 1):.1f}x")


if __name__ == "__main__":
    main()
