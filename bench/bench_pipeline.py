"""The whole monthly pipeline for a synthetic council, stage by stage, as a user runs it.

    PYTHONPATH=src python bench/bench_pipeline.py [--profiles medium,large] [--month 2026-03] [--keep DIR]

For each profile: ``cscperf synth`` (reported, not part of the pipeline), then ``cscperf load`` (which
runs the CIN census and SSDA903 rules on the newest returns inside the load), ``cscperf indicators``
for the 24 months to ``--month`` (every indicator, council/team/worker), and ``cscperf digest`` for the
director (HTML, PDF and Excel). Each stage is its own ``python -m cscperf`` process, started through a
small wrapper process whose ``getrusage(RUSAGE_CHILDREN)`` is therefore that stage's alone: wall time,
CPU time and peak RSS (of the stage's largest process). Targets: issue 7, the pipeline (load → check →
indicators → digest) for ``large`` in <= 30 s and <= 2 GB on 2 cores; issue 4, load time and peak
memory for ``medium`` and ``large`` (reported, no number set).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 30.0
TARGET_MB = 2048.0


def _stage(argv: list[str]) -> dict:
    """Run one command in a child and measure it (called inside the wrapper process)."""
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rc": proc.returncode, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024, "tail": (proc.stdout + proc.stderr)[-2000:]}


def measure(name: str, args: list[str], env: dict[str, str]) -> dict:
    """One stage in a fresh wrapper process, so RUSAGE_CHILDREN covers this stage only."""
    argv = [sys.executable, "-m", "cscperf", *args]
    out = subprocess.run([sys.executable, __file__, "--wrap", json.dumps(argv)], capture_output=True, text=True,
                         env=env, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"{name} failed (exit {result['rc']}):\n{result['tail']}")
    return {"stage": name, **result}


def month_range(month: str, count: int) -> str:
    year, mon = (int(x) for x in month.split("-"))
    index = year * 12 + mon - 1 - (count - 1)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def run_profile(profile: str, month: str, as_at: str, work: Path, env: dict[str, str]) -> list[dict]:
    council = work / f"{profile}-council"
    db = work / f"{profile}.duckdb"
    digest = work / f"{profile}-digest"
    rows = [measure("synth (not in pipeline)", ["synth", "--profile", profile, "--seed", "1", "--as-at", as_at,
                                                  "--out", str(council)], env)]
    rows.append(measure("load + rules", ["load", str(council), "--db", str(db)], env))
    rows.append(measure("indicators (24 months)", ["indicators", "--month", month, "--from", month_range(month, 24),
                                                   "--db", str(db), "--out", str(work / f"{profile}-council.txt")], env))
    rows.append(measure("digest director", ["digest", "--month", month, "--audience", "director", "--out", str(digest),
                                            "--db", str(db)], env))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="medium,large")
    parser.add_argument("--month", default="2026-03", help="Month reported (the digest's --month)")
    parser.add_argument("--as-at", default="2026-04-30", help="The synthetic extract's as-at date")
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--wrap", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.wrap:
        print(json.dumps(_stage(json.loads(args.wrap))))
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_pipeline_"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[dict]] = {}
    try:
        for profile in args.profiles.split(","):
            results[profile] = run_profile(profile, args.month, args.as_at, work, env)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Monthly pipeline, month {args.month}; {os.cpu_count()} cores, {platform.machine()}, "
          f"Python {platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"{'profile':<8} {'stage':<26} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}  target")
    for profile, rows in results.items():
        for r in rows:
            target = ""
            if r["stage"].startswith("load"):
                target = "issue 4: reported"
            print(f"{profile:<8} {r['stage']:<26} {r['wall']:>8.1f} {r['cpu']:>8.1f} {r['peak_mb']:>8.0f}  {target}")
        pipe = rows[1:]
        wall = sum(r["wall"] for r in pipe)
        cpu = sum(r["cpu"] for r in pipe)
        peak = max(r["peak_mb"] for r in pipe)
        verdict = ""
        if profile == "large":
            ok = wall <= TARGET_SECONDS and peak <= TARGET_MB
            verdict = f"issue 7: <= {TARGET_SECONDS:.0f} s, <= {TARGET_MB:.0f} MB: {'MET' if ok else 'MISSED'}"
        print(f"{profile:<8} {'pipeline (load..digest)':<26} {wall:>8.1f} {cpu:>8.1f} {peak:>8.0f}  {verdict}")
    print("peak MB: the largest process of the stage (stages run one after another, so the pipeline's peak is the"
          " largest stage's).")


if __name__ == "__main__":
    main()
