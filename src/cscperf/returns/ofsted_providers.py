"""Ofsted's provider register as the CSV DfE supplies with the SSDA903 collection (the combined
children's homes and social care providers list): one row per provider premises, placement and
provider codes joined with "/" as Ofsted writes them, dates dd/mm/yyyy. Read back by the
``ofsted-providers`` reader (docs/formats/ofsted-providers.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cscperf.returns._csv import write_csv
from cscperf.returns._tables import Tables, rows

FILE_NAME = "ofsted_providers.csv"
# (header as Ofsted's list spells it, canonical column)
COLUMNS = (
    ("URN", "urn"), ("Provider type", "provider_type"), ("Sector", "sector"), ("Provider status", "provider_status"),
    ("Registration date", "registration_date"), ("Deregistration date", "closure_date"),
    ("Setting address postcode", "provider_postcode"), ("Local authority", "la_name"), ("Places", "places"),
    ("Placement code", "placement_codes"), ("Placement provider code", "provider_codes"),
)
SLASHED = {"placement_codes", "provider_codes"}


def write(tables: Tables, out_dir: Path, *, as_at: date | None = None) -> list[Path]:
    """Write ``ofsted_providers.csv`` (the register as known on ``as_at``: providers registered by
    then); nothing when there is no ``ofsted_provider`` table."""
    if "ofsted_provider" not in tables:
        return []
    data = [r for r in rows(tables, "ofsted_provider")
            if as_at is None or r.get("registration_date") is None or r["registration_date"] <= as_at]
    data.sort(key=lambda r: (r["urn"], r.get("provider_postcode") or "", r.get("la_name") or ""))

    def value(row: dict, column: str):
        v = row.get(column)
        return v.replace(",", "/") if column in SLASHED and v else v

    return [write_csv(Path(out_dir) / FILE_NAME, [h for h, _ in COLUMNS],
                      ([value(r, c) for _, c in COLUMNS] for r in data))]
