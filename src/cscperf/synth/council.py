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
    write_workforce(ctx)
    write_survey(ctx)
    # The name says it is synthetic, so a digest of made-up figures is never taken for the real council.
    ctx.rows["council"].append((council.la_code, f"{council.la_name} (synthetic)", council.new_la_code, council.region))
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
