"""Canonical tables -> the SSDA903 CSV tables (DfE column names, dd/mm/yyyy dates, flags 1/0).

The inverse of ``cscperf.ingest.formats.ssda903``, through the same layout
(``cscperf.core.ssda903_layout``). The return holds the children looked after at any time in the
year (an episode open between 1 April and 31 March) and the care leavers and OC2 children of the year;
each table's rows are those open in the year. A date after 31 March is not yet known at the return
date and is written blank with what depends on it (an episode's DEC with its REC and
REASON_PLACE_CHANGE). Every table gets a file, with its header row even when empty, named
``ssda903_<yyyy_yy>_<Table>.csv`` so the reader recognises the year from the name.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pyarrow as pa

from cscperf.core.ssda903_layout import BY_NAME, Layout

TABLES = ("Header", "Episodes", "Reviews", "UASC", "OC2", "OC3", "AD1", "PlacedAdoption", "PrevPerm", "Missing", "SWEpisodes")


# what is known only once an end date is: blank with it when the end falls after 31 March (rule 119)
AFTER_END = {"date_placed_ceased": ("reason_placed_ceased",)}


def _rows(tables: Mapping[str, pa.Table], name: str) -> list[dict]:
    table = tables.get(name)
    return table.to_pylist() if table is not None else []


def _open_in(start: date | None, end: date | None, first: date, last: date) -> bool:
    return start is not None and start <= last and (end is None or end >= first)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def label(collection_year: int) -> str:
    return f"{collection_year - 1}_{collection_year % 100:02d}"


def select(tables: Mapping[str, pa.Table], collection_year: int) -> dict[str, list[dict]]:
    """The rows of each DfE table for the year, as canonical dicts (before formatting)."""
    first, last = date(collection_year - 1, 4, 1), date(collection_year, 3, 31)
    episodes = []
    for row in _rows(tables, "cla_episode"):
        if _open_in(row["decom"], row.get("dec"), first, last):
            if row.get("dec") is not None and row["dec"] > last:
                row = {**row, "dec": None, "rec": None, "reason_place_change": None}
            episodes.append(row)
    outcomes = [r for r in _rows(tables, "cla_outcome") if r["collection_year"] == collection_year]
    leavers = [r for r in _rows(tables, "care_leaver") if r["collection_year"] == collection_year]
    looked_after = {r["child_id"] for r in episodes}
    period_start = _period_starts(_rows(tables, "cla_episode"), episodes)
    in_scope = looked_after | {r["child_id"] for r in outcomes} | {r["child_id"] for r in leavers}
    header = [_header(r, r["child_id"] in looked_after, last) for r in _rows(tables, "child") if r["child_id"] in in_scope]
    header += [{"child_id": c} for c in sorted(in_scope - {r["child_id"] for r in header})]  # never drop a child
    # children looked after at 31 March, not on short breaks only: their social workers are returned
    adopted = {r["child_id"] for r in episodes if r.get("rec") in ("E11", "E12") and r.get("dec") is not None}
    at_end = {r["child_id"] for r in episodes if r.get("dec") is None and r.get("legal_status") not in ("V3", "V4")}

    def scoped(name: str, start: str | None = None, end: str | None = None) -> list[dict]:
        # a care leaver with no episode in the year has only Header and OC3 rows (903 rule 1012)
        rows = [r for r in _rows(tables, name) if r["child_id"] in looked_after]
        if start is None:
            return rows
        kept = []
        for r in rows:
            if r.get(start) is None and name == "adoption":
                kept.append(r)
            elif _open_in(r.get(start), r.get(end) if end else r.get(start), first, last):
                if end and r.get(end) is not None and r[end] > last:
                    r = {**r, end: None, **{f: None for f in AFTER_END.get(end, ())}}
                kept.append(r)
        return kept

    return {
        "Header": header,
        "Episodes": episodes,
        "Reviews": [r for r in scoped("cla_review") if first <= r["review_date"] <= last],
        "UASC": [r for r in header if r.get("uasc") and r["child_id"] in looked_after],  # not for care leavers (1014)
        "OC2": outcomes,
        "OC3": [_oc3(r) for r in leavers],
        # AD1 is for children adopted in the year (903 rule 602)
        "AD1": [r for r in scoped("adoption") if r["child_id"] in adopted],
        # the decisions open in the year, of the periods of care in the year (one from an earlier period
        # of care is not this one's, rules 1003, 579)
        "PlacedAdoption": [r for r in scoped("placed_for_adoption", "date_placed", "date_placed_ceased")
                           if period_start.get(r["child_id"], last) <= r["date_placed"]],
        "PrevPerm": scoped("previous_permanence"),
        "Missing": scoped("missing_episode", "start_date", "end_date"),
        "SWEpisodes": _current_involvement([r for r in scoped("social_worker_episode", "sw_decom", "sw_dec")
                                            if r["child_id"] in at_end]),
    }


def _period_starts(history: list[dict], episodes: list[dict]) -> dict[str, date]:
    """Per child, the start of the earliest period of care with an episode in the year: a period is
    a chain of episodes each starting the day the one before ended."""
    in_year = {(r["child_id"], r["decom"]) for r in episodes}
    by_child: dict[str, list[dict]] = {}
    for r in history:
        by_child.setdefault(r["child_id"], []).append(r)
    out: dict[str, date] = {}
    for child_id, rows in by_child.items():
        start, prev_dec = None, None
        for r in sorted(rows, key=lambda r: r["decom"]):
            if start is None or prev_dec != r["decom"]:
                start = r["decom"]
            prev_dec = r.get("dec")
            if (child_id, r["decom"]) in in_year and child_id not in out:
                out[child_id] = start
    return out


def _oc3(row: dict) -> dict:
    """Not in touch (NO) or refused (REFU): activity and accommodation are sent as 0, "not known"
    (rule 153 wants all three items or none; DIED and RHOM leave them blank, rule 344)."""
    if row.get("in_touch") in ("NO", "REFU"):
        return {**row, "activity": row.get("activity") or "0", "accommodation": row.get("accommodation") or "0"}
    return row


def _header(row: dict, looked_after: bool, last: date) -> dict:
    """The Header row: UPN carries the UN code when there is no UPN; MOTHER is returned for girls
    looked after in the year (0 when not a mother, or not yet by 31 March) and blank otherwise (903
    rules 165, 628 and 625)."""
    out = {**row, "upn": row.get("upn") or row.get("upn_unknown")}
    girl = row.get("sex") in ("2", "F")
    born = row.get("mother_child_dob")
    mother = bool(row.get("mother")) and (born is None or born <= last)
    out["mother"] = mother if girl and looked_after else None
    if not out["mother"]:
        out["mother_child_dob"] = None
    return out


def _current_involvement(rows: list[dict]) -> list[dict]:
    """Each child's social worker episodes from the latest first contact (SW_REASON FCONTA) on: the 903
    wants the unbroken run of social workers up to 31 March (rules SW10a, SW12), and an earlier
    involvement that ended before the child was referred again is not part of it."""
    by_child: dict[str, list[dict]] = {}
    for r in rows:
        by_child.setdefault(r["child_id"], []).append(r)
    out = []
    for child_rows in by_child.values():
        child_rows.sort(key=lambda r: r["sw_decom"])
        first = max((i for i, r in enumerate(child_rows) if r.get("sw_reason") == "FCONTA"), default=0)
        out += child_rows[first:]
    return out


def write(tables: Mapping[str, pa.Table], out_dir: Path, *, la_code: str, collection_year: int) -> list[Path]:
    """Write the year's SSDA903 tables into ``out_dir``; ``la_code`` is not part of the CSV layout
    (DfE's upload carries it) and is accepted for symmetry with the CIN writer."""
    del la_code
    chosen = select(tables, collection_year)
    people = {r["child_id"]: r for r in chosen["Header"]}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        layout = BY_NAME[name]
        path = out_dir / f"ssda903_{label(collection_year)}_{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, lineterminator="\r\n")
            columns = [c for c in layout.columns if c.required]
            out.writerow([c.dfe for c in columns])
            for row in sorted(chosen[name], key=_sort_key(layout)):
                out.writerow([_cell(_value(layout, col, row, people)) for col in columns])
        written.append(path)
    return written


def _value(layout: Layout, col, row: dict, people: dict):
    """A row's value for a DfE column; DOB and SEX on other tables come from the child's row."""
    if col.canonical is not None:
        return row.get(col.canonical)
    person = people.get(row["child_id"], {})
    return {"DOB": person.get("date_of_birth"), "SEX": person.get("sex")}.get(col.dfe)


def _sort_key(layout: Layout):
    dated = [c.canonical for c in layout.columns if c.kind == "date" and c.canonical]

    def key(row: dict) -> tuple:
        return (row["child_id"], *((row.get(c) or date.min) for c in dated[:1]))

    return key
