"""HR and survey writers -> readers -> store: every column comes back, on both engines."""

from __future__ import annotations

from datetime import date

import pytest

from cscperf.ingest.formats.hr import HrReader
from cscperf.ingest.formats.survey import SurveyReader
from cscperf.returns import hr, survey
from cscperf.store.rows import to_arrow
from cscperf.store.schema import tables as schema
from support.canonical import fetch, load, project, read

D = date
AS_AT = D(2026, 10, 31)
HR = {
    "team": [{"team_id": "T1", "team_name": "Assessment 1", "service": "assessment", "manager_worker_id": "W9"}],
    "worker": [{"worker_id": "W1", "worker_name": "Worker One", "role": "social_worker", "qualified": True,
                "agency": False, "fte": 0.8, "start_date": D(2021, 4, 6)}],
    "worker_team": [{"worker_id": "W1", "team_id": "T1", "start_date": D(2021, 4, 6), "end_date": D(2024, 1, 31)}],
    "allocation": [{"child_id": "C1", "worker_id": "W1", "team_id": "T1", "start_date": D(2026, 2, 3)},
                   {"child_id": "C2", "worker_id": "W1", "team_id": "T1", "start_date": D(2026, 11, 2)}],
    "visit": [{"visit_id": "V1", "child_id": "C1", "worker_id": "W1", "visit_date": D(2026, 10, 30), "visit_type": "CP",
               "seen": True, "seen_alone": False}],
    "post": [
        {"post_id": "P1", "team_id": "T1", "role": "social_worker", "fte": 1.0, "social_worker_post": True},
        {"post_id": "P2", "team_id": "T1", "role": "family_support_worker", "fte": 0.5, "social_worker_post": False},
    ],
    "staff_spell": [
        {"spell_id": "S1", "worker_id": "W1", "role": "social_worker", "team_id": "T1", "start_date": D(2021, 4, 6),
         "end_date": D(2026, 5, 31), "leave_reason": "resignation", "leaver_destination": "1", "start_origin": "2",
         "fte": 0.8, "agency": False, "cost": 41234.56, "qualified": True, "cases": 18},
        {"spell_id": "S2", "worker_id": "W2", "role": "social_worker", "team_id": "T2", "start_date": D(2026, 6, 1),
         "fte": 1.0, "agency": True, "hourly_rate": 52.75, "cost": 18990.0, "qualified": True},
        {"spell_id": "S9", "worker_id": "W9", "role": "social_worker", "start_date": D(2026, 11, 1), "fte": 1.0},
    ],
    "agency_cost": [
        {"quarter_start": D(2026, 4, 1), "team_id": "T2", "worker_id": "W2", "hours": 222.5, "cost": 11736.88},
        {"quarter_start": D(2026, 7, 1), "team_id": "T2", "worker_id": "W2", "hours": 480.0, "cost": 25320.0},
    ],
    "absence_spell": [
        {"absence_id": "A1", "worker_id": "W1", "start_date": D(2026, 1, 5), "end_date": D(2026, 2, 27),
         "working_days_lost": 36.0, "reason": "stress"},
        {"absence_id": "A2", "worker_id": "W2", "start_date": D(2026, 10, 20), "working_days_lost": 2.5,
         "reason": "infection"},
    ],
}
SURVEY = [
    {"survey_id": "2026-staff", "respondent_id": "R1", "respondent_group": "directorate", "directorate": "Children",
     "question_id": "Q01", "question_text": "I am proud to work here", "question_set": "engagement",
     "answer": "strongly_agree"},
    {"survey_id": "2026-staff", "respondent_id": "R1", "respondent_group": "directorate", "directorate": "Children",
     "question_id": "Q02", "question_text": "My caseload is manageable", "question_set": "workload",
     "answer": "disagree"},
    {"survey_id": "2026-staff", "respondent_id": "R2", "respondent_group": "rest_of_council", "directorate": "Place",
     "question_id": "Q01", "question_text": "I am proud to work here", "question_set": "engagement",
     "answer": "neither"},
]


def columns(table: str) -> list[str]:
    return [c for c in schema()[table].column_names if c not in ("load_id", "source_file", "source_row")]


def test_hr_round_trip_every_column(engine, tmp_path):
    paths = hr.write({t: to_arrow(t, r) for t, r in HR.items()}, tmp_path, as_at=AS_AT)
    assert [p.name for p in paths] == ["hr_posts.csv", "hr_staff.csv", "hr_agency.csv", "hr_absence.csv",
                                       "casework_teams.csv", "casework_workers.csv", "casework_worker_teams.csv",
                                       "casework_allocations.csv", "casework_visits.csv"]
    assert load(engine, HrReader(), paths) == []
    keys = {"post": ["post_id"], "staff_spell": ["spell_id"], "agency_cost": ["quarter_start"],
            "absence_spell": ["absence_id"], "team": ["team_id"], "worker": ["worker_id"],
            "worker_team": ["worker_id", "team_id"], "allocation": ["child_id"], "visit": ["visit_id"]}
    for table, rows in HR.items():
        # Not in an extract run on as_at: the spell and the allocation that start after it.
        expected = [r for r in rows if r.get("spell_id") != "S9" and not (table == "allocation" and r["child_id"] == "C2")]
        assert fetch(engine, table, columns(table), keys[table]) == project(expected, columns(table), keys[table])


def test_hr_files_are_plain_dmy_and_yn(tmp_path):
    hr.write({t: to_arrow(t, r) for t, r in HR.items()}, tmp_path, as_at=AS_AT)
    lines = (tmp_path / "hr_staff.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("spell_id,worker_id,role,team_id,start_date")
    assert lines[1] == "S1,W1,social_worker,T1,06/04/2021,31/05/2026,resignation,1,2,0.8,N,,41234.56,Y,18"


@pytest.mark.parametrize("wide", [False, True])
def test_survey_round_trip_long_and_wide(engine, tmp_path, wide):
    [path] = survey.write({"survey_response": to_arrow("survey_response", SURVEY)}, tmp_path, wide=wide)
    records, issues = read(SurveyReader(), path)
    assert issues == []
    load(engine, SurveyReader(), [path])
    order = ["respondent_id", "question_id"]
    assert fetch(engine, "survey_response", columns("survey_response"), order) == project(
        SURVEY, columns("survey_response"), order)


def test_wide_survey_header_and_labels(tmp_path):
    [path] = survey.write({"survey_response": to_arrow("survey_response", SURVEY)}, tmp_path, wide=True)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("survey_id,respondent_id,respondent_group,directorate,"
                        "Q01 [engagement] I am proud to work here,Q02 [workload] My caseload is manageable")
    assert lines[2] == "2026-staff,R2,rest_of_council,Place,Neither agree nor disagree,"
