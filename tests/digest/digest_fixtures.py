"""A small store with 30 months of indicator results, teams, workers and findings, for digest tests.
Synthetic: made-up teams and workers; no child data at all."""

from __future__ import annotations

import random
from datetime import date, datetime

from cscperf.store.rows import to_arrow

MONTH = date(2026, 3, 1)
TEAMS = {"T1": "Assessment Team North", "T2": "Assessment Team South", "T3": "Children in Care Team"}
WORKER_NAMES = {"W1": "Alexandra Testworker", "W2": "Bartholomew Sampleperson"}


def months(last: date, n: int) -> list[date]:
    out = []
    y, m = last.year, last.month
    for _ in range(n):
        out.append(date(y, m, 1))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out[::-1]


def _end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


# indicator -> (kind, typical denominator, typical rate)
SPECS = {
    "front_door.re_referrals": ("percent", 120, 0.19),
    "assessment.within_45_working_days": ("percent", 110, 0.9),
    "child_protection.icpc_within_15_working_days": ("percent", 9, 0.85),          # small numbers: suppression in the public digest
    "child_protection.cp_rate": ("rate", 42000, 0.0030),
    "children_in_care.cla_rate": ("rate", 42000, 0.0060),
    "children_in_care.three_placements": ("percent", 250, 0.09),
    "care_leavers.eet_19_21": ("percent", 40, 0.5),
    "workforce.vacancy_rate": ("percent", 160, 0.2),
}


def results(seed: int = 7, last: date = MONTH, n: int = 30) -> list[dict]:
    rnd = random.Random(seed)
    rows = []
    for iid, (kind, den0, rate) in SPECS.items():
        for i, m in enumerate(months(last, n)):
            den = max(1, round(den0 * rnd.uniform(0.9, 1.1)))
            num = min(den, max(0, round(den * rate * rnd.uniform(0.85, 1.15))))
            if iid == "child_protection.icpc_within_15_working_days" and m == last:
                den, num = 12, 10    # this month: 2 late conferences - the complement is small
            if iid == "care_leavers.eet_19_21" and m == last:
                num = 3              # small numerator this month
            value = num / den * (10000 if kind == "rate" else 100)
            base = {"run_id": 1, "indicator_id": iid, "period_start": m, "period_end": _end(m)}
            rows.append({**base, "level": "council", "numerator": num, "denominator": den, "value": value})
            if kind == "percent" and iid != "workforce.vacancy_rate":
                split = [0.5, 0.3, 0.2]
                for (team, _), share in zip(TEAMS.items(), split):
                    tden = max(1, round(den * share))
                    tnum = min(tden, round(num * share))
                    rows.append({**base, "level": "team", "team_id": team, "numerator": tnum, "denominator": tden,
                                 "value": tnum / tden * 100})
                    rows.append({**base, "level": "worker", "team_id": team, "worker_id": "W1", "numerator": 1,
                                 "denominator": 2, "value": 50.0})
    return rows


def seed(engine, last: date = MONTH) -> None:
    with engine.transaction():
        engine.insert("indicator_result", to_arrow("indicator_result", results(last=last)))
        engine.insert("indicator_run", to_arrow("indicator_run", [{
            "run_id": 1, "computed_at": datetime(2026, 4, 2, 9, 0), "first_month": months(last, 30)[0], "last_month": last}]))
        engine.insert("team", to_arrow("team", [
            {"team_id": t, "team_name": name, "load_id": 1} for t, name in TEAMS.items()]))
        engine.insert("worker", to_arrow("worker", [
            {"worker_id": w, "worker_name": name, "load_id": 1} for w, name in WORKER_NAMES.items()]))
        engine.insert("council", to_arrow("council", [{"la_code": "883", "la_name": "Thurrock"}]))
        engine.insert("check_run", to_arrow("check_run", [
            {"check_id": 1, "checked_at": datetime(2026, 4, 1), "return_type": "cin", "collection_year": "2025_26", "findings": 0}]))
        findings = [("8525", "error", 40), ("2885", "error", 3), ("1103", "query", 12), ("4180", "query", 9), ("8875", "integrity", 2)]
        rows, n = [], 0
        for code, rtype, count in findings:
            for _ in range(count):
                n += 1
                rows.append({"check_id": 1, "finding_no": n, "rule_code": code, "rule_type": rtype,
                             "message": f"Rule {code} message", "child_id": f"C{n:04d}", "worker_id": "W1"})
        engine.insert("finding", to_arrow("finding", rows))


def seeded_store(folder, benchmarks: bool = False):
    """A DuckDB store in ``folder`` holding the results ``seed`` writes, and with ``benchmarks``
    DfE's statistics from the test files (dfe_fixtures.py); the caller closes it."""
    from cscperf.store import open_engine
    from cscperf.store.migrate import migrate

    engine = open_engine(str(folder / "store.duckdb"))
    migrate(engine)
    seed(engine)
    if benchmarks:
        from cscperf.digest.benchmarks import import_files
        from dfe_fixtures import write_c1, write_lait, write_sn2025

        import_files(engine, [write_c1(folder), write_lait(folder), write_sn2025(folder)])
    return engine


def director_model(folder):
    """The director's digest model of ``seeded_store`` (no benchmarks)."""
    from cscperf.digest.catalogue import default_catalogue
    from cscperf.digest.model import AUDIENCES, build_model
    from cscperf.digest.targets import load_targets

    engine = seeded_store(folder)
    try:
        return build_model(engine, MONTH, AUDIENCES["director"], default_catalogue(), load_targets(), "883")
    finally:
        engine.close()
