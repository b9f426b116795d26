"""The adoption route: ADM decision, placement order, match, placed for adoption, adoption order
(AD1, PlacedAdoption and Annex A list 10), with fostering for adoption and foster-carer adopters.
Stage lengths follow DfE's average times between adoption stages (A1 ~ 15 months, A2 ~ 6 months)."""

from __future__ import annotations

from dataclasses import dataclass

from cscperf.synth.context import Ctx
from cscperf.synth.draw import Dist
from cscperf.synth.journey import Child

SGO = Dist({"E48": 40, "E47": 20, "E45": 20, "E46": 20})


@dataclass
class AdoptionPlan:
    adm: int
    po: int | None
    match: int | None
    placed: int | None
    order: int  # the day care ends (adoption order, or an SGO after a reversed plan)
    rec: str
    foster_care: bool
    ffa: bool
    reversed_on: int | None = None  # the decision that the child should no longer be placed for adoption


def adoption_plan(ctx: Ctx, ch: Child, entry: int) -> AdoptionPlan:
    d, A = ctx.d, ctx.as_at
    ffa = d.chance(0.08)
    foster_care = ffa or d.chance(0.11)
    adm = entry + d.int(60, 240)
    po = adm + d.int(60, 200)
    reversed_plan = d.chance(0.06)
    if reversed_plan:
        change = po + d.int(60, 300)
        end = change + d.int(60, 400)
        plan = AdoptionPlan(adm, po, None, None, end, d.pick(SGO), False, ffa, change)
        ceased, reason = change, "RD3" if d.chance(0.7) else "RD4"
    else:
        match = po + max(20, int(d.lognormal(170, 0.6)))
        placed = match + d.int(7, 45)
        order = placed + d.int(120, 380)
        plan = AdoptionPlan(adm, po, match, placed, order, "E11" if d.chance(0.7) else "E12", foster_care, ffa)
        # an adopted child's decision was not disrupted: DATE_PLACED_CEASED stays blank (903 rule 558)
        ceased, reason = None, None

    def seen(day: int | None) -> int | None:
        return day if day is not None and day <= A else None

    if adm <= A:
        adopted = plan.placed is not None and plan.order <= A
        couple = d.chance(0.85)
        # AD1 codes: NB_ADOPTR 1 or 2 (rule 175); a same-sex couple not married or in a civil
        # partnership is L4, which needs SEX_ADOPTR MM or FF (rule 518)
        sex = ("MF" if d.chance(0.85) else "MM" if d.chance(0.5) else "FF") if couple else ("F1" if d.chance(0.9) else "M1")
        if not couple:
            status = "L0"
        elif sex == "MF":
            status = "L11" if d.chance(0.7) else "L2"
        else:
            status = "L4" if d.chance(0.45) else "L12"  # L11 is a different-gender married couple (rule 520)
        ctx.rows["adoption"].append((
            ch.cid, adm, seen(plan.po), seen(plan.match), seen(plan.placed), plan.order if adopted else None,
            plan.foster_care if adopted else None, ffa,
            ("2" if couple else "1") if adopted else None,
            sex if adopted else None,
            status if adopted else None,
        ))
        ctx.rows["placed_for_adoption"].append((ch.cid, adm, seen(ceased), reason if ceased is not None and ceased <= A else None))
    return plan
