"""One CIN episode: referral -> assessment -> section 47 -> ICPC -> CP plan (reviews, step-down to a CIN
plan) or CIN plan, and entry to care; the episode closes when the last service ends."""

from __future__ import annotations

from cscperf.synth import params as P
from cscperf.synth.care import period_of_care
from cscperf.synth.context import Ctx
from cscperf.synth.journey import Child, visits, write_contact


def _clip(p: float) -> float:
    return min(max(p, 0.05), 0.995)


def _open(day: int | None, as_at: int) -> int | None:
    """A date that has not happened by as-at is not recorded yet."""
    return day if day is not None and day <= as_at else None


def episode(ctx: Ctx, ch: Child, r: int) -> int | None:
    """Simulate the CIN episode referred on day ``r``; return its closure day, or None if still open."""
    d, wd, A, org, rows = ctx.d, ctx.wd, ctx.as_at, ctx.org, ctx.rows
    ch.episodes += 1
    rid = f"{ch.cid}R{ch.episodes}"
    source = d.pick(P.REFERRAL_SOURCE)
    eighteen = ch.birthday(18)
    write_contact(ctx, ch, max(r - (0 if d.chance(0.75) else d.int(1, 3)), ch.dob), source, "referral")

    if not (ch.uasc and ch.episodes == 1) and d.chance(P.NFA_AT_REFERRAL):
        team = org.pick_team("assessment")
        h = org.worker_at(team, r)
        rows["referral"].append((rid, ch.cid, r, source, "N9", True, r, "RC8", team.team_id, h.worker_id if h else None))
        return r

    disabled_case = ch.disabled and d.chance(0.45)
    need = "N2" if disabled_case else d.pick(P.PRIMARY_NEED)
    arriving_uasc = ch.uasc and ch.episodes == 1
    if arriving_uasc:  # an unaccompanied child is accommodated on arrival
        disabled_case, need = False, "N8"
    team = org.pick_team("disabled_children" if disabled_case else "assessment")
    ends: list[int | None] = []
    reason = "RC7"
    had_cp = ch.cp_plans > 0
    s47 = not arriving_uasc and d.chance(P.S47_PER_REFERRAL * (P.REPEAT_BOOST if had_cp else 1.0))
    care_entry: int | None = r + d.int(0, 2) if arriving_uasc else None
    care_via_cp = False

    # Assessment
    a_end = None
    worker = None
    in_need = True
    if s47 or d.chance(P.ASSESSED):
        a_start = wd.next1(r + (0 if d.chance(0.55) else d.int(1, 6)))
        p45 = _clip(P.ASSESSMENT_45WD + 0.03 * team.perf + 0.06 * ctx.trend(a_start) + ctx.noise(a_start))
        dur = int(45 * d.u() ** 0.55) if d.chance(p45) else 46 + int(d.exp(22))
        a_end = wd.add1(a_start, dur)
        alloc = org.allocate(rows["allocation"], ch.cid, team, r, a_end if a_end <= A else None)
        worker = alloc[0][1] if alloc else None
        in_need = s47 or arriving_uasc or not d.chance(P.NOT_IN_NEED)
        if a_start <= A:
            factors = None
            if a_end <= A:
                codes = {d.pick(P.FACTORS) for _ in range(1 + d.poisson(1.3))} if in_need or d.chance(0.5) else {"21"}
                factors = ";".join(sorted(codes, key=lambda c: (int(c.rstrip("ABCDEF")), c)))
            seen = a_start + d.int(0, 10)
            # Annex A list 4's yes/no flag: assessed as requiring children's social care support
            outcome = "yes" if s47 or in_need else "no"
            rows["assessment"].append((
                f"{rid}/a1", rid, ch.cid, a_start, _open(a_end, A), factors, _open(seen, A), outcome if a_end <= A else None,
                team.team_id, worker,
            ))
        ends.append(a_end if a_end <= A else None)
        if not in_need:
            reason = "RC9" if d.chance(0.3) else "RC8"

    # Section 47 and conference
    cp_start = cp_end = None
    if s47:
        s_start = r + (0 if d.chance(0.45) else d.int(1, 3) if d.chance(0.6) else d.int(4, 20))
        s_start = max(s_start, r)
        outcome = "icpc" if d.chance(P.S47_TO_ICPC * (P.REPEAT_BOOST if had_cp else 1.0)) else d.pick(P.S47_OTHER_OUTCOME)
        target = wd.add1(s_start, 15)
        icpc_day = None
        if outcome == "icpc":
            p15 = _clip(P.ICPC_15WD + 0.035 * team.perf - 0.03 * ctx.trend(s_start) + ctx.noise(s_start))
            dur = d.int(6, 15) if d.chance(p15) else 16 + int(d.exp(7))
            icpc_day = wd.add1(s_start, dur)
        s_end = icpc_day if icpc_day is not None else s_start + d.int(5, 30)
        if s_start <= A:
            d.chance(0.2)  # this draw once set the strategy discussion a day early; kept so each seed's council stays as it was
            sid = f"{rid}/s47/1"
            rows["s47_enquiry"].append((
                # the enquiry starts with its strategy discussion (DfE times the ICPC from it in the CIN
                # census's S47ActualStartDate and in Annex A's strategy discussion date): one date, so the
                # two returns' copies of an enquiry are recognised as one record
                sid, rid, ch.cid, s_start, s_start, target, _open(icpc_day, A),
                False if outcome == "icpc" else (True if s_end <= A else None), outcome if s_end <= A else None,
                team.team_id, worker,
            ))
            if icpc_day is not None and icpc_day <= A:
                plan = d.chance(P.ICPC_TO_PLAN)
                cp_team = org.pick_team("child_protection")
                rows["icpc"].append((f"{rid}/icpc", sid, rid, ch.cid, icpc_day, "cp_plan" if plan else "no_plan", cp_team.team_id, worker))
                if plan and icpc_day < eighteen - 30:
                    cp_start = icpc_day
                    cp_end, care_entry, care_via_cp = _cp_plan(ctx, ch, rid, cp_team, cp_start, need, eighteen)
                    ends.append(cp_end)
                    if cp_end is None:
                        cp_end = -1
        ends.append(s_end if s_end <= A else None)

    # CIN plan (after an assessment without a CP plan, or as a step-down from one)
    cin_start = None
    if arriving_uasc:
        pass
    elif in_need and a_end is not None and cp_start is None and d.chance(P.CIN_PLAN_AFTER_ASSESSMENT):
        cin_start = max(a_end, r) + d.int(0, 10)
    elif cp_start is not None and cp_end > 0 and care_entry is None and d.chance(P.CP_STEP_DOWN_CIN):
        cin_start = cp_end + 1
    if cin_start is not None and cin_start <= A and cin_start < eighteen - 14:
        cin_end = min(cin_start + max(14, int(d.lognormal(P.CIN_PLAN_MEDIAN_DAYS, 0.6))), eighteen - 1)
        if care_entry is None and cp_start is None and d.chance(P.CLA_FROM_IN_NEED * _age_factor(ch, cin_start)):
            care_entry = cin_start + d.int(1, max(2, min(cin_end - cin_start, 200)))
            cin_end = care_entry
        fs_team = org.pick_team("disabled_children" if disabled_case else "family_support")
        alloc = org.allocate(rows["allocation"], ch.cid, fs_team, cin_start, _open(cin_end, A))
        fs_worker = alloc[0][1] if alloc else None
        rows["cin_plan"].append((f"{rid}/cin1", rid, ch.cid, cin_start, _open(cin_end, A), fs_team.team_id, fs_worker))
        visits(ctx, ch, "CIN", cin_start, cin_end, 28, _clip(0.8 + 0.05 * fs_team.perf), fs_worker)
        ends.append(_open(cin_end, A))

    # Emergency entry to care straight from the referral
    if care_entry is None and d.chance(P.CLA_EMERGENCY * _age_factor(ch, r)):
        care_entry = r + d.int(0, 2)

    if care_entry is not None and care_entry <= A and care_entry < eighteen - 7:
        care_end, reason_care = period_of_care(ctx, ch, care_entry, need, care_via_cp)
        ends.append(care_end)
        reason = reason_care

    if any(e is None for e in ends):
        close = None
    else:
        close = max([r, *ends]) + (d.int(0, 14) if reason not in ("RC8", "RC9") else d.int(0, 3))
        if close >= eighteen:  # services end at 18 (never before the last of them ended)
            close = max([r, *ends, eighteen - 1])
            if reason not in ("RC1", "RC3", "RC4", "RC5"):
                reason = "RC6" if disabled_case else "RC7"
        if d.chance(0.02) and reason == "RC7":
            reason = "RC5"
    if close is not None and close > A:
        close = None
    rows["referral"].append((rid, ch.cid, r, source, need, False, close, reason if close is not None else None, team.team_id, worker))
    return close


def _age_factor(ch: Child, day: int) -> float:
    age = ch.age_years(day)
    return 2.2 if age < 1 else 0.8 if age < 10 else 1.25 if age < 16 else 1.0


def _cp_plan(ctx: Ctx, ch: Child, rid: str, team, start: int, need: str, eighteen: int):
    """A CP plan from ``start``: reviews, visits, and perhaps entry to care. Returns (end or None,
    care entry day or None, True if care came from the plan)."""
    d, wd, A, rows = ctx.d, ctx.wd, ctx.as_at, ctx.rows
    length = max(7, int(d.lognormal(P.CP_MEDIAN_DAYS, P.CP_SIGMA)))
    end = min(start + length, eighteen - 1)
    care = None
    if d.chance(P.CLA_FROM_CP * _age_factor(ch, start)):
        care = start + d.int(3, max(4, min(length, 300)))
        if care < eighteen - 7:
            end = max(start + 1, care + d.int(0, 40))
        else:
            care = None
    previous = ch.cp_plans
    ch.cp_plans += 1
    cat = d.pick(P.ABUSE_CATEGORY)
    latest = cat if d.chance(0.9) else d.pick(P.ABUSE_CATEGORY)
    alloc = ctx.org.allocate(rows["allocation"], ch.cid, team, start, _open(end, A))
    worker = alloc[0][1] if alloc else None
    pid = f"{rid}/cp1"
    rows["cp_plan"].append((pid, rid, ch.cid, start, _open(end, A), cat, latest, previous, team.team_id, worker))
    # Reviews: first within 3 months, then at most 6 months apart (mostly on time).
    on_time = _clip(0.93 + 0.03 * team.perf)
    review = start + (d.int(55, 90) if d.chance(on_time) else d.int(91, 130))
    while True:
        review = wd.next1(review)
        if review >= end or review > A:
            break
        rows["cp_review"].append((pid, ch.cid, review))
        review += d.int(150, 182) if d.chance(on_time) else d.int(183, 230)
    visits(ctx, ch, "CP", start, end, 14, _clip(0.84 + 0.06 * team.perf + 0.08 * ctx.trend(start)), worker)
    return _open(end, A), care, care is not None
