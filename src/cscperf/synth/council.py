"""One council's simulation, end to end: arrivals, journeys, workforce and survey, as canonical
Arrow tables (the truth)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from cscperf.synth import params as P
from cscperf.synth.context import make_context
from cscperf.synth.days import to_date
from cscperf.synth.draw import child_stream
from cscperf.synth.journey import arrival_days, contact_only, new_child, write_child
from cscperf.synth.profiles import Council
from cscperf.synth.protection import episode
from cscperf.synth.survey import write_survey
from cscperf.synth.workforce import write_workforce

YEAR = 365.25


def simulate_council(council: Council, *, seed: int, as_at: date, years: int) -> dict[str, pa.Table]:
    ctx = make_context(council, seed, as_at, years)
    rng = child_stream(seed, council.index, 4)
    referred = arrival_days(ctx, rng, P.NEW_CHILD_REFERRALS_PER_10K)
    uasc = arrival_days(ctx, rng, P.UASC_ARRIVALS_PER_10K, seasonal=False)
    contacts = arrival_days(ctx, rng, P.NEW_CHILD_REFERRALS_PER_10K * P.EXTRA_CONTACTS_PER_REFERRAL * 0.55)
    contacts = contacts[contacts >= ctx.window_start]
    kinds = np.concatenate([np.zeros(len(referred), np.int8), np.ones(len(uasc), np.int8), np.full(len(contacts), 2, np.int8)])
    days = np.concatenate([referred, uasc, contacts])
    order = np.lexsort((kinds, days))
    serial = 0
    for day, kind in zip(days[order].tolist(), kinds[order].tolist()):
        serial += 1
        if kind == 2:
            write_child(ctx, contact_only(ctx, serial, day))
            continue
        ch = new_child(ctx, serial, day, uasc=kind == 1)
        journey(ctx, ch, day)
        write_child(ctx, ch)
    ctx.rows["allocation"][:] = one_allocation_at_a_time(ctx.rows["allocation"])
    ctx.rows["social_worker_episode"].extend(social_worker_episodes(ctx.rows["allocation"]))
    write_workforce(ctx)
    write_survey(ctx)
    # The name says it is synthetic, so a digest of made-up figures is never taken for the real council.
    # The cap the agency rates were drawn around, so workforce.agency_above_cap has something to count.
    ctx.rows["council"].append((council.la_code, f"{council.la_name} (synthetic)", council.new_la_code, council.region,
                                P.AGENCY_RATE_CAP))
    for year in range(to_date(ctx.window_start).year, as_at.year + 1):
        drift = 1 + 0.004 * (year - as_at.year)
        ctx.rows["population"].append((council.la_code, year, round(council.population * drift), "synthetic (cscperf synth)"))
    return ctx.sink.tables()


def journey(ctx, ch, first: int) -> None:
    """Referral after referral: re-referred some time after each episode closes, until 18."""
    d = ctx.d
    r = first
    eighteen = ch.birthday(18)
    while True:
        close = episode(ctx, ch, r)
        if close is None or ch.left_care is not None and ch.care_days_after_14 >= 91:
            return
        chance = min(0.95, P.RE_REFERRAL_CHANCE * (P.REPEAT_BOOST if ch.cp_plans else 1.0))
        if not d.chance(chance):
            return
        gap = d.int(20, 365) if d.chance(P.RE_REFERRAL_WITHIN_YEAR) else d.int(366, 4 * 365)
        r = ctx.wd.next1(max(close + 1 + d.int(0, 20), r + gap))
        if r > ctx.as_at or r >= eighteen - 30:
            return
        if ch.left_care is not None and ch.left_reason in ("E11", "E12"):
            # an adopted child takes the adopters' name and a new identity: any later involvement is
            # another child's record, never this one's (903 rules 199, 334 and 1003). Checked after
            # the draws above, so every other child's journey is drawn as before.
            return



OPEN = 1 << 30
GAP_DAYS = 31  # a worker's absence up to a month is covered; longer ends the involvement


def one_allocation_at_a_time(allocations: list[tuple]) -> list[tuple]:
    """The child's allocations to one worker in one team, merged where they overlap or touch.

    Each service allocates the case on its own (assessment, CIN plan, CP plan, care, leaving care), so
    the same worker of a team picking the child up again while still holding it gave two allocations,
    sometimes from the same day: a duplicate of the allocation key (child, worker, start) that a case
    management system never holds. A merged allocation keeps the place of its first row."""
    groups: dict[tuple, list[tuple[int, int, int]]] = {}
    for n, (child_id, worker, team, start, end) in enumerate(allocations):
        groups.setdefault((child_id, worker, team), []).append((start, OPEN if end is None else end, n))
    out: list[tuple[int, tuple]] = []
    for (child_id, worker, team), spans in groups.items():
        merged: list[list[int]] = []
        for start, end, n in sorted(spans):
            if merged and start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2] = min(merged[-1][2], n)
            else:
                merged.append([start, end, n])
        out += [(n, (child_id, worker, team, start, None if end == OPEN else end)) for start, end, n in merged]
    out.sort(key=lambda item: item[0])
    return [row for _, row in out]


def social_worker_episodes(allocations: list[tuple]) -> list[tuple]:
    """Each child's social workers as one chain of SSDA903 SW episodes (child, SW_ID, SW_DECOM, SW_DEC,
    SW_REASON), from all the child's allocations (assessment, CIN, CP, care, leaving care).

    The 903 wants the child's social worker at every moment (rules SW08-SW19), one at a time: where
    allocations overlap, the one allocated most recently holds the case until it ends, then the one
    it interrupted resumes. A new worker's episode starts the day the previous one ends; a gap of up
    to a month stays with the previous worker, and a longer gap ends the involvement, the next
    episode starting afresh as first contact (FCONTA). The reason for a change is a transfer between
    services when the team changes, the worker leaving otherwise."""
    by_child: dict[str, list[tuple]] = {}
    for row in allocations:
        by_child.setdefault(row[0], []).append(row)
    out: list[tuple] = []
    for child_id in sorted(by_child):
        spans = [(start, OPEN if end is None else max(end, start + 1), n, worker, team)
                 for n, (_, worker, team, start, end) in enumerate(by_child[child_id])]
        points = sorted({p for s in spans for p in s[:2]})
        chain: list[list] = []  # [worker, team, start, end, reason]
        for a, b in zip(points, points[1:]):
            active = [s for s in spans if s[0] <= a < s[1]]
            if not active:
                continue
            _, _, _, worker, team = max(active)
            if chain and chain[-1][3] >= a - GAP_DAYS:
                prev = chain[-1]
                if prev[0] == worker:
                    prev[3] = b
                    continue
                prev[3] = a
                chain.append([worker, team, a, b, "TSPROC" if team != prev[1] else "LEFTRL"])
            else:
                chain.append([worker, team, a, b, "FCONTA"])
        out += [(child_id, w, start, None if end == OPEN else end, reason) for w, _, start, end, reason in chain]
    return out
