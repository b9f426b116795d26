"""The whole monthly pipeline for a synthetic council, stage by stage, as a user runs it.

    PYTHONPATH=src python bench/bench_pipeline.py [--profiles medium,large] [--month 2026-03] [--keep DIR]

For each profile: ``cscperf synth`` (reported, not part of the pipeline), then ``cscperf load`` (which
runs the CIN census and SSDA903 rules on the newest returns inside the load), ``cscperf benchmarks
import`` of DfE's statistics (``--dfe``; reported, not part of the pipeline: a council imports them
when DfE publishes, and the digest then draws England, region and neighbours), ``cscperf indicators``
for the 24 months to ``--month`` (every indicator, council/team/worker; the council's figures written
as CSV, as ``make demo`` does - rich's terminal table of ~1,200 rows costs ~1.3 s by itself), and ``cscperf digest`` for the
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 30.0
TARGET_MB = 2048.0


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and every descendant now (load's reading workers and the digest's PDF
    process run beside their parent, so the stage's memory is their sum, not its largest process)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields.get("PPid", "0").strip() or 0)
        rss[pid] = int((fields.get("VmRSS") or "0 kB").split()[0])
    tree, frontier = {root}, [root]
    while frontier:
        here = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == here and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in tree)


def _stage(argv: list[str]) -> dict:
    """Run one command in a child and measure it (called inside the wrapper process)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak_tree = 0
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.append(proc.stdout.read()), daemon=True)
    reader.start()
    while proc.poll() is None:
        peak_tree = max(peak_tree, _tree_rss_kb(proc.pid))
        time.sleep(0.05)
    reader.join()
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rc": proc.returncode, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024, "tree_mb": peak_tree / 1024, "tail": "".join(output)[-2000:]}


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


OUTSIDE = "(not in pipeline)"


def run_profile(profile: str, month: str, as_at: str, work: Path, env: dict[str, str],
                council: Path | None = None, dfe: Path | None = None) -> list[dict]:
    db = work / f"{profile}.duckdb"
    db.unlink(missing_ok=True)
    digest = work / f"{profile}-digest"
    if council is None:
        council = work / f"{profile}-council"
        rows = [measure(f"synth {OUTSIDE}", ["synth", "--profile", profile, "--seed", "1", "--as-at", as_at,
                                                      "--out", str(council)], env)]
    else:  # an existing synthetic council: the pipeline only
        rows = [{"stage": f"synth {OUTSIDE}", "wall": 0.0, "cpu": 0.0, "peak_mb": 0.0, "tree_mb": 0.0}]
    rows.append(measure("load + rules", ["load", str(council), "--db", str(db)], env))
    if dfe is not None and dfe.is_dir():  # once a year, when DfE publishes: the digest then has its comparators
        rows.append(measure(f"benchmarks {OUTSIDE}", ["benchmarks", "import", str(dfe), "--db", str(db)], env))
    rows.append(measure("indicators (24 months)", ["indicators", "--month", month, "--from", month_range(month, 24),
                                                   "--db", str(db), "--format", "csv",  # as make demo writes them
                                                   "--out", str(work / f"{profile}-council.csv")], env))
    rows.append(measure("digest director", ["digest", "--month", month, "--audience", "director", "--out", str(digest),
                                            "--db", str(db)], env))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="medium,large")
    parser.add_argument("--month", default="2026-03", help="Month reported (the digest's --month)")
    parser.add_argument("--as-at", default="2026-04-30", help="The synthetic extract's as-at date")
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--council", type=Path, help="Run the pipeline on this synthetic council (one profile; "
                        "no synth)")
    parser.add_argument("--dfe", type=Path, default=ROOT.parent / "shared" / "reference" / "dfe",
                        help="DfE statistics imported before the indicators, so the digest shows England, region "
                        "and neighbours (timed, not in the pipeline; skipped when the folder is missing)")
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
            results[profile] = run_profile(profile, args.month, args.as_at, work, env, args.council, args.dfe)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Monthly pipeline, month {args.month}; {os.cpu_count()} cores, {platform.machine()}, "
          f"Python {platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"{'profile':<8} {'stage':<26} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'tree MB':>8}  target")
    for profile, rows in results.items():
        for r in rows:
            target = ""
            if r["stage"].startswith("load"):
                target = "issue 4: reported"
            print(f"{profile:<8} {r['stage']:<26} {r['wall']:>8.1f} {r['cpu']:>8.1f} {r['peak_mb']:>8.0f} "
                  f"{r['tree_mb']:>8.0f}  {target}")
        pipe = [r for r in rows if OUTSIDE not in r["stage"]]
        wall = sum(r["wall"] for r in pipe)
        cpu = sum(r["cpu"] for r in pipe)
        peak = max(max(r["peak_mb"], r["tree_mb"]) for r in pipe)
        verdict = ""
        if profile == "large":
            ok = wall <= TARGET_SECONDS and peak <= TARGET_MB
            verdict = f"issue 7: <= {TARGET_SECONDS:.0f} s, <= {TARGET_MB:.0f} MB: {'MET' if ok else 'MISSED'}"
        print(f"{profile:<8} {'pipeline (load..digest)':<26} {wall:>8.1f} {cpu:>8.1f} {'':>8} {peak:>8.0f}  {verdict}")
    print("peak MB: the stage's largest process; tree MB: the most the stage's processes held at once (sampled\n"
          "every 50 ms; load's reading workers and the digest's PDF process run beside their parent). Stages run\n"
          "one after another, so the pipeline's peak is the largest stage's.")


if __name__ == "__main__":
    main()
