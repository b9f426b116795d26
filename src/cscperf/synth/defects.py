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
    # the CIN writer sends one Child per LAchildID, so a duplicate child reaches only the 903 Header
    Kind("child", "child_id", "duplicate", None, "INT32", "Header", None),
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
    # URN rules against Ofsted's register (ofsted/ofsted_providers.csv, built from the clean episodes):
    # SC000xxx is never drawn, so it is on no register (219); ZZ99 is no district synth draws (221)
    Kind("cla_episode", "urn", "invalid_code", None, "219", "Episodes", lambda r, g: f"SC000{int(g.integers(100, 999))}",
         lambda r: r["urn"] is not None and r["urn"] != "XXXXXXX"),
    Kind("cla_episode", "pl_post", "invalid_code", None, "221", "Episodes", lambda r, g: "ZZ99",
         lambda r: r["urn"] is not None and r["place"] in ("K1", "K2", "R3", "S1") and r["pl_post"] is not None
         and r["legal_status"] not in ("V3", "V4")),
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
    """Which output files a (defective) record lands in, mirroring the writers' selection: a CIN
    episode open in the year and the assessments, enquiries and plans the CIN writer keeps under it;
    an SSDA903 episode open in the year, and the rows of children looked after in it. A field the
    writer blanks (a date after 31 March, a closure reason without its date) carries no defect."""

    def __init__(self, tables: Mapping[str, pa.Table], years: list[int], as_at: date) -> None:
        self.years = years
        self.annex_from = as_at - timedelta(days=365)
        self.ref_spans: dict[str, list] = {}
        for r in tables["referral"].select(["referral_id", "child_id", "referral_date", "closure_date"]).to_pylist():
            self.ref_spans.setdefault(r["child_id"], []).append((r["referral_date"], r["closure_date"]))
        self.referral = {r["referral_id"]: (r["referral_date"], r["closure_date"]) for r in tables["referral"].select(["referral_id", "referral_date", "closure_date"]).to_pylist()}
        self.icpcs: dict[str, list] = {}
        for r in tables["s47_enquiry"].select(["referral_id", "icpc_date"]).to_pylist():
            if r["icpc_date"] is not None:
                self.icpcs.setdefault(r["referral_id"], []).append(r["icpc_date"])
        for r in tables["icpc"].select(["referral_id", "s47_id", "icpc_date"]).to_pylist():
            if r["s47_id"] is None:
                self.icpcs.setdefault(r["referral_id"], []).append(r["icpc_date"])
        self.cla_spans: dict[str, list] = {}
        for r in tables["cla_episode"].select(["child_id", "decom", "dec"]).to_pylist():
            self.cla_spans.setdefault(r["child_id"], []).append((r["decom"], r["dec"]))
        self.leaver_years: dict[str, set] = {}
        for r in tables["care_leaver"].select(["child_id", "collection_year"]).to_pylist():
            self.leaver_years.setdefault(r["child_id"], set()).add(r["collection_year"])

    def _in_care(self, child_id: str, yr: int) -> bool:
        return any(_overlaps(s, e, yr) for s, e in self.cla_spans.get(child_id, []))

    def _cin_years(self, referral_id: str) -> list[int]:
        span = self.referral.get(referral_id)
        return [yr for yr in self.years if span and _overlaps(span[0], span[1], yr)]

    def files(self, table: str, row: Mapping, kind: Kind) -> list[str]:
        """``row`` is the record as written (with its defect)."""
        y, field = self.years, kind.field
        known = lambda day, yr: day is not None and day <= _year_bounds(yr)[1]  # noqa: E731
        if table == "child":
            cid = row["child_id"]
            h = [ssda903_file(yr, "Header") for yr in y if self._in_care(cid, yr) or yr in self.leaver_years.get(cid, ())]
            if kind.defect == "duplicate":
                return h
            cin = [cin_file(yr) for yr in y if any(_overlaps(s, e, yr) for s, e in self.ref_spans.get(cid, []))]
            return cin + h if kind.return_table in ("Header", "ChildIdentifiers") else cin
        if table == "referral":
            years = [yr for yr in y if _overlaps(row["referral_date"], row["closure_date"], yr)]
            if field == "closure_reason":  # sent only with a closure date known on 31 March
                years = [yr for yr in years if known(row["closure_date"], yr)]
            if kind.defect == "missing" and field == "referral_source":  # required for the year's referrals (8866)
                years = [yr for yr in years if row["referral_date"] >= _year_bounds(yr)[0]]
            return [cin_file(yr) for yr in years]
        if table in ("assessment", "s47_enquiry", "cp_plan"):
            years = self._cin_years(row["referral_id"])
            if table == "assessment":
                years = [yr for yr in years if _overlaps(row["start_date"], row["authorised_date"], yr)]
                if field == "authorised_date":
                    years = [yr for yr in years if known(row["authorised_date"], yr)]
            elif table == "s47_enquiry":
                years = [yr for yr in years if row["start_date"] <= _year_bounds(yr)[1]
                         and (row["icpc_date"] or row["start_date"]) >= _year_bounds(yr)[0] and known(row["icpc_date"], yr)]
            else:  # 2885 compares the plan's start with a conference of the same episode in the file
                years = [yr for yr in years if _overlaps(row["start_date"], row["end_date"], yr)
                         and any(_overlaps(day, day, yr) for day in self.icpcs.get(row["referral_id"], []))]
            start = row.get("start_date")
            return [cin_file(yr) for yr in years] + ([ANNEX_A_FILE] if start is not None and start >= self.annex_from else [])
        if table == "cla_episode":
            years = [yr for yr in y if _overlaps(row["decom"], row["dec"], yr)]
            if field in ("dec", "rec"):  # DEC (and REC with it) is blank when it falls after 31 March
                years = [yr for yr in years if known(row["dec"], yr)]
            return [ssda903_file(yr, "Episodes") for yr in years]
        if table == "cla_review":
            return [ssda903_file(yr, "Reviews") for yr in y
                    if _overlaps(row["review_date"], row["review_date"], yr) and self._in_care(row["child_id"], yr)]
        if table == "missing_episode":
            return [ssda903_file(yr, "Missing") for yr in y
                    if _overlaps(row["start_date"], row["end_date"], yr) and self._in_care(row["child_id"], yr)]
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
            key = record_key(table, row)
            if key in used:
                continue
            if kind.defect == "duplicate":
                new, value = dict(row), key
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
            files = place.files(table, new, kind)  # where the record as written lands
            if not files:
                continue
            if kind.defect == "duplicate":
                extra.append(new)
            else:
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
