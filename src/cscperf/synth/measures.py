"""The calibration measures, computed from the truth tables for the latest complete collection year
(the year ending 31 March on or before as-at). Used for the command's summary, the benchmark and
docs/calibration.md; the tests check calibration with their own, independent arithmetic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

import pyarrow as pa

from cscperf.synth.days import to_day, working_days

EET = {"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"}


def _col(table: pa.Table, name: str) -> list:
    values = table.column(name).to_pylist()
    if pa.types.is_date32(table.schema.field(name).type):
        return [to_day(v) if v is not None else None for v in values]
    return values


def _pct(num: float, den: float) -> float | None:
    return round(100 * num / den, 1) if den else None


def latest_year(as_at: date) -> int:
    return as_at.year if as_at >= date(as_at.year, 3, 31) else as_at.year - 1


def measures(t: Mapping[str, pa.Table], as_at: date) -> dict[str, float | None]:
    year = latest_year(as_at)
    first, last = to_day(date(year - 1, 4, 1)), to_day(date(year, 3, 31))
    wd = working_days()
    pop = max(r for r in t["population"].column("children_0_17").to_pylist())
    per10k = 10_000 / pop
    out: dict[str, float | None] = {}

    refs = sorted(zip(_col(t["referral"], "child_id"), _col(t["referral"], "referral_date"), _col(t["referral"], "nfa")))
    in_year = re_ref = nfa = 0
    prev: dict[str, int] = {}
    for child, day, is_nfa in refs:
        if first <= day <= last:
            in_year += 1
            nfa += bool(is_nfa)
            re_ref += child in prev and day - prev[child] <= 365
        prev[child] = day
    out["referrals_per_10k"] = round(in_year * per10k, 1)
    out["rereferral_pct"] = _pct(re_ref, in_year)
    out["nfa_pct"] = _pct(nfa, in_year)

    a = t["assessment"]
    done = [(s, e) for s, e in zip(_col(a, "start_date"), _col(a, "authorised_date")) if e is not None and first <= e <= last]
    out["assessment_45wd_pct"] = _pct(sum(wd.count1(s, e) <= 45 for s, e in done), len(done))

    s47 = dict(zip(_col(t["s47_enquiry"], "s47_id"), _col(t["s47_enquiry"], "start_date")))
    icpcs = [(s47.get(sid), day) for sid, day in zip(_col(t["icpc"], "s47_id"), _col(t["icpc"], "icpc_date")) if first <= day <= last]
    out["icpc_15wd_pct"] = _pct(sum(s is not None and 0 <= wd.count1(s, e) <= 15 for s, e in icpcs), len(icpcs))

    cp = t["cp_plan"]
    plans = list(zip(_col(cp, "child_id"), _col(cp, "start_date"), _col(cp, "end_date"), _col(cp, "previous_plans")))
    out["cpp_per_10k"] = round(sum(s <= last and (e is None or e > last) for _, s, e, _ in plans) * per10k, 1)
    starts = [p for p in plans if first <= p[1] <= last]
    out["cpp_starts_per_10k"] = round(len(starts) * per10k, 1)
    out["cpp_subsequent_pct"] = _pct(sum((p[3] or 0) > 0 for p in starts), len(starts))
    ended = [p for p in plans if p[2] is not None and first <= p[2] <= last]
    out["cpp_2yrs_ended_pct"] = _pct(sum(e - s > 729 for _, s, e, _ in ended), len(ended))

    ep = t["cla_episode"]
    episodes = list(zip(_col(ep, "child_id"), _col(ep, "decom"), _col(ep, "dec"), _col(ep, "rne"), _col(ep, "legal_status")))
    looked_after = {c for c, s, e, _, ls in episodes if s <= last and (e is None or e > last) and ls not in ("V3", "V4")}
    out["cla_per_10k"] = round(len(looked_after) * per10k, 1)
    out["cla_starts_per_10k"] = round(sum(r == "S" and first <= s <= last for _, s, _, r, _ in episodes) * per10k, 1)
    placements: dict[str, int] = defaultdict(int)
    for c, s, e, r, _ in episodes:
        if c in looked_after and s <= last and (e is None or e >= first) and r in ("S", "P", "T", "B"):
            placements[c] += 1
        elif c in looked_after and s <= last and (e is None or e >= first) and s < first and r in ("L", "U"):
            placements[c] += 1  # the placement open on 1 April counts even if its episode began with a legal change
    out["cla_3plus_placements_pct"] = _pct(sum(placements[c] >= 3 for c in looked_after), len(looked_after))

    dob = dict(zip(_col(t["child"], "child_id"), t["child"].column("date_of_birth").to_pylist()))
    cl = t["care_leaver"]
    groups: dict[str, list[int]] = {"17_18": [0, 0, 0], "19_21": [0, 0, 0]}
    for child, cy, act, acc in zip(_col(cl, "child_id"), _col(cl, "collection_year"), _col(cl, "activity"), _col(cl, "accommodation")):
        if cy != year:
            continue
        born = dob[child]
        age = (year if (born.month, born.day) < (4, 1) else year - 1) - born.year
        g = groups["17_18" if age <= 18 else "19_21"]
        g[0] += 1
        g[1] += act in EET
        g[2] += acc is not None and acc.endswith("1")
    for key, (n, eet, suitable) in groups.items():
        out[f"care_leavers_eet_{key}_pct"] = _pct(eet, n)
        out[f"care_leavers_suitable_{key}_pct"] = _pct(suitable, n)
    out.update(_workforce(t, as_at))
    return out


def _workforce(t: Mapping[str, pa.Table], as_at: date) -> dict[str, float | None]:
    snap_year = as_at.year if as_at >= date(as_at.year, 9, 30) else as_at.year - 1
    snap = to_day(date(snap_year, 9, 30))
    year_before = to_day(date(snap_year - 1, 10, 1))
    sw = ("social_worker", "senior_practitioner", "team_manager")
    sp = t["staff_spell"]
    rows = list(zip(_col(sp, "role"), _col(sp, "start_date"), _col(sp, "end_date"), _col(sp, "fte"), _col(sp, "agency"), _col(sp, "leave_reason"), _col(sp, "cases")))
    employed = sum(f for r, s, e, f, ag, _, _ in rows if r in sw and not ag and s <= snap and (e is None or e >= snap))
    agency = sum(f for r, s, e, f, ag, _, _ in rows if r in sw and ag and s <= snap and (e is None or e >= snap))
    leavers = sum(f for r, s, e, f, ag, lr, _ in rows if r in sw and not ag and lr is not None and e is not None and year_before <= e <= snap)
    vs = t["vacancy_snapshot"]
    vac = sum(v for d, v in zip(_col(vs, "snapshot_date"), _col(vs, "vacancies_fte")) if d == snap)
    holders = [(c, f) for r, s, e, f, ag, _, c in rows if r in ("social_worker", "senior_practitioner") and c]
    sw_workers = {w for w, r, ag in zip(_col(sp, "worker_id"), _col(sp, "role"), _col(sp, "agency")) if r in sw and not ag}
    ab = t["absence_spell"]
    lost = sum(n for w, s, n in zip(_col(ab, "worker_id"), _col(ab, "start_date"), _col(ab, "working_days_lost")) if w in sw_workers and year_before <= s <= snap)
    return {
        "sw_vacancy_pct": _pct(vac, vac + employed),
        "sw_turnover_pct": _pct(leavers, employed),
        "sw_agency_pct": _pct(agency, agency + employed),
        "sw_absence_pct": _pct(lost, employed * 253),
        "sw_caseload": round(sum(c for c, _ in holders) / sum(f for _, f in holders), 1) if holders else None,
    }
