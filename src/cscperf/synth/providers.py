"""Ofsted's register of the providers the synthetic council placed children with, consistent with its
SSDA903 episodes, so the URN rules (219, 221, 224, 227, 228, 241) find nothing in a clean council.

Built from the clean episodes after the simulation, with no random draws (the council's other
streams are unchanged): every URN gets the placement types and provider codes it was used with;
the premises where a child lives (K1, K2, K3, H5, R3, S1) one row per placement district and LA,
with a full postcode in that district; a registration date a year before its first placement; and
one provider in five whose placements all ended at least 30 days before the as-at date closes then.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache

import pyarrow as pa

from cscperf.store.rows import arrow_schema
from cscperf.store.schema import tables as schema
from cscperf.synth.profiles import england

PREMISES = ("K1", "K2", "K3", "H5", "R3", "S1")  # the child lives at the provider's address
TYPE_OF = (("K1", "Secure children's home"), ("K2", "Children's home"), ("K3", "Supported accommodation"),
           ("H5", "Supported accommodation"), ("R3", "Residential family centre"), ("S1", "Residential special school"))
SECTOR_OF = (("PR1", "Local authority"), ("PR2", "Local authority"), ("PR4", "Private"), ("PR5", "Voluntary"),
             ("PR3", "Health authority"))
CLOSING_AFTER = timedelta(days=30)
REGISTERED_BEFORE = timedelta(days=365)


@lru_cache(maxsize=1)
def _las() -> dict[str, tuple[str, str]]:
    return {c.la_code: (c.la_name, c.new_la_code) for c in england()}


def _number(urn: str) -> int:
    digits = "".join(ch for ch in urn if ch.isdigit())
    return int(digits) if digits else 0


def _provider_type(places: list[str], providers: list[str]) -> str:
    for code, name in TYPE_OF:
        if code in places:
            return name
    if any(p.startswith("U") for p in places):
        return "Local authority fostering agency" if "PR1" in providers else "Independent fostering agency"
    if any(p.startswith("A") for p in places):
        return "Local authority adoption agency" if "PR1" in providers else "Voluntary adoption agency"
    return "Other social care provider"


def _postcode(district: str | None, urn: str) -> str | None:
    if not district:
        return None
    n = _number(urn)
    return f"{district} {n % 9 + 1}{chr(65 + n % 23)}{chr(65 + (n // 23) % 23)}"


def provider_register(episodes: pa.Table, as_at: date) -> pa.Table:
    """The ``ofsted_provider`` rows for every URN the episodes use (other than ``XXXXXXX``)."""
    used: dict[str, list[dict]] = defaultdict(list)
    for ep in episodes.select(["decom", "dec", "place", "place_provider", "urn", "pl_post", "pl_la"]).to_pylist():
        if ep["urn"] and ep["urn"].upper() != "XXXXXXX":
            used[ep["urn"].upper()].append(ep)
    out: list[dict] = []
    for urn in sorted(used):
        eps = used[urn]
        places = sorted({e["place"] for e in eps if e["place"]})
        providers = sorted({e["place_provider"] for e in eps if e["place_provider"]})
        first = min(e["decom"] for e in eps)
        ends = [e["dec"] for e in eps]
        closure = None
        if all(ends) and _number(urn) % 5 == 0 and max(ends) + CLOSING_AFTER <= as_at:
            closure = max(ends) + CLOSING_AFTER
        sector = next((name for code, name in SECTOR_OF if code in providers), None)
        premises = sorted({(e["pl_post"], e["pl_la"]) for e in eps if e["place"] in PREMISES}, key=repr)
        sites = premises or [(eps[0]["pl_post"], eps[0]["pl_la"])]
        for district, la in sites:
            la_name, ons = _las().get(la or "", (None, None))
            out.append({
                "urn": urn, "provider_type": _provider_type(places, providers), "sector": sector,
                "provider_status": "Closed" if closure else "Active", "registration_date": first - REGISTERED_BEFORE,
                "closure_date": closure, "provider_postcode": _postcode(district, urn), "la_name": la_name,
                "la_code": la if la_name else None, "new_la_code": ons,
                "places": 2 + _number(urn) % 5 if premises else None,
                "placement_codes": ",".join(places) or None, "provider_codes": ",".join(providers) or None,
                "load_id": None, "source_file": None, "source_row": None,  # truth rows: no load yet
            })
    return pa.Table.from_pylist(out, schema=arrow_schema(schema()["ofsted_provider"]))
