"""Round trip, Annex A: ``synth --defects 0`` -> annex_a.xlsx (and the same lists as one CSV each, the
other way councils send them) -> ``load`` -> the store holds the truth for every field Annex A
carries, every row, on DuckDB and PostgreSQL (issue 4).

Annex A is a 12-month snapshot (the year to the as-at date), one row per event or open record, so
what it carries is narrower than the truth:
- List 1 contacts, 2 early help, 3 referrals, 4 assessments, 5 section 47s: the records starting in
  the 12 months, with the list's fields (the s47 start is the strategy discussion date).
- List 6: referrals (CIN episodes) open at any time in the 12 months: need, closure, team, worker;
  source and NFA only for those starting in the year (list 3). Date last seen: the latest visit in
  the episode where the child was seen; its visit type is not carried (read as CIN).
- List 7: CP plans open in the year; only the latest statutory visit (with seen alone) and review.
- List 8: one row per period of care open in the year: its start, the start of the current legal
  status and placement, and the current episode's fields. Earlier episodes are not carried; the
  reader rebuilds one episode per start (``_annex_a_rows.episodes``), so the test compares what a
  list 8 row says, computed from the truth's and the store's episodes alike. Only the latest CLA visit
  and review of each period.
- List 9: each care leaver's latest year. The collection year itself is not carried (the reader
  takes the year of the latest contact), nor the pathway plan (the canonical model keeps no date).
- List 10: adoption decision, placement order, match, placed and order dates. Not carried: foster
  to adopt (no date in the canonical model to write).
- The child: gender, ethnicity, date of birth of every child in any list; UASC for lists 8 and 9.
  Not carried: UPN, disabilities (Annex A has only a derived yes/no), SSDA903 and CIN census fields.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from cscperf.ingest.load import load_paths
from cscperf.returns._tables import overlaps, year_before
from cscperf.returns.annex_a import PLACEMENT_CHANGE, STATUS_CHANGE, periods, run_start
from support.roundtrip import AS_AT, same, stored, truth

FIRST = year_before(AS_AT)


def in_year(day: date | None) -> bool:
    return day is not None and FIRST <= day <= AS_AT


def as_csvs(workbook: Path, folder: Path) -> list[Path]:
    """Each sheet as a CSV the way a council exports one: dd/mm/yyyy dates, codes as written."""
    folder.mkdir()
    paths = []
    wb = CalamineWorkbook.from_path(str(workbook))
    for name in wb.sheet_names:
        path = folder / f"annex_a_{name.lower().replace(' ', '_')}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False):
                out.writerow(["" if c is None else c.strftime("%d/%m/%Y") if isinstance(c, (date, datetime))
                              else int(c) if isinstance(c, float) and c.is_integer() else c for c in row])
        paths.append(path)
    return paths


def latest(rows: list[dict], field: str, first: date, last: date, **match) -> dict | None:
    found = [r for r in rows if r[field] is not None and first <= r[field] <= last
             and all(r.get(k) == v for k, v in match.items())]
    return max(found, key=lambda r: r[field]) if found else None


def list8(episodes: list[dict], as_at: date | None) -> list[dict]:
    """What a list 8 row says of each period of care open in the year, from a child's episodes."""
    out = []
    by_child = defaultdict(list)
    for e in episodes:
        by_child[e["child_id"]].append(e)
    for child, mine in by_child.items():
        for period in periods(mine):
            cur = period[-1]
            if not overlaps(period[0]["decom"], cur["dec"], FIRST, AS_AT):
                continue
            ended = cur["dec"] is not None and (as_at is None or cur["dec"] <= as_at)
            out.append({
                "child_id": child, "period_start": period[0]["decom"],
                "ls_start": run_start(period, lambda e: e["legal_status"], STATUS_CHANGE),
                "placement_start": run_start(period, lambda e: (e["place"], e["place_provider"], e["pl_post"], e["urn"]),
                                             PLACEMENT_CHANGE),
                **{k: cur[k] for k in ("legal_status", "cin", "place", "place_provider", "pl_post", "urn", "pl_location",
                                       "pl_la", "team_id", "worker_id")},
                "dec": cur["dec"] if ended else None, "rec": cur["rec"] if ended else None,
                "last": min(cur["dec"] or AS_AT, AS_AT),
            })
    return out


@pytest.fixture(params=["xlsx", "csv"])
def annex_a(request, council, tmp_path) -> list[Path]:
    workbook = council / "annex_a.xlsx"
    return [workbook] if request.param == "xlsx" else as_csvs(workbook, tmp_path / "lists")


def test_annex_a_round_trip(council, annex_a, engine):
    report = load_paths(engine, annex_a)
    assert {f.detection.format for f in report.files} == {"annex-a"}
    assert report.issues == [] if len(annex_a) == 1 else all("List 11" in i.reason for i in report.issues)
    t = {name: truth(council, name) for name in (
        "child", "contact", "early_help_episode", "referral", "assessment", "s47_enquiry", "icpc", "cp_plan",
        "cp_review", "visit", "cla_episode", "cla_review", "care_leaver", "adoption")}
    children: set[str] = set()

    def check(table: str, expected: list[dict], fields: list[str], at_least: int = 1) -> None:
        assert same(stored(engine, table), expected, fields, table) >= at_least
        children.update(r["child_id"] for r in expected)

    # lists 1, 2, 4: records starting in the year
    check("contact", [r for r in t["contact"] if in_year(r["contact_date"])],
          ["child_id", "contact_date", "contact_source"], 100)
    check("early_help_episode", [r for r in t["early_help_episode"] if in_year(r["start_date"])],
          ["child_id", "start_date", "completed_date", "organisation"], 10)
    check("assessment", [r for r in t["assessment"] if in_year(r["start_date"])],
          ["child_id", "start_date", "authorised_date", "child_seen_date", "outcome", "team_id", "worker_id"], 100)

    # lists 3 and 6: one referral row, source and NFA known for those starting in the year
    referrals = [dict(r) for r in t["referral"] if overlaps(r["referral_date"], r["closure_date"], FIRST, AS_AT)]
    for r in referrals:
        if not in_year(r["referral_date"]):
            r["referral_source"] = r["nfa"] = None
    check("referral", referrals, ["child_id", "referral_date", "referral_source", "nfa", "primary_need", "closure_date",
                                  "closure_reason", "team_id", "worker_id"], 100)
    assert any(r["referral_source"] is None for r in referrals) and any(r["closure_date"] for r in referrals)

    # list 5: section 47s starting in the year, and the ICPC each led to
    icpcs = {i["s47_id"]: i for i in t["icpc"]}
    s47s, conferences = [], []
    for s in t["s47_enquiry"]:
        if not in_year(s["start_date"]):
            continue
        icpc = icpcs.get(s["s47_id"], {})
        day = s["icpc_date"] or icpc.get("icpc_date")
        s47s.append({**s, "start_date": s["strategy_discussion_date"] or s["start_date"], "icpc_date": day})
        if day:
            outcome = icpc.get("outcome")
            conferences.append({"child_id": s["child_id"], "icpc_date": day, "team_id": s["team_id"],
                                "worker_id": s["worker_id"],
                                "outcome": None if outcome is None else "cp_plan" if outcome == "cp_plan" else "no_plan"})
    check("s47_enquiry", s47s, ["child_id", "start_date", "strategy_discussion_date", "icpc_not_required", "icpc_date",
                                "team_id", "worker_id"], 20)
    check("icpc", conferences, ["child_id", "icpc_date", "outcome", "team_id", "worker_id"], 5)

    # list 7: plans open in the year, with the latest statutory visit and review of each
    visits = defaultdict(list)
    for v in t["visit"]:
        visits[v["child_id"]].append(v)
    reviews = defaultdict(list)
    for r in t["cp_review"]:
        reviews[r["cp_plan_id"]].append(r)
    plans = [p for p in t["cp_plan"] if overlaps(p["start_date"], p["end_date"], FIRST, AS_AT)]
    check("cp_plan", plans, ["child_id", "start_date", "end_date", "initial_category", "latest_category",
                             "previous_plans", "team_id", "worker_id"], 20)
    seen: dict[tuple, dict] = {}  # (child, date) -> the visit, as the lists give it
    cp_reviews = []
    for p in plans:
        last = min(p["end_date"] or AS_AT, AS_AT)
        visit = latest(visits[p["child_id"]], "visit_date", p["start_date"], last, visit_type="CP", seen=True)
        if visit:
            seen[(p["child_id"], visit["visit_date"])] = visit
        review = latest(reviews[p["cp_plan_id"]], "review_date", p["start_date"], last)
        if review:
            cp_reviews.append({"child_id": p["child_id"], "plan_start": p["start_date"], "review_date": review["review_date"]})
    plan_start = {p["cp_plan_id"]: p["start_date"] for p in stored(engine, "cp_plan")}
    assert same([{**r, "plan_start": plan_start[r["cp_plan_id"]]} for r in stored(engine, "cp_review")], cp_reviews,
                ["child_id", "plan_start", "review_date"], "cp_review") > 10

    # list 8: each period of care open in the year, as a list 8 row says it
    periods_truth = list8(t["cla_episode"], AS_AT)
    fields = ["child_id", "period_start", "ls_start", "placement_start", "legal_status", "cin", "place", "place_provider",
              "pl_post", "urn", "pl_location", "pl_la", "dec", "rec", "team_id", "worker_id"]
    assert same(list8(stored(engine, "cla_episode"), None), periods_truth, fields, "list 8") > 20
    children.update(p["child_id"] for p in periods_truth)
    cla_reviews = defaultdict(list)
    for r in t["cla_review"]:
        cla_reviews[r["child_id"]].append(r)
    expected_reviews = []
    for p in periods_truth:
        visit = latest(visits[p["child_id"]], "visit_date", p["period_start"], p["last"], visit_type="CLA", seen=True)
        if visit and (p["child_id"], visit["visit_date"]) not in seen:  # a CP visit the same day is the list 7 one
            seen[(p["child_id"], visit["visit_date"])] = {**visit, "seen_alone": None}  # list 8 says nothing of it
        review = latest(cla_reviews[p["child_id"]], "review_date", p["period_start"], p["last"])
        if review:
            expected_reviews.append(review)
    check("cla_review", expected_reviews, ["child_id", "review_date"], 10)

    # list 6 last seen, 7 and 8 statutory visits: one visit per child and day, seen; a list 6 visit's type
    # and whether the child was seen alone are not carried
    for r in referrals:
        last = min(r["closure_date"] or AS_AT, AS_AT)
        visit = latest(visits[r["child_id"]], "visit_date", r["referral_date"], last, seen=True)
        if visit and (r["child_id"], visit["visit_date"]) not in seen:
            seen[(r["child_id"], visit["visit_date"])] = {**visit, "visit_type": "CIN", "seen_alone": None}
    check("visit", list(seen.values()), ["child_id", "visit_date", "visit_type", "seen", "seen_alone"], 100)

    # list 9: each care leaver's latest year up to this one
    year = AS_AT.year + 1 if AS_AT.month >= 4 else AS_AT.year
    leavers: dict[str, dict] = {}
    for r in sorted(t["care_leaver"], key=lambda r: r["collection_year"]):
        if r["collection_year"] <= year:
            leavers[r["child_id"]] = r
    check("care_leaver", list(leavers.values()),
          ["child_id", "contact_date", "in_touch", "activity", "accommodation", "personal_adviser"], 5)

    # list 10: adoptions open in the year
    check("adoption", [a for a in t["adoption"] if overlaps(a["adm_decision_date"], a["adoption_order_date"], FIRST, AS_AT)],
          ["child_id", "adm_decision_date", "placement_order_date", "match_date", "placed_date", "adoption_order_date"])

    # the children of every list; UASC from lists 8 and 9
    uasc_lists = {p["child_id"] for p in periods_truth} | set(leavers)
    kids = [{**c, "uasc": c["uasc"] if c["child_id"] in uasc_lists else None}
            for c in t["child"] if c["child_id"] in children]
    assert same(stored(engine, "child"), kids, ["child_id", "sex", "ethnicity", "date_of_birth", "uasc"], "child") > 300
