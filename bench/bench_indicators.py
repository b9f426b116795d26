"""Time and peak memory of the indicator library on a `large` council.

    PYTHONPATH=src python bench/bench_indicators.py [--population 300000] [--threads 2]

Builds canonical rows for a council of ~300,000 children with numpy (volumes at England's 2025
rates over four years), inserts them with engine.insert into a DuckDB file, then times every
monthly indicator x 24 months x council/teams/workers in one run (set-based: one statement per
indicator), against two baselines in the same run: council level only (cold, then warm), and
month by month (3 months, extrapolated to 24). Target: all levels <= 10 s on 2 cores. Peak memory is the process's
peak RSS (DuckDB's memory included)."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from cscperf.indicators.compute import run
from cscperf.indicators.library import library
from cscperf.indicators.periods import Month, month_range
from cscperf.store import open_engine
from cscperf.store.migrate import migrate
from cscperf.store.schema import tables

FIRST, LAST = np.datetime64("2022-01-01"), np.datetime64("2025-12-31")
SPAN = int((LAST - FIRST).astype(int))
YEARS = SPAN / 365.25


def days(rng, n, lo=0, hi=SPAN):
    return FIRST + rng.integers(lo, hi, n).astype("timedelta64[D]")


def ids(prefix, n):
    return pa.array([f"{prefix}{i}" for i in range(n)])


def nullify(rng, values, p):
    """Arrow array of values with a share p of nulls."""
    mask = rng.random(len(values)) < p
    return pa.array(values, mask=mask)


def build(rng: np.random.Generator, population: int) -> dict[str, pa.Table]:
    per10k = population / 10_000
    n_teams, n_workers = max(4, population // 6000), max(40, population // 400)
    teams = np.array([f"T{i}" for i in range(n_teams)])
    workers = np.array([f"W{i}" for i in range(n_workers)])
    worker_team = teams[np.arange(n_workers) % n_teams]
    out: dict[str, dict] = {}
    n_ref = int(520 * per10k * YEARS)
    n_child = int(n_ref * 0.72)
    child = rng.integers(0, n_child, n_ref)
    out["council"] = {"la_code": ["999"], "la_name": ["Largeshire"], "agency_hourly_cap": [42.0]}
    out["population"] = {"la_code": ["999"] * 4, "year": [2022, 2023, 2024, 2025], "children_0_17": [population] * 4}
    out["team"] = {"team_id": teams, "team_name": teams}
    out["child"] = {"child_id": ids("C", n_child), "date_of_birth": days(rng, n_child, -6900, 0)}
    out["worker_team"] = {"worker_id": workers, "team_id": worker_team, "start_date": np.full(n_workers, np.datetime64("2015-01-01"))}
    # allocations: each referred child allocated to a worker from the referral for a while
    ref_date = days(rng, n_ref)
    w = rng.integers(0, n_workers, n_ref)
    alloc_end = ref_date + rng.integers(20, 400, n_ref).astype("timedelta64[D]")
    out["allocation"] = {"child_id": pa.array([f"C{c}" for c in child]), "worker_id": workers[w], "team_id": worker_team[w],
                         "start_date": ref_date, "end_date": nullify(rng, alloc_end, 0.1)}
    n_con = n_ref * 3
    out["contact"] = {"contact_id": ids("K", n_con), "child_id": pa.array([f"C{c}" for c in rng.integers(0, n_child, n_con)]),
                      "contact_date": days(rng, n_con), "outcome": rng.choice(["referral", "nfa", "early_help"], n_con),
                      "team_id": rng.choice(teams, n_con), "worker_id": rng.choice(workers, n_con)}
    child_ids = pa.array([f"C{c}" for c in child])
    out["referral"] = {"referral_id": ids("R", n_ref), "child_id": child_ids, "referral_date": ref_date,
                       "nfa": rng.random(n_ref) < 0.07, "closure_date": nullify(rng, alloc_end, 0.15),
                       "team_id": worker_team[w], "worker_id": workers[w]}
    a_start = ref_date + rng.integers(0, 5, n_ref).astype("timedelta64[D]")
    out["assessment"] = {"assessment_id": ids("A", n_ref), "referral_id": ids("R", n_ref), "child_id": child_ids,
                         "start_date": a_start, "authorised_date": nullify(rng, a_start + rng.integers(0, 80, n_ref).astype("timedelta64[D]"), 0.05),
                         "team_id": worker_team[w], "worker_id": workers[w]}
    s = np.flatnonzero(rng.random(n_ref) < 0.35)
    out["s47_enquiry"] = {"s47_id": ids("S", len(s)), "referral_id": ids("R", n_ref).take(pa.array(s)), "child_id": child_ids.take(pa.array(s)),
                          "start_date": a_start[s], "team_id": worker_team[w[s]], "worker_id": workers[w[s]]}
    i = s[rng.random(len(s)) < 0.3]
    si = np.searchsorted(s, i)
    icpc_date = a_start[i] + rng.integers(3, 30, len(i)).astype("timedelta64[D]")
    out["icpc"] = {"icpc_id": ids("I", len(i)), "s47_id": pa.array([f"S{k}" for k in si]), "child_id": child_ids.take(pa.array(i)),
                   "icpc_date": icpc_date, "team_id": worker_team[w[i]], "worker_id": workers[w[i]]}
    p = i[rng.random(len(i)) < 0.85]
    p_start = a_start[p] + rng.integers(5, 30, len(p)).astype("timedelta64[D]")
    out["cp_plan"] = {"cp_plan_id": ids("P", len(p)), "child_id": child_ids.take(pa.array(p)), "start_date": p_start,
                      "end_date": nullify(rng, p_start + rng.integers(60, 900, len(p)).astype("timedelta64[D]"), 0.2),
                      "previous_plans": rng.integers(0, 2, len(p)), "team_id": worker_team[w[p]], "worker_id": workers[w[p]]}
    rv = np.repeat(np.arange(len(p)), 3)
    out["cp_review"] = {"cp_plan_id": pa.array([f"P{k}" for k in rv]), "child_id": child_ids.take(pa.array(p[rv])),
                        "review_date": p_start[rv] + (80 + 180 * np.tile(np.arange(3), len(p))).astype("timedelta64[D]")}
    n_cla = int(70 * per10k * 1.6)
    cla_child = rng.choice(n_child, n_cla, replace=False)
    n_ep = n_cla * 4
    ep_child = np.repeat(cla_child, 4)
    ep_start = np.repeat(days(rng, n_cla, -900, SPAN - 200), 4) + np.tile(np.array([0, 150, 300, 450]), n_cla).astype("timedelta64[D]")
    ep_end = ep_start + np.full(n_ep, 150).astype("timedelta64[D]")
    last = np.tile(np.array([False, False, False, True]), n_cla)
    out["cla_episode"] = {"child_id": pa.array([f"C{c}" for c in ep_child]), "decom": ep_start,
                          "rne": np.tile(np.array(["S", "P", "L", "T"]), n_cla), "legal_status": rng.choice(["C2", "V2", "E1", "V3"], n_ep, p=[.6, .2, .15, .05]),
                          "dec": pa.array(ep_end, mask=last & (rng.random(n_ep) < 0.6)), "rec": np.where(last, "E4A", "X1")}
    n_vis = len(p) * 12 + n_cla * 8
    out["visit"] = {"visit_id": ids("V", n_vis), "child_id": pa.array([f"C{c}" for c in rng.choice(np.concatenate([p % n_child, cla_child]), n_vis)]),
                    "visit_date": days(rng, n_vis), "visit_type": rng.choice(["CP", "CLA"], n_vis), "seen": rng.random(n_vis) < 0.95}
    n_mis = n_cla * 3
    out["missing_episode"] = {"child_id": pa.array([f"C{c}" for c in rng.choice(cla_child, n_mis)]), "missing_type": rng.choice(["M", "A"], n_mis),
                              "start_date": days(rng, n_mis)}
    n_cl = n_cla
    out["care_leaver"] = {"child_id": pa.array([f"C{c}" for c in rng.choice(n_child, n_cl)]), "collection_year": rng.integers(2022, 2026, n_cl),
                          "in_touch": rng.choice(["YES", "NO"], n_cl, p=[.9, .1]), "activity": rng.choice(["F1", "G5"], n_cl),
                          "accommodation": rng.choice(["B1", "B2"], n_cl, p=[.9, .1])}
    n_ad = max(10, n_cla // 10)
    placed = days(rng, n_ad, -700, SPAN - 300)
    out["adoption"] = {"child_id": pa.array([f"C{c}" for c in cla_child[:n_ad]]), "placement_order_date": placed - np.timedelta64(200, "D"),
                       "match_date": placed - np.timedelta64(60, "D"), "placed_date": placed,
                       "adoption_order_date": placed + rng.integers(60, 300, n_ad).astype("timedelta64[D]"), "foster_care": rng.random(n_ad) < 0.2}
    sp_start = days(rng, n_workers, -2000, SPAN - 100)
    out["staff_spell"] = {"spell_id": ids("SP", n_workers), "worker_id": workers, "role": rng.choice(["social_worker", "senior_practitioner", "team_manager"], n_workers),
                          "team_id": worker_team, "start_date": sp_start, "end_date": nullify(rng, sp_start + rng.integers(200, 3000, n_workers).astype("timedelta64[D]"), 0.5),
                          "leave_reason": rng.choice(["resignation", "retirement"], n_workers), "fte": rng.choice([0.6, 0.8, 1.0], n_workers),
                          "agency": rng.random(n_workers) < 0.15, "hourly_rate": rng.choice([38.0, 42.0, 48.0], n_workers)}
    n_abs = n_workers * 8
    ab = days(rng, n_abs)
    out["absence_spell"] = {"absence_id": ids("AB", n_abs), "worker_id": rng.choice(workers, n_abs), "start_date": ab,
                            "end_date": ab + rng.integers(0, 40, n_abs).astype("timedelta64[D]")}
    snaps = np.arange(np.datetime64("2022-01-31"), LAST, np.timedelta64(30, "D"))
    out["vacancy_snapshot"] = {"snapshot_date": np.repeat(snaps, n_teams), "team_id": np.tile(teams, len(snaps)),
                               "role": np.full(len(snaps) * n_teams, "social_worker"), "vacancies_fte": rng.choice([0.0, 1.0, 2.0], len(snaps) * n_teams)}
    quarters = np.array([np.datetime64(f"{y}-{m:02d}-01") for y in range(2022, 2026) for m in (1, 4, 7, 10)])
    out["agency_cost"] = {"quarter_start": np.repeat(quarters, n_teams), "team_id": np.tile(teams, len(quarters)),
                          "cost": rng.uniform(1e4, 1e5, len(quarters) * n_teams)}
    return {name: pa.table(cols) for name, cols in out.items()}


def insert(engine, data: dict[str, pa.Table]) -> int:
    total = 0
    for name, table in data.items():
        if tables()[name].provenance:
            n = table.num_rows
            table = table.append_column("load_id", pa.array(np.ones(n, dtype=np.int64)))
            table = table.append_column("source_file", pa.array(["bench"] * n))
            table = table.append_column("source_row", pa.array(np.arange(1, n + 1)))
        total += engine.insert(name, table)
    return total


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--population", type=int, default=300_000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    months = month_range(Month.parse("2024-01"), Month.parse("2025-12"))
    monthly = [i for i in library() if i.monthly]
    rows = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(str(Path(tmp) / "bench.duckdb"))
        migrate(engine)
        engine.execute(f"SET threads = {args.threads}", portable=False)
        t = time.perf_counter()
        data = build(np.random.default_rng(1), args.population)
        n = insert(engine, data)
        rows.append(("build + insert canonical rows", time.perf_counter() - t, f"{n:,} rows"))
        t, c = time.perf_counter(), time.process_time()
        run(engine, months, levels=("council",))
        rows.append(("council only, 24 months (cold: first run)", time.perf_counter() - t, f"cpu {time.process_time() - c:.2f} s"))
        t, c = time.perf_counter(), time.process_time()
        run(engine, months, levels=("council",))
        rows.append(("council only, 24 months (warm)", time.perf_counter() - t, f"cpu {time.process_time() - c:.2f} s"))
        t, c = time.perf_counter(), time.process_time()
        run_id = run(engine, months)
        everything, cpu = time.perf_counter() - t, time.process_time() - c
        results = engine.execute("SELECT COUNT(*) FROM indicator_result WHERE run_id = :r", {"r": run_id}).scalar()
        rows.append((f"{len(monthly)} indicators x 24 months x council/teams/workers", everything,
                     f"cpu {cpu:.2f} s; {results:,} results"))
        t = time.perf_counter()
        for m in months[-3:]:
            run(engine, [m])
        by_month = (time.perf_counter() - t) / 3 * 24
        rows.append(("baseline: month by month (3 run, x8)", by_month, f"set-based is {by_month / everything:.1f}x faster"))
        engine.close()
    print(f"indicator engine, population {args.population:,}, DuckDB threads {args.threads}, "
          f"load average before/after {load_before:.1f}/{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'phase':58s} {'seconds':>8s}  note")
    for name, secs, note in rows:
        print(f"{name:58s} {secs:8.2f}  {note}")
    print(f"peak RSS {peak_mb():.0f} MB; target <= 10 s for all levels: {'met' if everything <= 10 else 'NOT met'} "
          f"(wall {everything:.1f} s, cpu {cpu:.1f} s; wall is inflated when the load average exceeds the cores)")
    sys.exit(0)


if __name__ == "__main__":
    main()
