"""Annex A rows (already converted cell by cell) to canonical records.

Annex A carries no record identifiers, so they are derived from the child and the list's key date:
``<child>/<date>`` for referrals (the CIN census scheme, so a list 3 referral and its CIN census
episode are one row), ``<child>/<kind>/<date>`` for the rest, with ``/2``, ``/3`` for a second
record of the same child, kind and date. Lists 3 and 6 describe the same referrals and are merged;
the child's own facts (gender, ethnicity, birth date, UASC) are merged across all lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from cscperf.core.ids import record_id
from cscperf.ingest.base import Batch, Issue, Record
from cscperf.ingest.columns import rows_table


def year_ending_march(day: date) -> int:
    """The collection year (ending 31 March) a day falls in: 2025 for 2024-04-01..2025-03-31."""
    return day.year + 1 if day.month >= 4 else day.year


class Builder:
    """Collects one file's canonical rows, per table in the order tables are first met (a dict of
    values with its source per row: no ``Record`` object each); ``finish`` hands them over as batches."""

    def __init__(self) -> None:
        self.tables: dict[str, list[tuple[dict[str, Any], str, int]]] = {}
        self.children: dict[str, tuple[dict[str, Any], str, int]] = {}
        self.merged: dict[str, dict[str, tuple[dict[str, Any], str, int]]] = {
            "referral": {}, "visit": {}, "cp_review": {}, "cla_review": {}}
        self.care_leavers: list[tuple[dict[str, Any], str, int]] = []
        self.counters: dict[tuple[int, str], int] = {}
        self.latest: date | None = None
        self.issues: list[Issue] = []

    # -- helpers -------------------------------------------------------------------------------
    def _id(self, list_no: int, child: str, kind: str | None, day: date) -> str:
        base = record_id(child, kind, day)
        key = (list_no, base)
        n = self.counters[key] = self.counters.get(key, 0) + 1
        return base if n == 1 else record_id(child, kind, day, n)

    def _row(self, table: str, values: dict[str, Any], source: str, row: int) -> None:
        rows = self.tables.get(table)
        if rows is None:
            rows = self.tables[table] = []
        rows.append((values, source, row))

    def _merge(self, table: str, key: str, values: dict[str, Any], source: str, row: int) -> None:
        held = self.merged[table].get(key)
        if held is None:
            self.merged[table][key] = (dict(values), source, row)
            return
        for field, value in values.items():
            if value is not None and held[0].get(field) is None:
                held[0][field] = value

    def _child(self, v: dict[str, Any], source: str, row: int, **extra: Any) -> None:
        facts = {"sex": v.get("sex"), "ethnicity": v.get("ethnicity"), "date_of_birth": v.get("date_of_birth"), **extra}
        held = self.children.get(v["child_id"])
        if held is None:
            self.children[v["child_id"]] = ({"child_id": v["child_id"], **facts}, source, row)
            return
        for field, value in facts.items():
            if value is None:
                continue
            if held[0].get(field) is None:
                held[0][field] = value
            elif held[0][field] != value and field != "uasc":
                self.issues.append(Issue("warning", source, row, field, str(value),
                                         "differs from an earlier row for the same child (first value kept)"))
            elif field == "uasc" and value:
                held[0][field] = True

    def see(self, day: date | None) -> None:
        """A date read from a loaded row: the latest places care leavers without a contact date."""
        if day is not None and (self.latest is None or day > self.latest):
            self.latest = day

    # -- lists ---------------------------------------------------------------------------------
    def add(self, list_no: int, v: dict[str, Any], source: str, row: int, issues: list[Issue]) -> None:
        """One list row (its dates already given to ``see``); issues are appended to ``issues``."""
        if list_no == 11:
            issues.append(Issue("warning", source, row, None, None,
                                "List 11 (adopters) has no canonical table: row not loaded"))
            return
        child = v["child_id"]
        self._child(v, source, row, **({"uasc": _flag(v.get("uasc"))} if "uasc" in v else {}))
        team = {"team_id": v.get("team_id"), "worker_id": v.get("worker_id")}

        def rec(table: str, values: dict[str, Any]) -> None:
            self._row(table, values, source, row)

        if list_no == 1:
            rec("contact", {"contact_id": self._id(1, child, "contact", v["contact_date"]), "child_id": child,
                                  "contact_date": v["contact_date"], "contact_source": v.get("contact_source")})
        elif list_no == 2:
            rec("early_help_episode", {
                "early_help_id": self._id(2, child, "eh", v["eh_start"]), "child_id": child,
                "start_date": v["eh_start"], "completed_date": v.get("eh_completed"),
                "organisation": v.get("organisation")})
        elif list_no == 3:
            rid = self._id(3, child, None, v["referral_date"])
            self._merge("referral", rid, {"referral_id": rid, "child_id": child, "referral_date": v["referral_date"],
                                          "referral_source": v.get("referral_source"), "nfa": _flag(v.get("nfa")),
                                          **team}, source, row)
        elif list_no == 4:
            rec("assessment", {
                "assessment_id": self._id(4, child, "assessment", v["assessment_start"]), "child_id": child,
                "start_date": v["assessment_start"], "authorised_date": v.get("authorised_date"),
                "child_seen_date": v.get("child_seen_date"), "outcome": v.get("assessment_outcome"), **team})
        elif list_no == 5:
            self._s47(v, child, team, rec)
        elif list_no == 6:
            rid = self._id(6, child, None, v["cin_start"])
            self._merge("referral", rid, {"referral_id": rid, "child_id": child, "referral_date": v["cin_start"],
                                          "primary_need": v.get("primary_need"), "closure_date": v.get("closure_date"),
                                          "closure_reason": v.get("closure_reason"), **team}, source, row)
            self._visit(child, v.get("last_seen"), None, None, source, row)
        elif list_no == 7:
            pid = self._id(7, child, "cp", v["cp_start"])
            rec("cp_plan", {"cp_plan_id": pid, "child_id": child, "start_date": v["cp_start"],
                                  "end_date": v.get("cp_end"), "initial_category": v.get("initial_category"),
                                  "latest_category": v.get("latest_category"),
                                  "previous_plans": v.get("previous_plans"), **team})
            self._visit(child, v.get("last_visit"), "CP", _flag(v.get("seen_alone")), source, row)
            if v.get("latest_review"):
                self._merge("cp_review", f"{pid}|{v['latest_review']}",
                            {"cp_plan_id": pid, "child_id": child, "review_date": v["latest_review"]}, source, row)
        elif list_no == 8:
            for e in episodes(v, team):
                rec("cla_episode", e)
            self._visit(child, v.get("last_visit"), "CLA", None, source, row)
            if v.get("latest_review"):
                self._merge("cla_review", f"{child}|{v['latest_review']}",
                            {"child_id": child, "review_date": v["latest_review"]}, source, row)
        elif list_no == 9:
            self.care_leavers.append(({
                "child_id": child, "contact_date": v.get("contact_date"), "in_touch": v.get("in_touch"),
                "activity": v.get("activity"), "accommodation": _accommodation(v),
                "personal_adviser": v.get("personal_adviser"),
                "pathway_plan": True if v.get("pathway_review") else None}, source, row))
        elif list_no == 10:
            rec("adoption", {
                "child_id": child, "adm_decision_date": v["adm_decision_date"],
                "placement_order_date": v.get("placement_order_date"), "match_date": v.get("match_date"),
                "placed_date": v.get("placed_date"), "adoption_order_date": v.get("adoption_order_date"),
                "foster_to_adopt": True if v.get("ffa_date") else None})

    def _s47(self, v: dict[str, Any], child: str, team: dict[str, Any], rec) -> None:
        sid = self._id(5, child, "s47", v["s47_start"])
        rec("s47_enquiry", {
            "s47_id": sid, "child_id": child, "strategy_discussion_date": v["s47_start"],
            "start_date": v["s47_start"], "icpc_date": v.get("icpc_date"),
            "icpc_not_required": _flag(v.get("icpc_not_required")), **team})
        if v.get("icpc_date"):
            plan = _flag(v.get("icpc_plan"))
            rec("icpc", {"icpc_id": record_id(child, "icpc", v["icpc_date"]), "s47_id": sid, "child_id": child, "icpc_date": v["icpc_date"],
                               "outcome": None if plan is None else "cp_plan" if plan else "no_plan", **team})

    def _visit(self, child: str, day: date | None, kind: str | None, alone: bool | None, source: str, row: int) -> None:
        if day is None:
            return
        visit_id = record_id(child, "visit", day)
        self._merge("visit", visit_id, {
            "visit_id": visit_id, "child_id": child, "visit_date": day,
            "visit_type": kind, "seen": True, "seen_alone": alone}, source, row)

    def finish(self) -> Iterator[Batch | Issue]:
        """The builder's own issues, then a batch per table (tables in the order first met)."""
        yield from self._close()
        for table, rows in self.tables.items():
            yield Batch(table, rows_table(table, rows))
        self.tables = {}

    def finish_records(self) -> Iterator[Record | Issue]:
        """``finish`` one row at a time: each record holds the values its list gave (no null columns)."""
        yield from self._close()
        for table, rows in self.tables.items():
            for values, source, row in rows:
                yield Record(table, values, source, row)
        self.tables = {}

    def _close(self) -> Iterator[Issue]:
        yield from self.issues
        for values, source, row in self.children.values():
            self._row("child", values, source, row)
        for table, held in self.merged.items():
            for values, source, row in held.values():
                if table == "visit" and values["visit_type"] is None:
                    values["visit_type"] = "CIN"  # seen during a CIN episode, not a CP or CLA visit
                self._row(table, values, source, row)
        for values, source, row in self.care_leavers:
            day = values["contact_date"] or self.latest
            if day is None:
                yield Issue("rejected", source, row, "Latest Date of Contact", None,
                            "List 9: no date to place the care leaver in a collection year")
                continue
            self._row("care_leaver", {**values, "collection_year": year_ending_march(day)}, source, row)


def episodes(v: dict[str, Any], team: dict[str, Any]) -> list[dict[str, Any]]:
    """A list 8 row as SSDA903-grain episodes. Annex A gives the start of the period of care, of the
    current legal status and of the current placement; each start opens an episode (the earlier ones
    end the day the next begins, REC X1), carrying only what is known from that day on."""
    start = v["period_start"]
    ls_start = max(v.get("ls_start") or start, start)
    pl_start = max(v.get("placement_start") or start, start)
    breaks = sorted({start, ls_start, pl_start})
    rows = []
    for i, day in enumerate(breaks):
        last = i == len(breaks) - 1
        rows.append({
            "child_id": v["child_id"], "decom": day, "rne": "S" if i == 0 else None, "cin": v.get("cin"),
            "legal_status": v.get("legal_status") if day >= ls_start else None,
            **({k: v.get(k) for k in ("place", "place_provider", "pl_post", "urn", "pl_location", "pl_la")}
               if day >= pl_start else {}),
            "dec": v.get("dec") if last else breaks[i + 1], "rec": v.get("rec") if last else "X1",
            **(team if last else {}),
        })
    return rows


def _flag(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value) if value else None


def _accommodation(v: dict[str, Any]) -> str | None:
    kind, suitable = v.get("accom_type"), v.get("accom_suitable")
    if kind is None:
        return None
    return kind if kind == "0" or suitable is None else f"{kind}{suitable}"


# The tables several lists describe (3 and 6 the referral; 6, 7 and 8 the child's latest visit; 7 and 8
# the latest reviews), by the key ``Builder`` merges them on.
MERGED_KEYS = {"referral": ("referral_id",), "visit": ("visit_id",), "cp_review": ("cp_plan_id", "review_date"),
               "cla_review": ("child_id", "review_date")}


def combine(records: list[Record]) -> list[Record]:
    """One extract's records, with the copies that lists sent as separate CSVs make of one record
    merged as ``Builder`` merges them within a workbook: the first copy holds, later copies fill its
    blanks, and a CP or CLA visit type replaces the CIN default of a list 6 visit."""
    out: list[Record] = []
    held: dict[tuple, int] = {}
    for record in records:
        keys = MERGED_KEYS.get(record.table)
        if keys is None:
            out.append(record)
            continue
        key = (record.table, *(record.values.get(k) for k in keys))
        if key not in held:
            held[key] = len(out)
            out.append(Record(record.table, dict(record.values), record.source_file, record.source_row))
            continue
        first = out[held[key]].values
        for name, value in record.values.items():
            if value is not None and (first.get(name) is None or (name == "visit_type" and first[name] == "CIN")):
                first[name] = value
    return out
