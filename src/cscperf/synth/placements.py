"""Placement types, providers and locations by age: SSDA903 PLACE / PLACE_PROVIDER codes with the
national shape (foster care most, children's homes for teenagers, supported accommodation 16+).

Only codes valid in both the 2024-25 and 2025-26 returns are drawn (903 rule 146): supported
accommodation is K3 (H5 and P2 were withdrawn for 2025-26) and no "other placement" Z1/Z11-Z14.
Every placement type that Ofsted registers carries a URN (903 rules 218 and 222)."""

from __future__ import annotations

from functools import lru_cache

from cscperf.synth.draw import Dist, Draw
from cscperf.synth.profiles import england

UNDER_1 = Dist({"U6": 63, "U3": 18, "R3": 12})
UNDER_10 = Dist({"U6": 67, "U3": 22, "K2": 4, "R2": 0.3})
UNDER_16 = Dist({"U6": 57, "U3": 14, "K2": 20, "S1": 2, "K1": 0.6, "R1": 0.5})
OVER_16 = Dist({"U6": 33, "U3": 7, "K2": 16, "K3": 40})
FOSTER_ONLY = Dist({"U6": 75, "U3": 25})
PROVIDER = {
    "foster": Dist({"PR1": 62, "PR4": 33, "PR5": 5}),
    "K2": Dist({"PR4": 82, "PR1": 15, "PR5": 3}),
    "K3": Dist({"PR4": 85, "PR1": 10, "PR5": 5}),
    "other": Dist({"PR4": 70, "PR3": 20, "PR5": 10}),
}
# no Ofsted registration, so no URN (903 rule 222); every other placement type has one (rule 218)
NO_URN = {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"}
FOSTER_TYPES = {"U1", "U2", "U3", "U4", "U5", "U6"}


def pick_place(d: Draw, age: float, foster_only: bool = False) -> str:
    if foster_only:
        return d.pick(FOSTER_ONLY)
    if age < 1:
        return d.pick(UNDER_1)
    if age < 10:
        return d.pick(UNDER_10)
    if age < 16:
        return d.pick(UNDER_16)
    return d.pick(OVER_16)


def provider(d: Draw, place: str) -> str:
    if place in FOSTER_TYPES:
        return d.pick(PROVIDER["foster"])
    if place in ("K1", "K2", "K3"):  # never PR3 for K1/K2 (903 rule 529)
        return d.pick(PROVIDER["K2" if place == "K1" else place])
    if place in ("P1", "A3", "A4", "A5", "A6"):
        return {"P1": "PR0"}.get(place, "PR1" if d.chance(0.7) else "PR5")
    return d.pick(PROVIDER["other"])


@lru_cache(maxsize=None)
def _others(la_code: str) -> tuple:
    return tuple(c for c in england() if c.la_code != la_code)


def location(d: Draw, la_code: str, home_prefix: str, place: str, prov: str) -> tuple[str, str | None, float, str, str]:
    """(home postcode district, URN, distance in miles, placement LA, IN/OUT) for a placement."""
    # own provision is inside the council's area (903 rule 1015); others often are not
    inside = prov in ("PR0", "PR1") or d.chance(0.35 if place in ("K2", "K3") else 0.55)
    home = f"{home_prefix}{d.int(1, 20)}"
    distance = round(d.u() * 9 + 0.3, 1) if inside else round(10 + d.exp(25), 1)
    others = _others(la_code)
    pl_la = la_code if inside else others[d.int(0, len(others) - 1)].la_code
    urn = None if place in NO_URN else f"SC{d.int(100000, 999999)}"
    return home, urn, distance, pl_la, "IN" if inside else "OUT"


def placement_postcode(d: Draw, home_prefix: str, inside: bool, home: str) -> str:
    """The placement's postcode district: never the home one (903 rule 392d allows that only for P1,
    which synth does not draw)."""
    while True:
        post = f"{home_prefix}{d.int(1, 20)}" if inside else f"{chr(65 + d.int(0, 25))}{chr(65 + d.int(0, 25))}{d.int(1, 20)}"
        if post != home:
            return post
