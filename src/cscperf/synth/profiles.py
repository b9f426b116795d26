"""Council sizes per profile. ``national`` is England's 153 councils at their ONS mid-2024 0-17
populations (data/councils.csv, from the ONS file in the DfE reference set), simulated one by one."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from cscperf.core.errors import CscperfError


@dataclass(frozen=True)
class Council:
    index: int
    la_code: str
    la_name: str
    new_la_code: str
    region: str
    population: int


@lru_cache(maxsize=1)
def england() -> tuple[Council, ...]:
    text = resources.files("cscperf.synth").joinpath("data", "councils.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    return tuple(
        Council(i, r["la_code"], r["la_name"], r["new_la_code"], r["region"], int(r["children_0_17"]))
        for i, r in enumerate(rows)
    )


SIZES = {"small": 5_000, "medium": 45_000, "large": 300_000}
PROFILES = (*SIZES, "national")


def councils(profile: str, la_code: str = "883") -> list[Council]:
    """The councils a profile simulates. Single-council profiles borrow the name of ``la_code``."""
    if profile == "national":
        return list(england())
    if profile not in SIZES:
        raise CscperfError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    known = {c.la_code: c for c in england()}
    base = known.get(la_code)
    if base is None:
        raise CscperfError(f"--la-code {la_code!r} is not a DfE council code (e.g. 883 for Thurrock)")
    return [Council(0, base.la_code, base.la_name, base.new_la_code, base.region, SIZES[profile])]
