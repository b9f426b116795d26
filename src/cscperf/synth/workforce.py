"""Workforce tables from the staffing history: teams, workers and their team history, staff spells
(starters, leavers with reasons, agency with hourly rates and costs), posts, vacancies at each
30 September, agency cost by quarter and absence spells."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from cscperf.synth import params as P
from cscperf.synth.context import Ctx
from cscperf.synth.days import to_date, to_day
from cscperf.synth.draw import Draw, child_stream
from cscperf.synth.teams import QUALIFIED_ROLES

FIRST = ("Alex", "Sam", "Jo", "Priya", "Tom", "Aisha", "Ben", "Chloe", "Dan", "Ella", "Femi", "Grace", "Hannah", "Imran", "Jess", "Kofi", "Laura", "Mo", "Nina", "Olu", "Pat", "Rosa", "Sian", "Tariq", "Zoe")
LAST = ("Adams", "Begum", "Clarke", "Davies", "Evans", "Foster", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis", "Mensah", "Novak", "Okafor", "Patel", "Reid", "Singh", "Taylor", "Walsh", "Young")
ANNUAL_COST = {"team_manager": 68000, "senior_practitioner": 56000, "social_worker": 49000, "personal_adviser": 36000, "family_support_worker": 33000}
HOURS_PER_WEEK = 37.0


def september_snapshots(ctx: Ctx) -> list[int]:
    first = to_date(ctx.window_start).year
    return [to_day(date(y, 9, 30)) for y in range(first, to_date(ctx.as_at).year + 1) if ctx.window_start <= to_day(date(y, 9, 30)) <= ctx.as_at]


def write_workforce(ctx: Ctx) -> None:
    d = Draw(child_stream(ctx.seed, ctx.council.index, 2))
    rows, org, A = ctx.rows, ctx.org, ctx.as_at
    # caseloads at the latest 30 September from the allocations
    snaps = september_snapshots(ctx)
    census = snaps[-1] if snaps else A
    cases: dict[str, int] = defaultdict(int)
    for _, worker, _, start, end in rows["allocation"]:
        if start <= census and (end is None or end >= census):
            cases[worker] += 1
    by_worker: dict[str, list] = defaultdict(list)
    for h in org.holders():
        by_worker[h.worker_id].append(h)
    for team in org.teams:
        rows["team"].append((team.team_id, team.name, team.service, team.posts[0].holders[-1].worker_id))
        for post in team.posts:
            rows["post"].append((post.post_id, team.team_id, post.role, post.fte, post.role in QUALIFIED_ROLES))
    rate_of: dict[str, float] = {}
    for worker_id, spells in sorted(by_worker.items()):
        spells.sort(key=lambda h: h.start)
        first, last = spells[0], spells[-1]
        role = last.post.role
        name = f"{FIRST[d.int(0, len(FIRST) - 1)]} {LAST[d.int(0, len(LAST) - 1)]}"
        rows["worker"].append((worker_id, name, role, role in QUALIFIED_ROLES, last.agency, last.fte, first.start, last.end))
        for i, h in enumerate(spells):
            rows["worker_team"].append((worker_id, h.post.team.team_id, h.start, h.end))
            leaving = h.end is not None and i == len(spells) - 1
            rate = None
            if h.agency:
                rate = round(P.AGENCY_RATE_MEDIAN * d.lognormal(1.0, 0.1) * (1.12 if h.post.role == "team_manager" else 1.0), 2)
                rate_of[worker_id] = rate
            stop = h.end if h.end is not None else A
            days = max(0, stop - max(h.start, ctx.start)) + 1
            cost = round(rate * HOURS_PER_WEEK * h.fte * days / 7, 2) if rate else round(ANNUAL_COST[h.post.role] * 1.3 * h.fte * days / 365.25, 2)
            rows["staff_spell"].append((
                f"{worker_id}-{i + 1}", worker_id, h.post.role, h.post.team.team_id, h.start, h.end,
                d.pick(P.LEAVE_REASON) if leaving and not h.agency else ("end_of_contract" if leaving else None),
                d.pick(P.CSWW_DESTINATION) if leaving else None,
                None if h.moved_in else d.pick(P.CSWW_ORIGIN),
                h.fte, h.agency, rate, cost, h.post.role in QUALIFIED_ROLES,
                cases.get(worker_id, 0) if h.start <= census and (h.end is None or h.end >= census) else None,
            ))
            if h.agency:
                _agency_quarters(ctx, h, rate, worker_id)
            _absence(ctx, d, h, worker_id)
    for snap in snaps:
        _vacancies(ctx, snap)


def _agency_quarters(ctx: Ctx, h, rate: float, worker_id: str) -> None:
    start = max(h.start, ctx.window_start)
    stop = h.end if h.end is not None else ctx.as_at
    if start > stop:
        return
    q = to_date(start)
    q = date(q.year, 3 * ((q.month - 1) // 3) + 1, 1)
    while to_day(q) <= stop:
        nxt = date(q.year + (q.month == 10), (q.month + 2) % 12 + 1, 1)
        a, b = max(to_day(q), start), min(to_day(nxt) - 1, stop)
        if b >= a:
            hours = round(ctx.wd.count1(a - 1, b) * HOURS_PER_WEEK / 5 * h.fte, 1)
            ctx.rows["agency_cost"].append((to_day(q), h.post.team.team_id, worker_id, hours, round(hours * rate, 2)))
        q = nxt


def _absence(ctx: Ctx, d: Draw, h, worker_id: str) -> None:
    """Short spells (a few days; infections mostly) and long-term spells (> 20 working days; stress)."""
    start = max(h.start, ctx.window_start)
    stop = h.end if h.end is not None else ctx.as_at
    if start >= stop:
        return
    years = (stop - start) / 365.25
    rows = ctx.rows["absence_spell"]
    for long_term in (False, True):
        n = d.poisson(years * (0.07 if long_term else 1.6))
        for _ in range(n):
            first = ctx.wd.next1(start + d.int(0, stop - start))
            length = d.int(21, 120) if long_term else (1 if d.chance(0.5) else d.int(2, 8))
            last = ctx.wd.add1(first, length - 1)
            if last > stop:
                continue
            reason = d.pick(P.LONG_ABSENCE_REASON if long_term else P.SHORT_ABSENCE_REASON)
            rows.append((f"{worker_id}-A{len(rows) + 1}", worker_id, first, last, round(length * h.fte, 1), reason))


def _vacancies(ctx: Ctx, snap: int) -> None:
    """Vacant FTE per team and role on the snapshot date; agency cover counted separately."""
    for team in ctx.org.teams:
        by_role: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
        for post in team.posts:
            if post.role not in QUALIFIED_ROLES:
                continue
            cell = by_role[post.role]
            h = post.holder_at(snap)
            if h is None:
                cell[0] += post.fte
            elif h.agency:
                cell[0] += post.fte
                cell[1] += post.fte
                cell[2] += h.fte
                cell[3] += 1
        for role in sorted(by_role):
            vac, covered, agency, heads = by_role[role]
            ctx.rows["vacancy_snapshot"].append((snap, team.team_id, role, round(vac, 2), round(covered, 2), round(agency, 2), heads))


