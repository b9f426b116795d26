"""Random small canonical data for engine tests: every table the indicator library reads."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from cscperf.store.rows import to_arrow
from cscperf.store.schema import tables

START = date(2023, 1, 1)
DAYS = 900  # to mid-2025


def _day(rng: random.Random, lo: int = 0, hi: int = DAYS) -> date:
    return START + timedelta(days=rng.randint(lo, hi))


def _maybe(rng: random.Random, p: float, value: Any) -> Any:
    return value if rng.random() < p else None


def canonical_rows(seed: int, children: int = 30, teams: int = 3, workers: int = 6) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(seed)
    team_ids = [f"T{i}" for i in range(teams)]
    worker_ids = [f"W{i}" for i in range(workers)]
    child_ids = [f"C{i}" for i in range(children)]
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "council", "population", "child", "team", "worker_team", "allocation", "contact", "referral", "assessment",
        "s47_enquiry", "icpc", "cp_plan", "cp_review", "visit", "cla_episode", "missing_episode", "care_leaver",
        "adoption", "staff_spell", "absence_spell", "vacancy_snapshot", "agency_cost", "survey_response")}
    out["council"].append({"la_code": "999", "la_name": "Testshire", "agency_hourly_cap": 40.0})
    out["population"] += [{"la_code": "999", "year": y, "children_0_17": 5000 + 100 * (y - 2022)} for y in (2023, 2024, 2025)]
    for t in team_ids:
        out["team"].append({"team_id": t, "team_name": f"Team {t}"})
    for i, w in enumerate(worker_ids):
        first = team_ids[i % teams]
        out["worker_team"].append({"worker_id": w, "team_id": first, "start_date": date(2020, 1, 1),
                                   "end_date": date(2024, 6, 30) if i % 3 == 0 else None})
        if i % 3 == 0:
            out["worker_team"].append({"worker_id": w, "team_id": team_ids[(i + 1) % teams], "start_date": date(2024, 7, 1)})
        out["staff_spell"].append({
            "spell_id": f"S{i}", "worker_id": w, "role": rng.choice(["social_worker", "senior_practitioner", "family_support_worker"]),
            "team_id": _maybe(rng, 0.8, first), "start_date": _day(rng, -400, 300), "end_date": _maybe(rng, 0.3, _day(rng, 300, DAYS)),
            "leave_reason": rng.choice(["resignation", None]), "fte": rng.choice([0.5, 0.8, 1.0]), "agency": rng.random() < 0.3,
            "hourly_rate": rng.choice([35.0, 40.0, 45.0, None])})
        for k in range(rng.randint(0, 3)):
            s = _day(rng)
            out["absence_spell"].append({"absence_id": f"A{i}_{k}", "worker_id": w, "start_date": s,
                                         "end_date": _maybe(rng, 0.9, s + timedelta(days=rng.randint(0, 40)))})
    for k in range(4):
        out["vacancy_snapshot"].append({"snapshot_date": _day(rng), "team_id": _maybe(rng, 0.7, rng.choice(team_ids)),
                                        "role": "social_worker", "vacancies_fte": rng.choice([0.5, 1.0, 2.0])})
    for k in range(6):
        out["agency_cost"].append({"quarter_start": date(2023 + k // 4, 1 + 3 * (k % 4), 1), "team_id": rng.choice(team_ids),
                                   "worker_id": _maybe(rng, 0.7, rng.choice(worker_ids)), "cost": float(rng.randint(100, 9000))})
    n = 0
    for c in child_ids:
        out["child"].append({"child_id": c, "date_of_birth": date(2003, 1, 1) + timedelta(days=rng.randint(0, 8000))})
        a0 = _day(rng, -200, 600)
        out["allocation"].append({"child_id": c, "worker_id": rng.choice(worker_ids), "team_id": _maybe(rng, 0.8, rng.choice(team_ids)),
                                  "start_date": a0, "end_date": _maybe(rng, 0.5, a0 + timedelta(days=rng.randint(0, 500)))})
        if rng.random() < 0.4:
            out["allocation"].append({"child_id": c, "worker_id": rng.choice(worker_ids), "team_id": rng.choice(team_ids),
                                      "start_date": a0 + timedelta(days=rng.randint(0, 300))})
        for _ in range(rng.randint(0, 3)):
            n += 1
            d = _day(rng)
            team, worker = _maybe(rng, 0.5, rng.choice(team_ids)), _maybe(rng, 0.5, rng.choice(worker_ids))
            out["contact"].append({"contact_id": f"K{n}", "child_id": c, "contact_date": d, "outcome": rng.choice(["referral", "nfa"]),
                                   "team_id": team, "worker_id": worker})
            out["referral"].append({"referral_id": f"R{n}", "child_id": c, "referral_date": d, "nfa": _maybe(rng, 0.8, rng.random() < 0.2),
                                    "closure_date": _maybe(rng, 0.6, d + timedelta(days=rng.randint(0, 400))), "team_id": team, "worker_id": worker})
            a = d + timedelta(days=rng.randint(0, 10))
            out["assessment"].append({"assessment_id": f"AS{n}", "referral_id": f"R{n}", "child_id": c, "start_date": a,
                                      "authorised_date": _maybe(rng, 0.9, a + timedelta(days=rng.randint(0, 90))), "team_id": team,
                                      "worker_id": _maybe(rng, 0.5, rng.choice(worker_ids))})
            if rng.random() < 0.4:
                out["s47_enquiry"].append({"s47_id": f"S47{n}", "child_id": c, "start_date": a, "team_id": team})
                if rng.random() < 0.6:
                    out["icpc"].append({"icpc_id": f"I{n}", "s47_id": _maybe(rng, 0.9, f"S47{n}"), "child_id": c,
                                        "icpc_date": a + timedelta(days=rng.randint(-2, 30)), "team_id": _maybe(rng, 0.5, team)})
                    p0 = a + timedelta(days=rng.randint(10, 40))
                    out["cp_plan"].append({"cp_plan_id": f"P{n}", "child_id": c, "start_date": p0,
                                           "end_date": _maybe(rng, 0.6, p0 + timedelta(days=rng.randint(1, 900))),
                                           "previous_plans": _maybe(rng, 0.5, rng.randint(0, 2)), "team_id": _maybe(rng, 0.5, team)})
                    for k in range(rng.randint(0, 3)):
                        out["cp_review"].append({"cp_plan_id": f"P{n}", "child_id": c, "review_date": p0 + timedelta(days=80 + 170 * k)})
        for k in range(rng.randint(0, 4)):
            out["visit"].append({"visit_id": f"V{c}_{k}", "child_id": c, "visit_date": _day(rng), "visit_type": rng.choice(["CP", "CLA"]),
                                 "seen": rng.random() < 0.9})
        if rng.random() < 0.4:
            d = _day(rng, -600, 700)
            for k in range(rng.randint(1, 4)):
                nxt = d + timedelta(days=rng.randint(20, 300))
                last = k == 3 or rng.random() < 0.3
                out["cla_episode"].append({"child_id": c, "decom": d, "rne": "S" if k == 0 else rng.choice(["P", "L", "T", "U"]),
                                           "legal_status": rng.choice(["C2", "V2", "V3", "E1"]),
                                           "dec": _maybe(rng, 0.5, nxt) if last else nxt,
                                           "rec": rng.choice(["E11", "E4A"]) if last else "X1", "team_id": _maybe(rng, 0.3, rng.choice(team_ids))})
                if last:
                    break
                d = nxt
            for k in range(rng.randint(0, 3)):
                out["missing_episode"].append({"child_id": c, "missing_type": rng.choice(["M", "A"]), "start_date": _day(rng) + timedelta(days=k)})
            if rng.random() < 0.3:
                placed = d + timedelta(days=rng.randint(0, 100))
                out["adoption"].append({"child_id": c, "placement_order_date": placed - timedelta(days=200),
                                        "match_date": placed - timedelta(days=rng.randint(10, 150)), "placed_date": placed,
                                        "adoption_order_date": placed + timedelta(days=rng.randint(50, 300)), "foster_care": rng.random() < 0.3})
        for y in (2024, 2025):
            if rng.random() < 0.5:
                out["care_leaver"].append({"child_id": c, "collection_year": y, "in_touch": rng.choice(["YES", "NO"]),
                                           "activity": rng.choice(["F1", "G5"]), "accommodation": rng.choice(["B1", "B2"])})
    return out


def load(engine, rows: dict[str, list[dict[str, Any]]]) -> None:
    for name, items in rows.items():
        if not items:
            continue
        spec = tables()[name]
        data = [{"load_id": 1, "source_file": "test", "source_row": i, **r} for i, r in enumerate(items, 1)] if spec.provenance else items
        engine.insert(name, to_arrow(name, data))


class _Discard(Exception):
    pass


def in_rollback(engine, rows, check):
    """Load rows, run check(engine), and roll everything back (one store serves many examples)."""
    try:
        with engine.transaction():
            load(engine, rows)
            check(engine)
            raise _Discard
    except _Discard:
        pass
