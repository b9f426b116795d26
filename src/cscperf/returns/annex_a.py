"""Ofsted ILACS Annex A workbook from the canonical tables.

Sheets ``List 1``..``List 11`` with Ofsted's headers, coded values written as councils send them
(``b) Female``, ``q) 6: Police``, ``N1 - Abuse or neglect``) and real Excel dates shown dd/mm/yyyy.
Each list covers the 12 months ending on ``as_at``, as Ofsted asks: events in those months, and
episodes, plans and periods of care open at any time in them. A statutory visit, and the date a
child was last seen, is a visit in which the child was seen (one where they were not is an attempt). Counts and statuses Annex A derives
(number of referrals in the last 12 months, case status, ...) are computed here from the tables.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from cscperf.core.layouts.annex_a import LISTS, VOCABS, vocab
from cscperf.returns._tables import Tables, overlaps, rows, year_before
from cscperf.store.schema import code_lists

PLACEMENT_CHANGE = {"P", "T", "B", "U"}
STATUS_CHANGE = {"L", "T", "B"}


def write(tables: Tables, path: Path, *, as_at: date) -> list[Path]:
    """Write the workbook to ``path``; returns the files written. Same input, same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _Data(tables, as_at)
    lists = {1: data.list1, 2: data.list2, 3: data.list3, 4: data.list4, 5: data.list5, 6: data.list6,
             7: data.list7, 8: data.list8, 9: data.list9, 10: data.list10, 11: lambda: []}
    dfe = {name: dict(c.values) for name, c in code_lists().items()}
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"created": datetime.combine(as_at, datetime.min.time()), "title": "Annex A"})
    bold = wb.add_format({"bold": True, "text_wrap": True})
    dmy = wb.add_format({"num_format": "dd/mm/yyyy"})
    for number, spec in LISTS.items():
        ws = wb.add_worksheet(spec.sheet)
        for c, col in enumerate(spec.columns):
            ws.write_string(0, c, col.header, bold)
            ws.set_column(c, c, 14)
        kinds = {col.kind: vocab(col.kind, dfe) for col in spec.columns
                 if col.kind not in {"text", "date", "int", "derived"}}
        for r, values in enumerate(lists[number](), start=1):
            for c, col in enumerate(spec.columns):
                value = values.get(col.key)
                if value is None or value == "":
                    continue
                if isinstance(value, date):
                    ws.write_datetime(r, c, datetime.combine(value, datetime.min.time()), dmy)
                elif col.kind in kinds:
                    ws.write_string(r, c, kinds[col.kind].written.get(value, str(value)))
                elif col.key == "case_status":
                    ws.write_string(r, c, VOCABS["case_status"][value])
                elif value in ("yes", "no", "unknown"):
                    ws.write_string(r, c, VOCABS["flag"][value])
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
    wb.close()
    return [path]


def _yes(value: bool | None) -> str | None:
    return None if value is None else "yes" if value else "no"


class _Data:
    """The canonical tables indexed for the lists."""

    def __init__(self, tables: Tables, as_at: date) -> None:
        self.as_at, self.first = as_at, year_before(as_at)
        self.children = {c["child_id"]: c for c in rows(tables, "child")}
        self.t = {name: rows(tables, name) for name in (
            "contact", "early_help_episode", "referral", "assessment", "s47_enquiry", "icpc", "cin_plan",
            "cp_plan", "cp_review", "visit", "cla_episode", "cla_review", "missing_episode", "care_leaver",
            "adoption")}
        self.by_child: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for name, table in self.t.items():
            for row in table:
                self.by_child[row["child_id"]][name].append(row)

    def in_year(self, day: date | None) -> bool:
        return day is not None and self.first <= day <= self.as_at

    def count_in_year(self, child: str, table: str, field: str) -> int:
        return sum(1 for r in self.by_child[child][table] if self.in_year(r[field]))

    def child(self, child_id: str) -> dict[str, Any]:
        c = self.children.get(child_id, {})
        dob, dis = c.get("date_of_birth"), c.get("disabilities")
        age = None
        if dob and dob <= self.as_at:
            age = self.as_at.year - dob.year - ((self.as_at.month, self.as_at.day) < (dob.month, dob.day))
        return {"child_id": child_id, "sex": c.get("sex"), "ethnicity": c.get("ethnicity"), "date_of_birth": dob,
                "age": age, "disability": None if dis is None else "no" if dis == "NONE" else "yes",
                "family_id": None}

    def latest(self, child: str, table: str, field: str, first: date, last: date, **match: Any) -> dict | None:
        found = [r for r in self.by_child[child][table] if r[field] is not None and first <= r[field] <= last
                 and all(r.get(k) == v for k, v in match.items())]
        return max(found, key=lambda r: r[field]) if found else None

    @staticmethod
    def _sorted(items, *keys):
        return sorted(items, key=lambda r: tuple((r.get(k) is None, r.get(k) or "") for k in keys))

    # -- the lists -----------------------------------------------------------------------------
    def list1(self):
        for r in self._sorted((r for r in self.t["contact"] if self.in_year(r["contact_date"])),
                              "child_id", "contact_date", "contact_id"):
            yield {**self.child(r["child_id"]), "contact_date": r["contact_date"], "contact_source": r["contact_source"]}

    def list2(self):
        for r in self._sorted((r for r in self.t["early_help_episode"] if self.in_year(r["start_date"])),
                              "child_id", "start_date", "early_help_id"):
            yield {**self.child(r["child_id"]), "eh_start": r["start_date"], "eh_completed": r["completed_date"],
                   "organisation": r["organisation"]}

    def list3(self):
        for r in self._sorted((r for r in self.t["referral"] if self.in_year(r["referral_date"])),
                              "child_id", "referral_date", "referral_id"):
            yield {**self.child(r["child_id"]), "referral_date": r["referral_date"],
                   "referral_source": r["referral_source"], "nfa": _yes(r["nfa"]),
                   "n_referrals": self.count_in_year(r["child_id"], "referral", "referral_date"),
                   "team_id": r["team_id"], "worker_id": r["worker_id"]}

    def list4(self):
        for r in self._sorted((r for r in self.t["assessment"] if self.in_year(r["start_date"])),
                              "child_id", "start_date", "assessment_id"):
            yield {**self.child(r["child_id"]), "assessment_start": r["start_date"],
                   "child_seen": "yes" if r["child_seen_date"] else None, "child_seen_date": r["child_seen_date"],
                   "authorised_date": r["authorised_date"], "assessment_outcome": r["outcome"],
                   "team_id": r["team_id"], "worker_id": r["worker_id"]}

    def list5(self):
        icpcs = {i["s47_id"]: i for i in self.t["icpc"] if i.get("s47_id")}
        for r in self._sorted((r for r in self.t["s47_enquiry"] if self.in_year(r["start_date"])),
                              "child_id", "start_date", "s47_id"):
            icpc = icpcs.get(r["s47_id"], {})
            outcome = icpc.get("outcome")
            yield {**self.child(r["child_id"]), "s47_start": r["strategy_discussion_date"] or r["start_date"],
                   "icpc_not_required": _yes(r["icpc_not_required"]),
                   "icpc_date": r["icpc_date"] or icpc.get("icpc_date"),
                   "icpc_plan": None if outcome is None else "yes" if outcome == "cp_plan" else "no",
                   "n_s47": self.count_in_year(r["child_id"], "s47_enquiry", "start_date"),
                   "n_icpc": self.count_in_year(r["child_id"], "icpc", "icpc_date"),
                   "team_id": r["team_id"], "worker_id": r["worker_id"]}

    def _status(self, child: str, closed: bool) -> str:
        if closed:
            return "closed"
        def open_(table, start, end):
            return any(r[start] and r[start] <= self.as_at and (r[end] is None or r[end] > self.as_at)
                       for r in self.by_child[child][table])
        if open_("cla_episode", "decom", "dec"):
            return "cla"
        if open_("cp_plan", "start_date", "end_date"):
            return "cp"
        if open_("assessment", "start_date", "authorised_date"):
            return "assessment"
        return "cin"

    def list6(self):
        for r in self._sorted((r for r in self.t["referral"]
                               if overlaps(r["referral_date"], r["closure_date"], self.first, self.as_at)),
                              "child_id", "referral_date", "referral_id"):
            closed = r["closure_date"] is not None and r["closure_date"] <= self.as_at
            last = min(r["closure_date"] or self.as_at, self.as_at)
            seen = self.latest(r["child_id"], "visit", "visit_date", r["referral_date"], last, seen=True)
            yield {**self.child(r["child_id"]), "cin_start": r["referral_date"], "primary_need": r["primary_need"],
                   "last_seen": seen and seen["visit_date"],
                   "closure_date": r["closure_date"], "closure_reason": r["closure_reason"],
                   "case_status": self._status(r["child_id"], closed), "team_id": r["team_id"],
                   "worker_id": r["worker_id"]}

    def list7(self):
        for r in self._sorted((r for r in self.t["cp_plan"]
                               if overlaps(r["start_date"], r["end_date"], self.first, self.as_at)),
                              "child_id", "start_date", "cp_plan_id"):
            last = min(r["end_date"] or self.as_at, self.as_at)
            visit = self.latest(r["child_id"], "visit", "visit_date", r["start_date"], last, visit_type="CP", seen=True)
            review = self.latest(r["child_id"], "cp_review", "review_date", r["start_date"], last,
                                 cp_plan_id=r["cp_plan_id"])
            yield {**self.child(r["child_id"]), "cp_start": r["start_date"], "initial_category": r["initial_category"],
                   "latest_category": r["latest_category"], "last_visit": visit and visit["visit_date"],
                   "seen_alone": visit and _yes(visit.get("seen_alone")), "latest_review": review and review["review_date"],
                   "cp_end": r["end_date"], "epo": "no" if not self._epo(r["child_id"]) else "yes",
                   "previous_plans": r["previous_plans"], "team_id": r["team_id"], "worker_id": r["worker_id"]}

    def _epo(self, child: str) -> bool:
        six = date(self.as_at.year - (self.as_at.month <= 6), (self.as_at.month - 7) % 12 + 1, 1)
        return any(e["legal_status"] in {"L1", "L2"} and overlaps(e["decom"], e["dec"], six, self.as_at)
                   for e in self.by_child[child]["cla_episode"])

    def list8(self):
        out = []
        for child, tables in self.by_child.items():
            for i, period in enumerate(periods(tables["cla_episode"])):
                first, cur = period[0], period[-1]
                if not overlaps(first["decom"], cur["dec"], self.first, self.as_at):
                    continue
                out.append(self._list8_row(child, period, periods(tables["cla_episode"])[:i]))
        return self._sorted(out, "child_id", "period_start")

    def _list8_row(self, child: str, period: list[dict], earlier: list[list[dict]]) -> dict[str, Any]:
        first, cur = period[0], period[-1]
        last = min(cur["dec"] or self.as_at, self.as_at)
        ls_start = run_start(period, lambda e: e["legal_status"], STATUS_CHANGE)
        pl_start = run_start(period, lambda e: (e["place"], e["place_provider"], e["pl_post"], e["urn"]),
                             PLACEMENT_CHANGE)
        placements = sum(1 for j, e in enumerate(period) if (j == 0 or e["decom"] == pl_start
                         or e["rne"] in PLACEMENT_CHANGE) and overlaps(e["decom"], e["dec"], self.first, self.as_at))
        visit = self.latest(child, "visit", "visit_date", first["decom"], last, visit_type="CLA", seen=True)
        review = self.latest(child, "cla_review", "review_date", first["decom"], last)
        missing = [m for m in self.by_child[child]["missing_episode"]
                   if self.in_year(m["start_date"]) and first["decom"] <= m["start_date"] <= last]
        last_missing = max((m for m in missing if m["missing_type"] == "M"), key=lambda m: m["start_date"], default=None)
        c = self.children.get(child, {})
        return {
            **self.child(child), "uasc": _yes(c.get("uasc")), "period_start": first["decom"], "cin": cur["cin"],
            "second_period": "yes" if any(p[-1]["dec"] and year_before(first["decom"]) <= p[-1]["dec"]
                                          for p in earlier) else "no",
            "ls_start": ls_start, "legal_status": cur["legal_status"], "latest_review": review and review["review_date"],
            "last_visit": visit and visit["visit_date"], "n_placements": placements,
            "dec": cur["dec"] if cur["dec"] and cur["dec"] <= self.as_at else None,
            "rec": cur["rec"] if cur["dec"] and cur["dec"] <= self.as_at else None,
            "placement_start": pl_start, "place": cur["place"], "place_provider": cur["place_provider"],
            "pl_post": cur["pl_post"], "urn": cur["urn"], "pl_location": cur["pl_location"], "pl_la": cur["pl_la"],
            "n_missing": sum(1 for m in missing if m["missing_type"] == "M"),
            "n_absent": sum(1 for m in missing if m["missing_type"] == "A"),
            "ri_offered": last_missing and _yes(last_missing.get("return_interview_offered")),
            "ri_accepted": last_missing and _yes(last_missing.get("return_interview_accepted")),
            "team_id": cur["team_id"], "worker_id": cur["worker_id"],
        }

    def list9(self):
        year = self.as_at.year + 1 if self.as_at.month >= 4 else self.as_at.year
        latest: dict[str, dict] = {}
        for r in self.t["care_leaver"]:
            if r["collection_year"] <= year and (r["child_id"] not in latest
                                                 or r["collection_year"] > latest[r["child_id"]]["collection_year"]):
                latest[r["child_id"]] = r
        for child in sorted(latest):
            r = latest[child]
            accom = r["accommodation"] or ""
            c = self.children.get(child, {})
            yield {**self.child(child), "uasc": _yes(c.get("uasc")), "personal_adviser": r["personal_adviser"],
                   "in_touch": r["in_touch"], "contact_date": r["contact_date"],
                   "accom_type": accom[:1] if accom[1:] in {"1", "2"} else accom or None,
                   "accom_suitable": accom[1:] if accom[1:] in {"1", "2"} else None, "activity": r["activity"]}

    def list10(self):
        for r in self._sorted((r for r in self.t["adoption"]
                               if overlaps(r["adm_decision_date"], r["adoption_order_date"], self.first, self.as_at)),
                              "child_id", "adm_decision_date"):
            care = [e["decom"] for e in self.by_child[r["child_id"]]["cla_episode"]
                    if e["decom"] and e["decom"] <= r["adm_decision_date"]]
            yield {**self.child(r["child_id"]), "entered_care": min(care) if care else None,
                   **{k: r[k] for k in ("adm_decision_date", "placement_order_date", "match_date", "placed_date",
                                        "adoption_order_date")}}


def periods(episodes: list[dict]) -> list[list[dict]]:
    """A child's episodes grouped into periods of care: a period continues while each episode starts
    the day the previous one ceased."""
    out: list[list[dict]] = []
    for e in sorted(episodes, key=lambda e: e["decom"]):
        if out and out[-1][-1]["dec"] == e["decom"] and e["rne"] != "S":
            out[-1].append(e)
        else:
            out.append([e])
    return out


def run_start(period: list[dict], value, change_codes: set[str]) -> date:
    """Start of the latest run of episodes sharing ``value`` with no RNE saying it changed."""
    start = period[-1]["decom"]
    for prev, nxt in zip(reversed(period[:-1]), reversed(period[1:])):
        if value(prev) != value(period[-1]) or nxt["rne"] in change_codes:
            break
        start = prev["decom"]
    return start
