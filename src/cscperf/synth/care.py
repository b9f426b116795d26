"""A period of care in the SSDA903 episode grain: legal status changes and placement moves each start
a new episode (RNE), the period ends with a REC code; reviews, missing episodes, visits, OC2 outcomes
and allocated social workers follow. Adoption and care leaving are in their own modules."""

from __future__ import annotations

from datetime import date

from cscperf.synth import params as P
from cscperf.synth.adoption import adoption_plan
from cscperf.synth.context import Ctx
from cscperf.synth.days import to_date, to_day
from cscperf.synth.draw import Dist
from cscperf.synth.journey import Child, visits
from cscperf.synth.leaving_care import care_leaver
from cscperf.synth.placements import FOSTER_TYPES, location, pick_place, placement_postcode, provider

AT_18 = Dist({"E17": 24, "E5": 42, "E6": 10, "E8": 10, "E13": 9, "E4A": 5})
SGO = Dist({"E48": 40, "E47": 20, "E45": 20, "E46": 20})
OTHER_END = Dist({"E13": 40, "E8": 30, "E3": 20, "E41": 10})
RC_FOR_REC = {"E11": "RC1", "E12": "RC1", "E41": "RC3", "E45": "RC4", "E46": "RC4", "E47": "RC4", "E48": "RC4", "E3": "RC5", "E7": "RC6"}


def _entry_status(ctx: Ctx, ch: Child, age: float) -> str:
    d = ctx.d
    if ch.uasc:
        return "V2"
    if age < 1:
        return "C1" if d.chance(0.6) else "V2" if d.chance(0.6) else "L2"
    if age < 10:
        return "C1" if d.chance(0.45) else "V2" if d.chance(0.75) else ("L1" if d.chance(0.5) else "L2")
    if age < 16:
        return "V2" if d.chance(0.55) else "C1" if d.chance(0.67) else ("L1" if d.chance(0.6) else "J1" if age >= 12 else "L2")
    return "V2" if d.chance(0.75) else "C1" if d.chance(0.4) else ("J1" if d.chance(0.5) else "J2" if d.chance(0.5) else "L1")


def _route(ctx: Ctx, ch: Child, age: float, ls: str) -> str:
    d = ctx.d
    if ch.uasc:
        return "to18" if d.chance(0.92) else "other"
    if ls in ("J1", "J2"):
        return "remand"
    u = d.u()
    if age < 4 and ls in ("C1", "L2"):
        return "adoption" if u < 0.52 else "sgo" if u < 0.72 else "home" if u < 0.88 else "to18"
    if age < 12:
        return "home" if u < 0.4 else "sgo" if u < 0.55 else "other" if u < 0.62 else "to18"
    if age < 16:
        return "home" if u < 0.52 else "other" if u < 0.6 else "to18"
    return "to18" if u < 0.72 else "home" if u < 0.95 else "other"


def period_of_care(ctx: Ctx, ch: Child, entry: int, need: str, via_cp: bool) -> tuple[int | None, str]:
    """Simulate a period of care from ``entry``; returns (end day or None if open at as-at, the CIN
    closure reason that follows from how care ended)."""
    d, A = ctx.d, ctx.as_at
    age = ch.age_years(entry)
    eighteen = ch.birthday(18)
    ch.care_periods += 1
    if ch.sex not in ("1", "2"):  # a looked-after child's sex is known (903 rules 101 and 232)
        ch.sex = "1" if d.chance(0.5) else "2"
    ls = _entry_status(ctx, ch, age)
    route = _route(ctx, ch, age, ls)
    # changes: (day, kind, value) with kind "ls" or "place" or "status"
    changes: list[tuple[int, str, str]] = []
    adopt = None
    if route == "adoption":
        adopt = adoption_plan(ctx, ch, entry)
        end, rec = adopt.order, adopt.rec
    elif route == "home":
        end, rec = entry + max(3, int(d.lognormal(120, 1.1))), "E4A" if d.chance(0.85) else "E4B"
    elif route == "sgo":
        end, rec = entry + d.int(450, 1150), d.pick(SGO)
    elif route == "remand":  # PACE accommodation (J2) lasts a day or two (903 rule 364); remand longer
        end, rec = entry + (d.int(1, 2) if ls == "J2" else d.int(5, 120)), "E14"
    elif route == "other":
        rec = "E15" if ch.uasc and d.chance(0.4) else d.pick(OTHER_END)
        end = entry + d.int(30, 800)
    else:
        end, rec = eighteen, _rec_at_18(ctx, ch)
    if end >= eighteen:
        end, rec = eighteen, _rec_at_18(ctx, ch)
    # legal status path
    if ls == "L1":
        changes.append((entry + d.int(1, 3), "ls", "C1" if d.chance(0.5) else "V2"))
    elif ls == "L2":
        changes.append((entry + d.int(2, 20), "ls", "C1"))
    follow = changes[-1][2] if changes else ls
    if follow == "C1" and route != "remand":
        changes.append((entry + d.int(150, 420), "ls", "C2"))
    elif follow == "V2" and not ch.uasc and d.chance(0.15) and route not in ("home", "remand"):
        c1 = entry + d.int(30, 200)
        changes += [(c1, "ls", "C1"), (c1 + d.int(150, 400), "ls", "C2")]
    # placement moves: a Poisson process, faster in the first year and for teenagers
    foster_only = route == "adoption"
    place = "U5" if adopt and adopt.ffa else pick_place(d, age, foster_only)
    t = entry
    while True:
        in_first_year = t - entry < 365
        rate = (0.9 if in_first_year else 0.27) * (1.5 if ch.age_years(t) >= 12 else 0.7 if ch.age_years(t) < 5 else 1.0)
        t += max(1, int(d.exp(365 / rate)))
        if t >= end:
            break
        changes.append((t, "place", pick_place(d, ch.age_years(t), foster_only)))
    if route in ("to18", "other", "sgo") and end - entry > 500 and d.chance(0.45):
        changes.append((entry + d.int(370, 500), "status", "long_term"))
    if adopt:
        if adopt.po is not None:
            changes.append((adopt.po, "ls", "E1"))
        if adopt.placed is not None:
            changes.append((adopt.placed, "adopt", "A5" if adopt.foster_care else "A6"))
        changes = [c for c in changes if adopt.placed is None or c[0] < adopt.placed or c[1] == "adopt"]
        if adopt.po is not None:  # the placement order is the legal status from then on (903 rule 408)
            changes = [c for c in changes if not (c[1] == "ls" and c[0] > adopt.po)]
            if adopt.reversed_on is not None:  # a reversed plan: the placement order is revoked (553)
                changes.append((adopt.reversed_on, "ls", "C2"))
    changes = [c for c in changes if entry < c[0] < end]
    changes.sort()
    _write_episodes(ctx, ch, entry, end, rec, need, ls, place, changes)
    _follow_up(ctx, ch, entry, end, age)
    ch.left_care = end if end <= A else None
    ch.left_reason = rec
    if ch.uasc and end == eighteen and end <= A:
        ch.uasc_ceased = end
    if end <= A and end >= ch.birthday(16) and ch.care_days_after_14 >= 91:
        care_leaver(ctx, ch, end)
    return (end if end <= A else None), RC_FOR_REC.get(rec, "RC7")


def _rec_at_18(ctx: Ctx, ch: Child) -> str:
    if ch.disabled and ctx.d.chance(0.3):
        return "E7"
    return ctx.d.pick(AT_18)


def _write_episodes(ctx, ch, entry, end, rec, need, ls, place, changes) -> None:
    d, A, rows = ctx.d, ctx.as_at, ctx.rows
    team = ctx.org.pick_team("disabled_children" if need == "N2" else "children_in_care")
    alloc = ctx.org.allocate(rows["allocation"], ch.cid, team, entry, end if end <= A else None)
    prefix = "".join(c for c in ctx.council.la_name.upper() if c.isalpha())[:2] or "XX"
    prov = provider(d, place)
    home, urn, dist, pl_la, loc = location(d, ctx.la_code, prefix, place, prov)
    cin = need if need in ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8") else "N1"  # the 903's codes (rule 145)
    segments = []  # [decom, rne, ls, place, provider, urn, dist, pl_la, loc, pl_post]
    segments.append([entry, "S", ls, place, prov, urn, dist, pl_la, loc, placement_postcode(d, prefix, loc == "IN", home)])
    for day, kind, value in changes:
        cur = list(segments[-1])
        if cur[0] == day:  # two changes on one day make one episode
            seg = segments[-1]
        else:
            seg = cur
            seg[0] = day
            seg[1] = None
            segments.append(seg)
        rne_parts = set(seg[1] or "")
        if kind == "ls":
            seg[2] = value
            rne = "L"
        elif kind == "status":
            seg[3] = {"U6": "U4", "U3": "U1"}.get(seg[3], seg[3])
            rne = "U"
        elif kind == "adopt":
            seg[3] = value
            if value == "A6":  # a new carer; with the foster carer (A5) provider and place stay
                seg[4] = provider(d, value)
                _, seg[5], seg[6], seg[7], seg[8] = location(d, ctx.la_code, prefix, value, seg[4])
                seg[9] = placement_postcode(d, prefix, seg[8] == "IN", home)
            rne = "U" if value == "A5" else "P"
        else:
            seg[3] = value
            seg[4] = provider(d, value)
            _, seg[5], seg[6], seg[7], seg[8] = location(d, ctx.la_code, prefix, value, seg[4])
            seg[9] = placement_postcode(d, prefix, seg[8] == "IN", home)
            rne = "P"
        if seg[1] == "S":
            continue
        rne_parts.add(rne)
        seg[1] = "T" if {"L", "P"} <= rne_parts else "B" if {"L", "U"} <= rne_parts else rne
    worker = alloc[0][1] if alloc else None
    if rec in ("E45", "E46"):  # SGO to the former foster carers (E45) only from a foster placement (rule 516)
        rec = "E45" if segments[-1][3] in FOSTER_TYPES else "E46"
    ep = rows["cla_episode"]
    for i, seg in enumerate(segments):
        decom = seg[0]
        if decom > A:
            break
        last = i == len(segments) - 1
        dec = end if last else segments[i + 1][0]
        dec_rec = rec if last else "X1"
        if dec > A:
            dec, dec_rec = None, None
        change = None
        # 903 rule 225: the ending episode says why when the next one changes placement (RNE P, T, B
        # or U); a change of the placement's status only (long-term fostering) is PLACE.
        nxt = segments[i + 1] if not last else None
        if nxt is not None and dec is not None and nxt[1] in ("P", "T", "B", "U") and seg[3] not in ("T0", "T1", "T2", "T3", "T4"):
            if nxt[3].startswith("A"):
                change = "CARPL"
            elif nxt[1] in ("P", "T"):
                change = d.pick(P.REASON_PLACE_CHANGE)
            else:
                change = "PLACE"
        ep.append((ch.cid, decom, seg[1], seg[2], cin, seg[3], seg[4], dec, dec_rec, change, home, seg[9],
                   seg[5], seg[6], seg[7], seg[8], team.team_id, worker))
    # care-leaver qualification: days looked after since the 14th birthday
    fourteen = ch.birthday(14)
    stop = min(end, A)
    if stop > fourteen:
        ch.care_days_after_14 += stop - max(entry, fourteen)
    visits(ctx, ch, "CLA", entry, end, 42, min(0.95, 0.87 + 0.04 * team.perf), worker)


def _follow_up(ctx: Ctx, ch: Child, entry: int, end: int, age: float) -> None:
    """Reviews, missing episodes, PrevPerm, mother status and OC2 outcomes for the period."""
    d, wd, A, rows = ctx.d, ctx.wd, ctx.as_at, ctx.rows
    stop = min(end, A)
    # Reviews: first within 20 working days, second within 3 months, then every 6 months.
    on_time = 0.9
    review = wd.add1(entry, d.int(8, 20) if d.chance(on_time) else d.int(21, 35))
    gap_days = (60, 92)
    while review < end and review <= A:
        code = "PN0" if ch.age_years(review) < 4 else d.pick(P.REVIEW_CODE)
        rows["cla_review"].append((ch.cid, review, code))
        review = wd.next1(review + (d.int(*gap_days) if d.chance(on_time) else d.int(gap_days[1] + 1, gap_days[1] + 40)))
        gap_days = (150, 182)
    # Missing and away episodes, mostly teenagers. A child is missing *from care*: the period starts
    # and ends while looked after, before the day care ends (a young person still missing on the
    # day care ends must leave with REC E8, 903 rule 580; the routes out of care here are others).
    last_day = end - 1 if end <= A else A
    if ch.age_years(stop) >= 11 and d.chance(0.34 if age >= 13 else 0.12):
        count = 1 + d.poisson(2.5)
        begin = max(entry, ch.birthday(11))
        days = sorted({min(begin + d.int(0, max(0, stop - begin)), last_day) for _ in range(count)})
        last_end = -1
        for start in days:
            if start <= last_end or start > A or start < begin:
                continue
            length = 0 if d.chance(0.45) else 1 if d.chance(0.6) else d.int(2, 7)
            finish = start + length if end > A else min(start + length, last_day)
            kind = "M" if d.chance(0.82) else "A"
            offered = kind == "M" and d.chance(0.85)
            rows["missing_episode"].append((ch.cid, kind, start, finish if finish <= A else None, offered, offered and d.chance(0.55)))
            last_end = finish
    if ch.care_periods == 1 and entry <= A:
        perm = "Z1" if d.chance(0.9) else d.pick(Dist({"P2": 40, "P3": 25, "P1": 15, "P4": 20}))
        # an order made before care needs the LA and date that made it (903 rule 630)
        made = None if perm in ("Z1", "P4") else to_date(max(ch.dob + 30, entry - d.int(180, 1500))).strftime("%d/%m/%Y")
        rows["previous_permanence"].append((ch.cid, perm, None if made is None else ctx.la_code, made))
    if ch.mother is None and ch.sex == "2":  # MOTHER is returned for girls only
        ch.mother = ch.age_years(stop) >= 13 and d.chance(0.03)
        if ch.mother:  # MOTHER 1 needs the baby's date of birth (903 rule 611)
            ch.mother_child_dob = max(entry, stop - d.int(0, 300))
    # OC2: looked after continuously for 12 months at 31 March.
    first = date.fromordinal(date(1970, 1, 1).toordinal() + entry + 365).year
    for year in range(first, date.fromordinal(date(1970, 1, 1).toordinal() + A).year + 1):
        march = to_day(date(year, 3, 31))
        # looked after continuously for 12 months: in care on 1 April of the year before and still on 31 March
        if march > A or entry > to_day(date(year - 1, 4, 1)) or march >= end or march < ctx.window_start:
            continue
        years = ch.age_years(march)
        # no SDQ score nor reason under 4 at 31 March (903 rule 188)
        under_4 = ch.birthday(4) > march
        sdq = d.int(2, 32) if not under_4 and years < 17 and d.chance(0.78) else None
        reason = None if sdq is not None or under_4 else ("SDQ1" if years >= 17 else d.pick(Dist({"SDQ4": 50, "SDQ5": 30, "SDQ2": 10, "SDQ3": 10})))
        misuse = years >= 10 and d.chance(0.04)
        received = d.chance(0.55) if misuse else None
        offered = (d.chance(0.6) if received is False else None) if misuse else None
        rows["cla_outcome"].append((
            # HEALTH_CHECK (development checks) is for under-5s only (903 rule 546)
            ch.cid, year, sdq, reason, (d.chance(0.03) if years >= 10 else None), d.chance(0.9) if ch.birthday(5) > march else None, d.chance(0.86),
            d.chance(0.8), d.chance(0.9), misuse, received, offered,
        ))
