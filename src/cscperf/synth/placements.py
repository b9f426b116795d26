"""Placement types, providers and locations by age: SSDA903 PLACE / PLACE_PROVIDER codes with the
national shape (foster care most, children's homes for teenagers, supported accommodation 16+)."""

from __future__ import annotations

from functools import lru_cache

from cscperf.synth.draw import Dist, Draw
from cscperf.synth.profiles import england

UNDER_1 = Dist({"U6": 62, "U3": 18, "R3": 12, "Z1": 1})
UNDER_10 = Dist({"U6": 66, "U3": 22, "K2": 4, "Z1": 1, "R2": 0.3})
UNDER_16 = Dist({"U6": 56, "U3": 14, "K2": 20, "S1": 2, "K1": 0.6, "R1": 0.5, "Z1": 1})
OVER_16 = Dist({"U6": 32, "U3": 7, "K2": 16, "H5": 36, "P2": 4, "Z1": 1})
FOSTER_ONLY = Dist({"U6": 75, "U3": 25})
PROVIDER = {
    "foster": Dist({"PR1": 62, "PR4": 33, "PR5": 5}),
    "K2": Dist({"PR4": 82, "PR1": 15, "PR5": 3}),
    "H5": Dist({"PR4": 85, "PR1": 10, "PR5": 5}),
    "other": Dist({"PR4": 70, "PR3": 20, "PR5": 10}),
}
URN_TYPES = {"K1", "K2", "R1", "S1", "H5"}
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
    if place in ("K2", "H5"):
        return d.pick(PROVIDER[place])
    if place in ("P1", "A3", "A4", "A5", "A6"):
        return {"P1": "PR0"}.get(place, "PR1" if d.chance(0.7) else "PR5")
    if place == "P2":
        return "PR1"
    return d.pick(PROVIDER["other"])


@lru_cache(maxsize=None)
def _others(la_code: str) -> tuple:
    return tuple(c for c in england() if c.la_code != la_code)


def location(d: Draw, la_code: str, home_prefix: str, place: str, prov: str) -> tuple[str, str | None, float, str, str]:
    """(home postcode district, URN, distance in miles, placement LA, IN/OUT) for a placement."""
    # own provision is inside the council's area (903 rule 1015); others often are not
    inside = prov in ("PR0", "PR1") or d.chance(0.35 if place in ("K2", "H5") else 0.55)
    home = f"{home_prefix}{d.int(1, 20)}"
    distance = round(d.u() * 9 + 0.3, 1) if inside else round(10 + d.exp(25), 1)
    others = _others(la_code)
    pl_la = la_code if inside else others[d.int(0, len(others) - 1)].la_code
    urn = f"SC{d.int(100000, 999999)}" if place in URN_TYPES else None
    return home, urn, distance, pl_la, "IN" if inside else "OUT"
