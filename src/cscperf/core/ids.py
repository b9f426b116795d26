"""Record identifiers built from what a record *is*: the child, the kind of record and its date.

The same referral, assessment or plan reaches cscperf from several files — the CIN census of two
years, Annex A — and none of them carries an identifier the others share. Building every id from
(child, kind, date) makes them agree, so the loader can merge copies of one record and foreign
keys (a review's plan, an assessment's referral) still point at the surviving row.
"""

from __future__ import annotations

from datetime import date

KINDS = ("contact", "eh", "assessment", "s47", "icpc", "cin", "cp", "visit")


def record_id(child_id: str, kind: str | None, day: date, n: int = 1) -> str:
    """``<child>/<date>`` for a referral (kind None), ``<child>/<kind>/<date>`` otherwise; the n-th
    record of the same kind on the same day gets ``/<n>``."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    base = f"{child_id}/{day.isoformat()}" if kind is None else f"{child_id}/{kind}/{day.isoformat()}"
    return base if n == 1 else f"{base}/{n}"
