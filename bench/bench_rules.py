"""Benchmark: every CIN census rule on a return of ~10,000 children, and at 10x that size; with
``--return 903``, every SSDA903 rule on a return of ~10,700 children-in-care episodes, and at 10x.

Canonical rows are built with numpy (mostly valid, with a sprinkling of the defects the rules look
for) and written with ``engine.insert``; only ``run_checks`` is timed. Each size runs in its own
process so its peak memory is its own. Prints wall time, findings and peak RSS per size, and the
ratios of the larger size to the baseline (linear growth = time ratio close to the size ratio).

    PYTHONPATH=src python bench/bench_rules.py [--children 10000] [--factor 10] [--db duckdb|URL]
    PYTHONPATH=src python bench/bench_rules.py --return 903 [--episodes 10700] [--factor 10] [--council DIR]

The 903 return is the synthetic council's (``cscperf synth --profile medium``, or ``--council``): its
two latest SSDA903 years are loaded (without checking), then every row of both is copied under new
child ids (``<id>~k``) until the latest year holds about ``--episodes`` episodes; the check runs the
latest year's ruleset with the year before as the previous return (DuckDB only: the copying is
DuckDB SQL). Targets (issue 6): <= 1.5 s and <= 500 MB for ~10,700 records; linear at 10x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date

import numpy as np
import pyarrow as pa

EPOCH = np.datetime64("1970-01-01", "D")
START = np.datetime64("2024-04-01", "D")
END = np.datetime64("2025-03-31", "D")


def _table(name: str, columns: dict[str, object], n: int) -> pa.Table:
    """A full canonical table: the given columns, nulls for the rest, typed by the schema."""
    from cscperf.store.rows import arrow_schema

    schema = arrow_schema(name)
    arrays = []
    for field in schema:
        if field.name in columns:
            arrays.append(pa.array(columns[field.name], type=field.type))
        else:
            arrays.append(pa.nulls(n, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _days(values: np.ndarray) -> np.ndarray:
    return values.astype("datetime64[D]")


def build(children: int, seed: int = 7) -> dict[str, pa.Table]:
    """Canonical CIN tables for ``children`` children (load 1)."""
    rng = np.random.default_rng(seed)
    n = children
    ids = np.char.add("C", np.arange(n).astype(str))
    dob = _days(END - rng.integers(0, 17 * 365, n))
    sex = rng.choice(np.array(["M", "F", "U"]), n, p=[0.5, 0.495, 0.005])
    eth = rng.choice(np.array(["WBRI", "WOTH", "MWBC", "AIND", "BAFR", "OOTH", "NOBT", "XXXX"]), n,
                     p=[0.6, 0.1, 0.05, 0.05, 0.1, 0.05, 0.049, 0.001])
    dis = rng.choice(np.array(["NONE", "MOB", "LD;AUT", "HAND;VIS;HEAR", "COMM", "BEH;CON", "NONE;MOB"]), n,
                     p=[0.8, 0.05, 0.05, 0.03, 0.03, 0.039, 0.001])
    prov = {"load_id": np.ones(n, dtype=np.int64), "source_file": np.full(n, "cin.xml"), "source_row": np.arange(n) * 40 + 5}
    tables = {"child": _table("child", {"child_id": ids, "date_of_birth": dob, "sex": sex, "ethnicity": eth,
                                        "disabilities": dis, "upn_unknown": np.full(n, "UN2"), **prov}, n)}
    # referrals: one per child, a second for 30% (closed earlier episode first)
    second = rng.random(n) < 0.3
    r_child = np.concatenate([ids, ids[second]])
    m = len(r_child)
    r_id = np.char.add(r_child, np.concatenate([np.full(n, "/1"), np.full(second.sum(), "/0")]))
    r_date = _days(np.concatenate([START + rng.integers(0, 360, n), START - rng.integers(400, 700, second.sum())]))
    closed = np.concatenate([rng.random(n) < 0.5, np.ones(second.sum(), bool)])
    close_date = np.where(closed, np.minimum(r_date + rng.integers(30, 200, m), np.concatenate([np.full(n, END), START + rng.integers(0, 20, second.sum())])), np.datetime64("NaT"))
    close_date = np.where(closed & (close_date < r_date), r_date, close_date)
    nfa = rng.random(m) < 0.1
    reason = np.where(closed, rng.choice(np.array(["RC1", "RC6", "RC7", "RC8", "RC9"]), m), None)
    tables["referral"] = _table("referral", {
        "referral_id": r_id, "child_id": r_child, "referral_date": r_date, "closure_date": close_date,
        "closure_reason": reason, "nfa": nfa, "primary_need": np.where(nfa, None, "N1"),
        "referral_source": rng.choice(np.array(["1A", "2A", "3A", "6", "ZZ"]), m, p=[0.3, 0.3, 0.2, 0.199, 0.001]),
        "load_id": np.ones(m, dtype=np.int64), "source_file": np.full(m, "cin.xml"), "source_row": np.arange(m) * 40 + 12}, m)
    # one assessment per referral that went on to further action
    a = ~nfa
    k = int(a.sum())
    a_start = r_date[a] + rng.integers(0, 5, k)
    done = rng.random(k) < 0.85
    a_auth = np.where(done, a_start + rng.integers(1, 60, k), np.datetime64("NaT"))
    tables["assessment"] = _table("assessment", {
        "assessment_id": np.char.add(r_id[a], "/a1"), "referral_id": r_id[a], "child_id": r_child[a],
        "start_date": _days(a_start), "authorised_date": _days(a_auth),
        "factors": np.where(done, rng.choice(np.array(["2B;3A", "21", "4A", "1A;2A;3B", "21;2B"]), k, p=[0.4, 0.2, 0.2, 0.199, 0.001]), None),
        "load_id": np.ones(k, dtype=np.int64), "source_file": np.full(k, "cin.xml"), "source_row": np.arange(k) * 40 + 18}, k)
    # section 47 for 20% of referrals, ICPC and CP plan for half of those
    s = a & (rng.random(m) < 0.2)
    j = int(s.sum())
    s_start = r_date[s] + rng.integers(0, 10, j)
    conf = rng.random(j) < 0.5
    s_icpc = np.where(conf, s_start + rng.integers(5, 15, j), np.datetime64("NaT"))
    tables["s47_enquiry"] = _table("s47_enquiry", {
        "s47_id": np.char.add(r_id[s], "/s47/1"), "referral_id": r_id[s], "child_id": r_child[s], "start_date": _days(s_start),
        "icpc_date": _days(s_icpc), "icpc_target_date": _days(s_start + 15), "icpc_not_required": ~conf,
        "load_id": np.ones(j, dtype=np.int64), "source_file": np.full(j, "cin.xml"), "source_row": np.arange(j) * 40 + 24}, j)
    c_ids, c_ref, c_child = np.char.add(r_id[s][conf], "/cp1"), r_id[s][conf], r_child[s][conf]
    q = len(c_ids)
    c_start = _days(s_icpc[conf])
    c_end = np.where(rng.random(q) < 0.4, c_start + rng.integers(60, 200, q), np.datetime64("NaT"))
    tables["cp_plan"] = _table("cp_plan", {
        "cp_plan_id": c_ids, "referral_id": c_ref, "child_id": c_child, "start_date": c_start, "end_date": _days(c_end),
        "initial_category": rng.choice(np.array(["NEG", "EMO", "PHY", "SAB"]), q), "latest_category": np.full(q, "NEG"),
        "previous_plans": rng.integers(0, 3, q),
        "load_id": np.ones(q, dtype=np.int64), "source_file": np.full(q, "cin.xml"), "source_row": np.arange(q) * 40 + 30}, q)
    tables["cp_review"] = _table("cp_review", {
        "cp_plan_id": c_ids, "child_id": c_child, "review_date": _days(c_start + 90),
        "load_id": np.ones(q, dtype=np.int64), "source_file": np.full(q, "cin.xml"), "source_row": np.arange(q) * 40 + 33}, q)
    # CIN plans for 30% of assessed referrals without a CP plan
    p = a & ~s & (rng.random(m) < 0.3)
    w = int(p.sum())
    p_start = _days(r_date[p] + rng.integers(20, 60, w))
    tables["cin_plan"] = _table("cin_plan", {
        "cin_plan_id": np.char.add(r_id[p], "/cin1"), "referral_id": r_id[p], "child_id": r_child[p], "start_date": p_start,
        "end_date": np.where(closed[p], close_date[p], np.datetime64("NaT")).astype("datetime64[D]"),
        "load_id": np.ones(w, dtype=np.int64), "source_file": np.full(w, "cin.xml"), "source_row": np.arange(w) * 40 + 36}, w)
    workers = np.char.add("W", (np.arange(n) % 400).astype(str))
    tables["allocation"] = _table("allocation", {
        "child_id": ids, "worker_id": workers, "team_id": np.char.add("T", (np.arange(n) % 40).astype(str)),
        "start_date": _days(np.full(n, START - 30)), "load_id": np.full(n, 2, dtype=np.int64)}, n)
    return tables


def one(children: int, db: str, batch: int | None = None) -> dict:
    """Build, insert and check one size (run in its own process)."""
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    from cscperf.rules.ruleset import load_ruleset
    from cscperf.rules.runner import run_checks
    from cscperf.store import open_engine
    from cscperf.store.migrate import migrate
    from cscperf.store.rows import to_arrow

    engine = open_engine(db)
    migrate(engine)
    tables = build(children)
    with engine.transaction():
        engine.insert("load", to_arrow("load", [{"load_id": 1, "started_at": "2025-05-01 09:00:00", "loaded_by": "bench",
                                                  "status": "loaded", "source_format": "cin", "as_at": date(2025, 3, 31)}]))
        for name, table in tables.items():
            engine.insert(name, table)
    ruleset = load_ruleset("cin", "2024_25")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    kwargs = {"batch": batch} if batch else {}
    result = run_checks(engine, ruleset, load_ids=[1], **kwargs)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    run_checks(engine, ruleset, load_ids=[1], **kwargs)  # again: the rules' SQL is compiled once per process
    warm = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    engine.close()
    return {"children": children, "rows": sum(t.num_rows for t in tables.values()), "rules": result.rules_run,
            "findings": result.findings, "seconds": seconds, "warm": warm, "peak_mb": peak / 1024,
            "before_mb": rss_before / 1024}


def _copy_903(engine, load_ids: list[int], copies: int) -> None:
    """Every 903 row of ``load_ids`` again ``copies - 1`` times under new child ids (DuckDB SQL)."""
    from cscperf.rules.scope import RETURN_TABLES

    ids = ", ".join(str(i) for i in load_ids)
    for table in sorted(RETURN_TABLES["903"]):
        name = "child_source" if table == "child" else table
        engine.execute(f"INSERT INTO {name} SELECT t.* REPLACE (t.child_id || '~' || CAST(r.k AS VARCHAR) AS child_id) "
                       f"FROM {name} t, (SELECT range AS k FROM range(1, {copies})) r WHERE t.load_id IN ({ids})", portable=False)


def one_903(episodes: int, council: str, db: str, batch: int | None = None) -> dict:
    """Load the council's two latest 903 years, copy them up to ``episodes``, check (own process)."""
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    from pathlib import Path

    from cscperf.ingest.load import load_paths
    from cscperf.rules.ruleset import load_ruleset
    from cscperf.rules.runner import collection_year_of, run_checks
    from cscperf.store import open_engine
    from cscperf.store.migrate import migrate

    engine = open_engine(db)
    migrate(engine)
    folder = Path(council) / "ssda903"
    register = Path(council) / "ofsted"
    if register.is_dir():  # Ofsted's provider register first, so the URN rules (219-228, 241) run too
        load_paths(engine, [register])
    years = sorted({p.name.split("_", 1)[1][:7] for p in folder.glob("ssda903_*.csv")})[-2:]
    for year in years:  # older first, so load ids follow the years
        load_paths(engine, sorted(folder.glob(f"ssda903_{year}_*.csv")), format="903")
    loads = [int(r[0]) for r in engine.execute(
        "SELECT load_id FROM load WHERE status = 'loaded' AND source_format = '903' ORDER BY load_id").rows()]
    previous, current = loads[-2], loads[-1]
    base = int(engine.execute("SELECT COUNT(*) FROM cla_episode WHERE load_id = :l", {"l": current}).scalar())
    copies = max(1, round(episodes / base))
    _copy_903(engine, [previous, current], copies)
    count = lambda sql: int(engine.execute(sql, {"l": current}).scalar())  # noqa: E731
    n_episodes = count("SELECT COUNT(*) FROM cla_episode WHERE load_id = :l")
    n_children = count("SELECT COUNT(DISTINCT child_id) FROM child_source WHERE load_id = :l")
    rows = sum(count(f"SELECT COUNT(*) FROM {t} WHERE load_id = :l") for t in
               ("child_source", "cla_episode", "cla_review", "missing_episode", "care_leaver", "cla_outcome", "adoption",
                "placed_for_adoption", "previous_permanence", "social_worker_episode", "deprivation_of_liberty"))
    ruleset = load_ruleset("903", collection_year_of(engine, [current]))
    kwargs = {"batch": batch} if batch else {}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = run_checks(engine, ruleset, load_ids=[current], previous_loads=[previous], **kwargs)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    run_checks(engine, ruleset, load_ids=[current], previous_loads=[previous], **kwargs)
    warm = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    engine.close()
    return {"children": n_episodes, "kids": n_children, "rows": rows, "rules": result.rules_run,
            "findings": result.findings, "seconds": seconds, "warm": warm, "peak_mb": peak / 1024,
            "before_mb": rss_before / 1024, "year": ruleset.year, "skipped": len(result.skipped)}


def main_903(args) -> None:
    council = args.council
    tmp_council = None
    if council is None:
        tmp_council = tempfile.mkdtemp(prefix="bench_rules_903_")
        council = os.path.join(tmp_council, "council")
        subprocess.run([sys.executable, "-m", "cscperf", "synth", "--profile", "medium", "--seed", "1",
                        "--as-at", "2026-04-30", "--out", council], check=True, capture_output=True, env=os.environ)
    rows = []
    for size in (args.episodes, args.episodes * args.factor):
        with tempfile.TemporaryDirectory() as tmp:
            extra = ["--batch", str(args.batch)] if args.batch else []
            out = subprocess.run([sys.executable, __file__, "--return", "903", "--one", str(size), "--council", council,
                                  "--db", os.path.join(tmp, "bench.duckdb"), *extra],
                                 capture_output=True, text=True, check=True, env=os.environ)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    if tmp_council:
        import shutil

        shutil.rmtree(tmp_council, ignore_errors=True)
    base = rows[0]
    print(f"SSDA903 rules ({base['rules']} run, {base['skipped']} skipped) of {base['year']} on duckdb")
    print(f"{'episodes':>9} {'children':>9} {'rows':>9} {'findings':>9} {'first s':>8} {'again s':>8} {'peak MB':>8} "
          f"{'MB before':>9} {'time x':>7} {'size x':>7}")
    for r in rows:
        print(f"{r['children']:>9} {r['kids']:>9} {r['rows']:>9} {r['findings']:>9} {r['seconds']:>8.2f} {r['warm']:>8.2f} "
              f"{r['peak_mb']:>8.0f} {r['before_mb']:>9.0f} {r['seconds'] / base['seconds']:>7.1f} "
              f"{r['children'] / base['children']:>7.1f}")
    print("episodes/children/rows: the checked year's (copied) cla_episode rows, children and 903 rows; the previous")
    print("year is copied alike. first s / again s / peak MB / MB before: as for the CIN table. Target (issue 6):")
    print(f"<= 1.5 s and <= 500 MB at ~{base['children']} episodes; time ratio about the size ratio.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--db", default="duckdb", help="'duckdb' (a temporary file) or a postgresql:// URL")
    parser.add_argument("--batch", type=int, default=None, help="Rules per statement (default: the runner's)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--return", dest="return_type", choices=("cin", "903"), default="cin")
    parser.add_argument("--episodes", type=int, default=10_700, help="903: episodes in the checked year")
    parser.add_argument("--council", help="903: a `cscperf synth` folder (default: synth medium, in a temporary folder)")
    args = parser.parse_args()
    if args.return_type == "903":
        if args.one:
            print(json.dumps(one_903(args.one, args.council, args.db, args.batch)))
        else:
            main_903(args)
        return
    if args.one:
        print(json.dumps(one(args.one, args.db, args.batch)))
        return
    rows = []
    for size in (args.children, args.children * args.factor):
        with tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, "bench.duckdb") if args.db == "duckdb" else args.db
            extra = ["--batch", str(args.batch)] if args.batch else []
            out = subprocess.run([sys.executable, __file__, "--one", str(size), "--db", db, *extra],
                                 capture_output=True, text=True, check=True, env=os.environ)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    base = rows[0]
    print(f"CIN census rules ({base['rules']}) on {args.db}")
    print(f"{'children':>9} {'rows':>9} {'findings':>9} {'first s':>8} {'again s':>8} {'peak MB':>8} {'MB before':>9} "
          f"{'time x':>7} {'size x':>7}")
    for r in rows:
        print(f"{r['children']:>9} {r['rows']:>9} {r['findings']:>9} {r['seconds']:>8.2f} {r['warm']:>8.2f} {r['peak_mb']:>8.0f} "
              f"{r['before_mb']:>9.0f} {r['seconds'] / base['seconds']:>7.1f} {r['children'] / base['children']:>7.0f}")
    print(f"first s: first check in a fresh process (includes compiling the rules' SQL with SQLGlot); again s: a second")
    print(f"check of the same loads in that process. peak MB: the process's peak RSS (data build included); MB before:")
    print(f"RSS peak before the check. Target: <= 2 s at {base['children']} children; time ratio about the size ratio.")


if __name__ == "__main__":
    main()
