"""Children arrive (a first referral, seasonal and noisy, or a contact that goes no further) and then
live their journey episode by episode: each CIN episode may be followed, after it closes, by a
re-referral of the same child."""

from __future__ import annotations

import math

import numpy as np

from cscperf.synth import params as P
from cscperf.synth.context import Ctx
from cscperf.synth.days import to_date
from cscperf.synth.draw import Draw

YEAR = 365.25


class Child:
    __slots__ = ("cid", "dob", "sex", "ethnicity", "disabled", "disabilities", "uasc", "uasc_ceased",
                 "episodes", "cp_plans", "care_start_16", "care_days_after_14", "left_care", "left_reason",
                 "died", "mother", "mother_child_dob", "care_periods")

    def __init__(self, cid: str, dob: int, d: Draw, uasc: bool = False) -> None:
        self.cid = cid
        self.dob = dob
        self.sex = "1" if uasc and d.chance(0.92) else d.pick(P.SEX)
        self.ethnicity = d.pick(P.ETHNICITY) if not uasc else ("BAFR" if d.chance(0.4) else "AOTH" if d.chance(0.5) else "OOTH")
        self.disabled = d.chance(P.DISABLED_SHARE)
        self.disabilities = "NONE"
        if self.disabled:
            codes = {d.pick(P.DISABILITY) for _ in range(1 + d.poisson(0.5))}
            self.disabilities = ";".join(sorted(codes))
        self.uasc = uasc
        self.uasc_ceased: int | None = None
        self.episodes = 0
        self.cp_plans = 0
        self.care_start_16 = False  # looked after on or after the 16th birthday
        self.care_days_after_14 = 0
        self.left_care: int | None = None
        self.left_reason: str | None = None
        self.died: int | None = None
        self.mother: bool | None = None
        self.mother_child_dob: int | None = None
        self.care_periods = 0

    def age_years(self, day: int) -> float:
        return (day - self.dob) / YEAR

    def birthday(self, years: int) -> int:
        born = to_date(self.dob)
        try:
            then = born.replace(year=born.year + years)
        except ValueError:
            then = born.replace(year=born.year + years, day=28)
        return self.dob + (then - born).days


def arrival_days(ctx: Ctx, rng: np.random.Generator, per_10k: float, seasonal: bool = True) -> np.ndarray:
    """Days of arrivals from the simulation start to as-at: Poisson per month, seasonal, with noise
    and a deliberate trend (referrals rise ~8% across the window)."""
    days = []
    month_start = ctx.start
    while month_start <= ctx.as_at:
        m = to_date(month_start).month
        length = min(30, ctx.as_at - month_start + 1)
        trend = 1.0 + 0.08 * ctx.trend(month_start)
        season = P.SEASON[m - 1] if seasonal else 1.0
        mean = per_10k * ctx.council.population / 10_000 / 365.25 * length * season * trend
        mean *= math.exp(0.06 * rng.standard_normal())
        n = rng.poisson(mean)
        picked = month_start + rng.integers(0, length, n)
        days.append(picked)
        month_start += 30
    out = np.sort(np.concatenate(days)) if days else np.array([], dtype=np.int64)
    # Referrals arrive on working days mostly: move most weekend/holiday arrivals to the next working day.
    move = rng.random(len(out)) < 0.85
    nxt = ctx.wd.next_working(out)
    return np.where(move, nxt, out).clip(max=ctx.as_at)


def new_child(ctx: Ctx, serial: int, day: int, uasc: bool = False) -> Child:
    d = ctx.d
    if uasc:
        age = d.int(int(15 * YEAR), int(17.8 * YEAR))
    else:
        low, high = P.AGE_SPAN[d.pick(P.AGE_AT_REFERRAL)]
        age = d.int(low, high)
    return Child(f"{ctx.la_code}{serial:07d}", day - age, d, uasc)


def write_child(ctx: Ctx, ch: Child) -> None:
    """The child row: UPN for children of school age by as-at, UN1 for the youngest."""
    d = ctx.d
    upn, unknown = None, None
    if ch.uasc and d.chance(0.6):
        unknown = "UN2"
    elif ch.age_years(ctx.as_at) < 5.0:
        unknown = "UN1"
    else:
        upn = make_upn(ctx.la_code, int(ch.cid[-7:]))
    ctx.rows["child"].append((
        ch.cid, upn, unknown, ch.sex, ch.ethnicity, ch.dob, ch.disabilities, ch.uasc or None,
        ch.uasc_ceased, ch.mother, ch.died, ch.mother_child_dob,
    ))


CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def make_upn(la_code: str, serial: int) -> str:
    """A valid UPN (DfE check-letter rule), unique per child: the LA code then nine digits that are a
    bijection of the child's serial (so no two children share one, CIN rule 1520)."""
    body = f"{int(la_code):03d}{(serial * 7919) % 10**9:09d}"
    total = sum(int(c) * w for c, w in zip(body, range(2, 14)))
    return CHECK_LETTERS[total % 23] + body


def contact_only(ctx: Ctx, serial: int, day: int) -> Child:
    """A child known only through contacts that went no further (early help, advice, NFA)."""
    d = ctx.d
    ch = new_child(ctx, serial, day)
    n = 1 + d.poisson(0.25)
    t = day
    for _ in range(n):
        if t > ctx.as_at or t < ch.dob:
            break
        write_contact(ctx, ch, t, d.pick(P.REFERRAL_SOURCE), d.pick(P.CONTACT_OUTCOME))
        t += d.int(20, 400)
    return ch


def write_contact(ctx: Ctx, ch: Child, day: int, source: str, outcome: str) -> None:
    if day < ctx.window_start:
        return
    team = ctx.org.pick_team("front_door")
    h = ctx.org.worker_at(team, day)
    cid = f"{ch.cid}C{len(ctx.rows['contact']) + 1}"
    ctx.rows["contact"].append((cid, ch.cid, day, source, outcome, team.team_id, h.worker_id if h else None))
    if outcome == "early_help":
        d = ctx.d
        start = day + d.int(1, 20)
        if start <= ctx.as_at:
            done = start + d.int(10, 60)
            end = done + d.int(60, 240)
            ctx.rows["early_help_episode"].append((
                f"{cid}E", ch.cid, start, done if done <= ctx.as_at else None, end if end <= ctx.as_at else None,
                "Early Help Hub" if d.chance(0.8) else "School", None, None,
            ))


def visits(ctx: Ctx, ch: Child, kind: str, start: int, end: int | None, gap: int, on_time: float, worker: str | None) -> None:
    """Statutory visits from ``start`` to ``end`` (or as-at), at most ``gap`` days apart when on time.
    Only visits inside the reporting window are written (Annex A looks back, not to the burn-in)."""
    d = ctx.d
    stop = min(end if end is not None else ctx.as_at, ctx.as_at)
    t = start + d.int(1, min(7, gap))
    if t < ctx.window_start - gap:  # the burn-in is not written: start near the window
        t = ctx.window_start - d.int(0, gap)
    rows = ctx.rows["visit"]
    while t <= stop:
        if t >= ctx.window_start:
            seen = d.chance(0.96)
            alone = seen and ch.age_years(t) >= 4 and d.chance(0.72)
            rows.append((f"{ch.cid}V{len(rows) + 1}", ch.cid, worker, t, kind, seen, alone))
        t += d.int(max(1, gap - 18), gap) if d.chance(on_time) else d.int(gap + 1, gap + 30)
