"""Time and peak memory of the Annex A, CSWW and HR/survey writers and readers at 1x and 10x size.

Usage: PYTHONPATH=src python bench/bench_local_formats.py [--children 4000] [--factor 10]

Each measurement runs in a fresh process (peak RSS is per process). The table shows the 10x/1x
ratios: linear growth is a time ratio near the factor; memory for the streamed CSWW reader should
grow far less than the file.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

AS_AT = date(2026, 10, 31)


def tables(children: int, seed: int = 1) -> dict:
    from cscperf.store.rows import to_arrow

    rnd = random.Random(seed)
    day = lambda: AS_AT - timedelta(days=rnd.randrange(0, 360))  # noqa: E731
    t: dict[str, list] = {k: [] for k in ("child", "contact", "referral", "assessment", "s47_enquiry", "cp_plan",
                                          "cla_episode", "care_leaver", "staff_spell", "absence_spell",
                                          "agency_cost", "post", "survey_response")}
    for i in range(children):
        cid = f"C{i:07d}"
        t["child"].append({"child_id": cid, "sex": rnd.choice("12"), "ethnicity": rnd.choice(["WBRI", "AIND", "BAFR"]),
                           "date_of_birth": date(2010, 1, 1) + timedelta(days=rnd.randrange(5000))})
        d = day()
        t["contact"].append({"contact_id": f"k{i}", "child_id": cid, "contact_date": d, "contact_source": "6"})
        if rnd.random() < 0.6:
            t["referral"].append({"referral_id": f"r{i}", "child_id": cid, "referral_date": d, "referral_source": "6",
                                  "nfa": False, "primary_need": "N1", "team_id": "T1", "worker_id": "W1"})
            t["assessment"].append({"assessment_id": f"a{i}", "child_id": cid, "start_date": d,
                                    "authorised_date": d + timedelta(days=20), "outcome": "yes"})
        if rnd.random() < 0.15:
            t["s47_enquiry"].append({"s47_id": f"s{i}", "child_id": cid, "start_date": d, "strategy_discussion_date": d})
        if rnd.random() < 0.08:
            t["cp_plan"].append({"cp_plan_id": f"p{i}", "child_id": cid, "start_date": d, "initial_category": "NEG",
                                 "latest_category": "NEG", "previous_plans": 0})
        if rnd.random() < 0.05:
            t["cla_episode"] += [
                {"child_id": cid, "decom": d - timedelta(days=400), "rne": "S", "legal_status": "V2", "place": "U6",
                 "place_provider": "PR1", "dec": d, "rec": "X1", "cin": "N1"},
                {"child_id": cid, "decom": d, "rne": "T", "legal_status": "C2", "place": "U4", "place_provider": "PR4",
                 "cin": "N1"}]
        if rnd.random() < 0.02:
            t["care_leaver"].append({"child_id": cid, "collection_year": 2026, "contact_date": d, "in_touch": "YES",
                                     "activity": "F2", "accommodation": "D1"})
    for w in range(children // 10):
        wid = f"SW{w:010d}"
        t["staff_spell"].append({"spell_id": f"s{w}", "worker_id": wid, "role": "social_worker", "team_id": "T1",
                                 "start_date": date(2020, 1, 1), "fte": 1.0, "agency": False, "qualified": True,
                                 "cases": 15})
        t["absence_spell"].append({"absence_id": f"a{w}", "worker_id": wid, "start_date": date(2026, 1, 5),
                                   "end_date": date(2026, 1, 9), "working_days_lost": 5.0, "reason": "infection"})
        t["agency_cost"].append({"quarter_start": date(2026, 4, 1), "team_id": "T1", "worker_id": wid, "hours": 100.0,
                                 "cost": 5000.0})
        t["post"].append({"post_id": f"P{w}", "team_id": "T1", "role": "social_worker", "fte": 1.0})
        for q in range(10):
            t["survey_response"].append({"survey_id": "s", "respondent_id": f"R{w}", "question_id": f"Q{q:02d}",
                                         "answer": "agree"})
    return {name: to_arrow(name, rows) for name, rows in t.items()}


def one(fmt: str, children: int, out: Path) -> dict:
    """Write then read one format; seconds for each step and the process's peak RSS."""
    data = tables(children)
    started = time.perf_counter()
    if fmt == "annex-a":
        from cscperf.ingest.formats.annex_a import AnnexAReader as R
        from cscperf.returns import annex_a
        paths = annex_a.write(data, out / "annex_a.xlsx", as_at=AS_AT)
    elif fmt == "csww":
        from cscperf.ingest.formats.csww import CswwReader as R
        from cscperf.returns import csww
        paths = csww.write(data, out, la_code="883", as_at=AS_AT)
    else:
        from cscperf.ingest.formats.hr import HrReader as R
        from cscperf.returns import hr
        paths = hr.write(data, out, as_at=AS_AT)
    wrote = time.perf_counter() - started
    reader, n = R(), 0
    started = time.perf_counter()
    for path in paths:
        n += sum(1 for _ in reader.read(path, reader.detect(path)))
    read = time.perf_counter() - started
    size = sum(p.stat().st_size for p in paths)
    return {"write_s": wrote, "read_s": read, "items": n, "bytes": size,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--children", type=int, default=4000)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--one", nargs=2, metavar=("FORMAT", "CHILDREN"))
    args = ap.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(one(args.one[0], int(args.one[1]), Path(tmp))))
        return
    print(f"{'format':8} {'size':>5} {'items':>9} {'MB file':>8} {'write s':>8} {'read s':>8} {'peak MB':>8}")
    for fmt in ("annex-a", "csww", "hr"):
        results = []
        for scale in (1, args.factor):
            proc = subprocess.run([sys.executable, __file__, "--one", fmt, str(args.children * scale)],
                                  check=True, capture_output=True, text=True)
            r = json.loads(proc.stdout)
            results.append(r)
            print(f"{fmt:8} {scale:>4}x {r['items']:>9} {r['bytes'] / 1e6:>8.2f} {r['write_s']:>8.2f} "
                  f"{r['read_s']:>8.2f} {r['peak_mb']:>8.0f}")
        a, b = results
        print(f"{fmt:8} ratio {b['items'] / a['items']:>9.1f} {b['bytes'] / a['bytes']:>8.1f} "
              f"{b['write_s'] / a['write_s']:>8.1f} {b['read_s'] / a['read_s']:>8.1f} {b['peak_mb'] / a['peak_mb']:>8.1f}")


if __name__ == "__main__":
    main()
