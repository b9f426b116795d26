"""Round trip, workforce side: ``synth --defects 0`` -> the HR and case-management extracts, the staff
survey and the workforce census (CSWW) -> ``load`` -> the store holds the truth tables, field by
field, every row, on DuckDB and PostgreSQL (issue 4).

What each format carries:
- HR and case-management CSVs (cscperf's own layouts, core/layouts/hr.py): every column of post,
  staff_spell, agency_cost, absence_spell, team, worker, worker_team, allocation and visit, for the
  rows the HR system holds on the as-at date (nothing starting after it).
- Staff survey (long, and the wide form the survey writer can also produce): every column of
  survey_response; answers travel as their labels ("Strongly agree") and come back as codes. The
  wide form has no row for a question left unanswered (a blank cell), the long form does.
- CSWW census: one worker record per spell of a qualified social worker in a CSWW role (employed
  spells open in the 12 months to 30 September, agency spells open on it). It carries the spell's
  worker, role, dates, FTE, agency, start origin, leaver destination, leaving reason in DfE's coarser
  list (end of contract is DfE's 8 "other"), the caseload of those still in post; the council's
  vacancies and agency staff on the census date (as one council total); and each worker's working days lost in the year
  as one total. Not carried: team, hourly rate, cost (no CSWW field), absence spells and reasons.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from cscperf.core.layouts.csww import LEAVE_FROM_CSWW, LEAVE_TO_CSWW, ROLE_TO_CSWW, period_start, reference_date
from cscperf.core.layouts.hr import HR_LAYOUTS, SURVEY_LONG
from cscperf.ingest.load import load_paths
from cscperf.returns import survey
from cscperf.returns._tables import overlaps
from cscperf.store.schema import tables
from support.roundtrip import AS_AT, same, stored, truth

PROVENANCE = {"load_id", "source_file", "source_row"}


def test_hr_and_case_management_extracts_round_trip(council, engine):
    files = [council / "workforce" / layout.file_name for layout in HR_LAYOUTS.values()]
    report = load_paths(engine, files)
    assert {f.detection.part for f in report.files} == set(HR_LAYOUTS)
    assert report.issues == []
    for layout in HR_LAYOUTS.values():
        # the layout is every canonical column: nothing is left behind by the format
        assert set(layout.columns) == set(tables()[layout.table].column_names) - PROVENANCE, layout.table
        start = {"staff_spell": "start_date", "agency_cost": "quarter_start", "absence_spell": "start_date",
                 "worker_team": "start_date", "allocation": "start_date", "visit": "visit_date"}.get(layout.table)
        expected = [r for r in truth(council, layout.table) if start is None or r[start] <= AS_AT]
        n = same(stored(engine, layout.table), expected, list(layout.columns), layout.table)
        assert n > 0, layout.table
    assert len(stored(engine, "visit")) > 1000 and len(stored(engine, "allocation")) > 1000


@pytest.mark.parametrize("wide", [False, True], ids=["long", "wide"])
def test_staff_survey_round_trip(council, engine, tmp_path, wide):
    if wide:  # synth writes the long form; the same writer gives the wide one
        import pyarrow.parquet as pq
        [path] = survey.write({"survey_response": pq.read_table(council / "truth" / "survey_response.parquet")},
                              tmp_path, wide=True)
    else:
        path = council / "survey" / SURVEY_LONG.file_name
    report = load_paths(engine, [path])
    assert report.files[0].detection.part == ("wide" if wide else "long") and report.issues == []
    assert set(SURVEY_LONG.columns) == set(tables()["survey_response"].column_names) - PROVENANCE
    expected = [r for r in truth(council, "survey_response") if r["answer"] is not None or not wide]
    assert same(stored(engine, "survey_response"), expected, list(SURVEY_LONG.columns), "survey_response") > 500


def test_workforce_census_round_trip(council, engine):
    ref = reference_date(AS_AT)
    first = period_start(ref)
    report = load_paths(engine, [council / "workforce" / f"CSWW_883_{ref.year}.xml"])
    assert report.issues == []

    def in_census(s: dict) -> bool:
        if s["role"] not in ROLE_TO_CSWW or s["qualified"] is False:
            return False
        return overlaps(s["start_date"], s["end_date"], ref, ref) if s["agency"] else overlaps(
            s["start_date"], s["end_date"], first, ref)

    spells = [dict(s) for s in truth(council, "staff_spell") if in_census(s)]
    for s in spells:
        ended = s["end_date"] is not None and s["end_date"] <= ref
        s["end_date"] = s["end_date"] if ended else None
        s["leave_reason"] = LEAVE_FROM_CSWW[LEAVE_TO_CSWW[s["leave_reason"]]] if ended and s["leave_reason"] else None
        s["leaver_destination"] = s["leaver_destination"] if ended else None
        s["cases"] = None if ended else s["cases"]
        s["qualified"] = True
    fields = ["worker_id", "role", "start_date", "end_date", "leave_reason", "leaver_destination", "start_origin",
              "fte", "agency", "qualified", "cases"]
    assert same(stored(engine, "staff_spell"), spells, fields, "staff_spell") > 10
    assert any(s["end_date"] for s in spells) and any(s["agency"] for s in spells)

    # the worker as of their latest spell
    latest: dict[str, dict] = {}
    for s in sorted(spells, key=lambda s: s["start_date"]):
        latest[s["worker_id"]] = s
    same(stored(engine, "worker"), latest.values(), ["worker_id", "role", "agency", "fte", "qualified"], "worker")

    # working days lost: one year total per worker, over absences that meet the census year
    lost: dict[str, float] = defaultdict(float)
    for a in truth(council, "absence_spell"):
        if a["worker_id"] in latest and overlaps(a["start_date"], a["end_date"], first, ref) and a["start_date"] <= ref:
            lost[a["worker_id"]] += a["working_days_lost"] or 0
    expected = [{"worker_id": w, "start_date": first, "end_date": ref, "working_days_lost": round(d, 2)}
                for w, d in lost.items() if round(d, 2)]
    got = [dict(r, working_days_lost=round(r["working_days_lost"], 2)) for r in stored(engine, "absence_spell")]
    assert same(got, expected, ["worker_id", "start_date", "end_date", "working_days_lost"], "absence_spell") > 3

    # vacancies and agency staff on the census date, for the council: the truth holds them per team and
    # role, the census one council total (the breakdown is not carried)
    at_ref = [v for v in truth(council, "vacancy_snapshot") if v["snapshot_date"] == ref]
    assert len(at_ref) > 3 and all(v["team_id"] for v in at_ref)
    total = {"snapshot_date": ref, "team_id": None, "role": "social_worker",
             "vacancies_fte": round(sum(v["vacancies_fte"] or 0 for v in at_ref), 2),
             "agency_fte": round(sum(v["agency_fte"] or 0 for v in at_ref), 2),
             "agency_headcount": sum(v["agency_headcount"] or 0 for v in at_ref)}
    assert total["vacancies_fte"] > 0 and total["agency_headcount"] > 0
    same(stored(engine, "vacancy_snapshot"), [total],
         ["snapshot_date", "team_id", "role", "vacancies_fte", "agency_fte", "agency_headcount"], "vacancy_snapshot")
