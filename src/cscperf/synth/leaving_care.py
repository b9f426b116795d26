"""Care leavers: a status (in touch, activity, accommodation and suitability) recorded around each
17th-21st birthday after leaving care (SSDA903 OC3, Annex A list 9), with a personal adviser."""

from __future__ import annotations

from datetime import date

from cscperf.synth import params as P
from cscperf.synth.context import Ctx
from cscperf.synth.days import to_date, to_day
from cscperf.synth.journey import Child

NOT_CARE_LEAVERS = {"E3", "E2", "E11", "E12", "E41", "E45", "E46", "E47", "E48", "E15", "E16"}
NO_INFORMATION = {"NO", "REFU", "DIED", "RHOM"}


def collection_year(day: int) -> int:
    """Year ending 31 March that contains ``day``."""
    d = to_date(day)
    return d.year + 1 if d >= date(d.year, 4, 1) else d.year


def care_leaver(ctx: Ctx, ch: Child, left: int) -> None:
    d, A, rows = ctx.d, ctx.as_at, ctx.rows
    if ch.left_reason in NOT_CARE_LEAVERS:
        return
    twenty_one = ch.birthday(21)
    team = ctx.org.pick_team("leaving_care")
    alloc = None
    for age in range(17, 22):
        birthday = ch.birthday(age)
        # an OC3 for each birthday on or after leaving (leaving on the 18th birthday is the usual end of
        # care, and that young person's OC3 is collected at 18; 903 rules 1007 and 1016)
        if birthday < left or birthday > A:
            continue
        if alloc is None:
            alloc = ctx.org.allocate(rows["allocation"], ch.cid, team, left, twenty_one if twenty_one <= A else None)
        if birthday < ctx.window_start:
            continue
        contact = min(max(birthday + d.int(-60, 30), left), A)
        touch = d.pick(P.IN_TOUCH)
        # no information (not in touch, refused, died, returned home): activity and accommodation are
        # unknown; the 903 writer sends "0" for NO and REFU (rules 153 and 344)
        activity = accommodation = None
        if touch not in NO_INFORMATION:
            young = age <= 18
            activity = d.pick(P.ACTIVITY_17_18 if young else P.ACTIVITY_19_21)
            suitable = d.chance(P.SUITABLE_17_18 if young else P.SUITABLE_19_21)
            accommodation = d.pick(P.ACCOM_SUITABLE if suitable else P.ACCOM_UNSUITABLE)
            if age == 17 and accommodation in ("Z1", "Z2"):  # staying put starts at 18 (903 rule 3001)
                accommodation = "U1" if suitable else "U2"
            year_start = to_day(date(collection_year(birthday) - 1, 4, 1))
            if accommodation in ("T1", "T2") and ch.birthday(18) > year_start:
                # a foyer takes young people 18 or over at the start of the collection year (903 rule
                # 347); younger ones are in registered supported accommodation (D) instead
                accommodation = "D" + accommodation[1]
        pa = alloc[0][1] if alloc else None
        rows["care_leaver"].append((ch.cid, collection_year(birthday), contact, touch, activity, accommodation, pa, d.chance(0.96)))
