"""Time and peak memory of `cscperf synth` per profile (truth tables written, defects 1%).

    PYTHONPATH=src python bench/bench_synth.py [small medium large] [--national-councils N]

Each profile runs in a fresh subprocess so peak RSS (resource.getrusage) is its own. The national
profile is timed on its first N councils and extrapolated by population (the run streams council by
council, so time scales with children and memory with the largest council). Targets: large <= 60 s,
national <= 15 min on 2 cores."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = r"""
import json, resource, sys, time
from datetime import date
from pathlib import Path
import cscperf.synth.run as run
from cscperf.synth import profiles
profile, out, n = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
if profile == "national" and n:
    chosen = list(profiles.england())[:n]
    run.councils = lambda p, la: chosen
    population = sum(c.population for c in chosen)
else:
    population = sum(c.population for c in profiles.councils(profile))
t0 = time.perf_counter()
s = run.synthesise(profile, seed=1, as_at=date(2026, 10, 31), years=6, out=out, defects=0.01, say=lambda _: None, jobs=2)
elapsed = time.perf_counter() - t0
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024,
                  "children": s.rows["child"], "rows": sum(s.rows.values()), "population": population, "councils": s.councils}))
"""


def run(profile: str, n: int = 0) -> dict:
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        done = subprocess.run([sys.executable, "-c", CHILD, profile, out, str(n)], env=env, capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    national = 0
    if "--national-councils" in argv:
        i = argv.index("--national-councils")
        national = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    profiles = argv or ["small", "medium", "large"]
    print(f"{'profile':<22}{'children 0-17':>14}{'truth rows':>12}{'wall s':>9}{'cpu s':>8}{'peak MB':>9}{'cpu s/100k':>11}")
    base = None
    for profile in profiles:
        r = run(profile)
        per = r["cpu"] / r["population"] * 100_000
        base = base or per
        print(f"{profile:<22}{r['population']:>14,}{r['rows']:>12,}{r['seconds']:>9.1f}{r['cpu']:>8.1f}{r['peak_mb']:>9.0f}{per:>11.2f}")
    if national:
        r = run("national", national)
        per = r["cpu"] / r["population"] * 100_000
        wall = r["seconds"] / r["population"] * 12_183_016
        cpu = per * 12_183_016 / 100_000
        print(f"{'national (' + str(r['councils']) + ' councils)':<22}{r['population']:>14,}{r['rows']:>12,}{r['seconds']:>9.1f}{r['cpu']:>8.1f}{r['peak_mb']:>9.0f}{per:>11.2f}")
        print(f"national, scaled to 12,183,016 children: {wall / 60:.1f} min wall as measured here, "
              f"{cpu / 60:.1f} CPU-min = {cpu / 120:.1f} min on 2 free cores (target 15 min)")
    if base:
        print("(cpu s/100k: CPU time per 100,000 children, comparable across profiles and machine load)")


if __name__ == "__main__":
    main(sys.argv[1:])
