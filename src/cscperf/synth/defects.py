"""Deliberate defects on a copy of the tables that go to the writers (the truth stays clean), with a
manifest: which output file each defective record lands in, the field, the kind of defect and the
DfE validation rule it should trigger. Only rules whose meaning is unambiguous are claimed."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from cscperf.synth.writing import ANNEX_A_FILE, cin_file, ssda903_file

MANIFEST_COLUMNS = ("file", "table", "record", "child_id", "field", "defect", "rule_code", "return_table", "value")


@dataclass(frozen=True)
class Kind:
    table: str
    field: str
    defect: str  # invalid_code | missing | date_order | duplicate
    cin_rule: str | None
    rule_903: str | None
    return_table: str
    make: Callable[[dict, np.random.Generator], object] | None  # new value from the row, None = duplicate
    applies: Callable[[dict], bool] = lambda row: True


def _before(field: str, days: tuple[int, int]):
    return lambda row, rng: row[field] - timedelta(days=int(rng.integers(*days)))


KINDS = (
    Kind("child", "sex", "invalid_code", None, "101", "Header", lambda r, g: "3"),
    Kind("child", "ethnicity", "invalid_code", None, "103", "Header", lambda r, g: "XXXX"),
    Kind("child", "ethnicity", "missing", None, "103", "Header", lambda r, g: None),
    Kind("child", "child_id", "duplicate", "8510", None, "ChildIdentifiers", None),
    Kind("referral", "referral_source", "invalid_code", "8866", None, "CINdetails", lambda r, g: "99", lambda r: not r["nfa"]),
    Kind("referral", "referral_source", "missing", "8866", None, "CINdetails", lambda r, g: None),
    Kind("referral", "closure_reason", "missing", "8805", None, "CINdetails", lambda r, g: None, lambda r: r["closure_date"] is not None),
    Kind("assessment", "start_date", "date_order", "1103", None, "Assessments", None),  # value set in inject()
    Kind("assessment", "authorised_date", "date_order", "8608", None, "Assessments", lambda r, g: r["start_date"] - timedelta(days=int(g.integers(1, 20))), lambda r: r["authorised_date"] is not None),
    Kind("s47_enquiry", "start_date", "date_order", "8615", None, "Section47", lambda r, g: r["icpc_date"] + timedelta(days=int(g.integers(1, 10))), lambda r: r["icpc_date"] is not None),
    Kind("cp_plan", "start_date", "date_order", "2885", None, "ChildProtectionPlans", lambda r, g: r["start_date"] + timedelta(days=int(g.integers(1, 6))), lambda r: r["end_date"] is None or r["end_date"] - r["start_date"] > timedelta(days=7)),
    Kind("cla_episode", "rne", "invalid_code", None, "143", "Episodes", lambda r, g: "X"),
    Kind("cla_episode", "legal_status", "invalid_code", None, "144", "Episodes", lambda r, g: "Z9"),
    Kind("cla_episode", "place", "invalid_code", None, "146", "Episodes", lambda r, g: "U9"),
    Kind("cla_episode", "dec", "date_order", None, "356", "Episodes", _before("decom", (1, 30)), lambda r: r["dec"] is not None),
    Kind("cla_episode", "rec", "missing", None, "148", "Episodes", lambda r, g: None, lambda r: r["dec"] is not None),
    Kind("cla_episode", "rec", "invalid_code", None, "149", "Episodes", lambda r, g: "E99", lambda r: r["dec"] is not None),
    Kind("cla_episode", "decom", "duplicate", None, None, "Episodes", None),
    Kind("cla_review", "review_code", "invalid_code", None, "167", "Reviews", lambda r, g: "PN9"),
    Kind("missing_episode", "missing_type", "invalid_code", None, "1006", "Missing", lambda r, g: "Q"),
    Kind("care_leaver", "in_touch", "invalid_code", None, "131", "OC3", lambda r, g: "MAYBE"),
    Kind("care_leaver", "activity", "invalid_code", None, "132", "OC3", lambda r, g: "Z9", lambda r: r["activity"] is not None),
)
KEYS = {
    "child": ("child_id",), "referral": ("referral_id",), "assessment": ("assessment_id",), "s47_enquiry": ("s47_id",),
    "cp_plan": ("cp_plan_id",), "cla_episode": ("child_id", "decom"), "cla_review": ("child_id", "review_date"),
    "missing_episode": ("child_id", "start_date"), "care_leaver": ("child_id", "collection_year"),
}


def record_key(table: str, row: Mapping) -> str:
    return "|".join(str(row[k]) for k in KEYS[table])


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year - 1, 4, 1), date(year, 3, 31)


def _overlaps(start, end, year: int) -> bool:
    first, last = _year_bounds(year)
    return start is not None and start <= last and (end is None or end >= first)


class Placement:
    """Which output files a record lands in (DfE inclusion: open at any time in the collection year)."""

    def __init__(self, tables: Mapping[str, pa.Table], years: list[int], as_at: date) -> None:
        self.years = years
        self.annex_from = as_at - timedelta(days=365)
        self.ref_spans: dict[str, list] = {}
        for r in tables["referral"].select(["referral_id", "child_id", "referral_date", "closure_date"]).to_pylist():
            self.ref_spans.setdefault(r["child_id"], []).append((r["referral_date"], r["closure_date"]))
        self.referral = {r["referral_id"]: (r["referral_date"], r["closure_date"]) for r in tables["referral"].select(["referral_id", "referral_date", "closure_date"]).to_pylist()}
        self.cla_spans: dict[str, list] = {}
        for r in tables["cla_episode"].select(["child_id", "decom", "dec"]).to_pylist():
            self.cla_spans.setdefault(r["child_id"], []).append((r["decom"], r["dec"]))
        self.leaver_years: dict[str, set] = {}
        for r in tables["care_leaver"].select(["child_id", "collection_year"]).to_pylist():
            self.leaver_years.setdefault(r["child_id"], set()).add(r["collection_year"])

    def files(self, table: str, row: Mapping, return_table: str) -> list[str]:
        y = self.years
        if table == "child":
            cin = [cin_file(yr) for yr in y if any(_overlaps(s, e, yr) for s, e in self.ref_spans.get(row["child_id"], []))]
            h = [ssda903_file(yr, "Header") for yr in y if any(_overlaps(s, e, yr) for s, e in self.cla_spans.get(row["child_id"], [])) or yr in self.leaver_years.get(row["child_id"], ())]
            return cin + h if return_table == "Header" or return_table == "ChildIdentifiers" else cin
        if table == "referral":
            return [cin_file(yr) for yr in y if _overlaps(row["referral_date"], row["closure_date"], yr)]
        if table in ("assessment", "s47_enquiry", "cp_plan"):
            span = self.referral.get(row["referral_id"])
            files = [cin_file(yr) for yr in y if span and _overlaps(span[0], span[1], yr)]
            start = row.get("start_date")
            return files + ([ANNEX_A_FILE] if start is not None and start >= self.annex_from else [])
        if table == "cla_episode":
            return [ssda903_file(yr, "Episodes") for yr in y if _overlaps(row["decom"], row["dec"], yr)]
        if table == "cla_review":
            return [ssda903_file(yr, "Reviews") for yr in y if _overlaps(row["review_date"], row["review_date"], yr)]
        if table == "missing_episode":
            return [ssda903_file(yr, "Missing") for yr in y if _overlaps(row["start_date"], row["start_date"], yr)]
        if table == "care_leaver":
            return [ssda903_file(row["collection_year"], "OC3")] if row["collection_year"] in y else []
        return []


def inject(tables: Mapping[str, pa.Table], rate: float, rng: np.random.Generator, years: list[int], as_at: date) -> tuple[dict[str, pa.Table], list[dict]]:
    """A defective copy of ``tables`` and the manifest of what was changed."""
    out = dict(tables)
    manifest: list[dict] = []
    if rate <= 0:
        return out, manifest
    place = Placement(tables, years, as_at)
    referral_dates = dict(zip(tables["referral"].column("referral_id").to_pylist(), tables["referral"].column("referral_date").to_pylist()))
    for table in KEYS:
        kinds = [k for k in KINDS if k.table == table]
        rows = tables[table].to_pylist()
        picked = np.flatnonzero(rng.random(len(rows)) < rate)
        choice = rng.integers(0, len(kinds), len(picked))
        changed: dict[int, dict] = {}
        extra: list[dict] = []
        used: set[str] = set()
        for i, k in zip(picked.tolist(), choice.tolist()):
            kind = kinds[k]
            row = rows[i]
            if not kind.applies(row):
                continue
            files = place.files(table, row, kind.return_table)
            key = record_key(table, row)
            if not files or key in used:
                continue
            if kind.defect == "duplicate":
                extra.append(dict(row))
                value = key
            else:
                if table == "assessment" and kind.field == "start_date":
                    ref = referral_dates.get(row["referral_id"])
                    if ref is None:
                        continue
                    value = ref - timedelta(days=int(rng.integers(1, 15)))
                else:
                    value = kind.make(row, rng)
                new = dict(row)
                new[kind.field] = value
                changed[i] = new
                if kind.field in KEYS[table]:
                    key = record_key(table, new)
            used.add(key)
            for f in files:
                rule = kind.rule_903 if f.startswith("ssda903") else kind.cin_rule if f.startswith("cin") else None
                manifest.append({
                    "file": f, "table": table, "record": key, "child_id": row["child_id"], "field": kind.field,
                    "defect": kind.defect, "rule_code": rule or "", "return_table": kind.return_table,
                    "value": "" if value is None else str(value),
                })
        if changed or extra:
            new_rows = [changed.get(i, r) for i, r in enumerate(rows)] + extra
            out[table] = pa.Table.from_pylist(new_rows, schema=tables[table].schema)
    return out, manifest


def write_manifest(path: Path, manifest: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(manifest)
    return path
