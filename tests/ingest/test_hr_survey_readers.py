"""HR and survey CSVs with HR-system spellings, and the files that must be refused."""

from __future__ import annotations

from datetime import date

import pytest

from cscperf.core.errors import InputError
from cscperf.ingest.formats.hr import HrReader
from cscperf.ingest.formats.survey import SurveyReader
from support.canonical import read


def csv(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_hr_spellings_are_recognised(tmp_path):
    path = csv(tmp_path, "leavers.csv",
               "Spell ID,Employee ID,Role,Team,Start Date,Leaving Date,Reason for Leaving,FTE,Agency Worker,"
               "Hourly Rate,Cost,Qualified Social Worker,Caseload,Payroll Number\n"
               "S1,E1,Social worker,T1,01/04/2020,2026-03-31,Resignation,0.6,N,,\"£1,234.50\",Yes,12,X\n")
    detection = HrReader().detect(path)
    assert detection.part == "staff"
    records, issues = read(HrReader(), path)
    [spell] = records["staff_spell"]
    assert (spell["worker_id"], spell["role"], spell["start_date"], spell["end_date"], spell["leave_reason"],
            spell["fte"], spell["agency"], spell["cost"], spell["qualified"], spell["cases"]) == (
        "E1", "social_worker", date(2020, 4, 1), date(2026, 3, 31), "resignation", 0.6, False, 1234.5, True, 12)
    assert [(i.field, i.reason) for i in issues] == [("Payroll Number", "unknown column (ignored)")]


def test_unknown_absence_reason_is_kept_and_reported(tmp_path):
    path = csv(tmp_path, "absence.csv", "absence_id,worker_id,start_date,reason\nA1,W1,01/02/2026,Broken leg\n")
    records, issues = read(HrReader(), path)
    assert records["absence_spell"][0]["reason"] == "Broken leg"
    assert [(i.severity, i.source_row, i.field, i.value) for i in issues] == [("warning", 1, "reason", "Broken leg")]


def refused(reader, path, detection) -> InputError:
    with pytest.raises(InputError) as caught:
        list(reader.read(path, detection))
    assert "\n" not in str(caught.value)
    return caught.value


def test_impossible_date(tmp_path):
    path = csv(tmp_path, "absence.csv", "absence_id,worker_id,start_date\nA1,W1,01/02/2026\nA2,W1,31/02/2024\n")
    err = refused(HrReader(), path, HrReader().detect(path))
    assert (err.location.file, err.location.row, err.location.field, err.value) == (
        "absence.csv", 2, "start_date", "31/02/2024")


def test_missing_required_column(tmp_path):
    from cscperf.ingest.base import Detection
    path = csv(tmp_path, "agency.csv", "quarter_start,team_id,hours\n01/04/2026,T1,10\n")
    assert HrReader().detect(path) is None  # not recognisable as any extract...
    err = refused(HrReader(), path, Detection("hr", part="agency"))  # ...and refused when named as one
    assert (err.location.file, err.location.field, err.reason) == ("agency.csv", "cost", "required column is missing")


def test_empty_and_wrongly_encoded(tmp_path):
    from cscperf.ingest.base import Detection
    empty = csv(tmp_path, "survey.csv", "")
    assert refused(SurveyReader(), empty, Detection("survey")).reason == "the file is empty"
    latin = csv(tmp_path, "survey2.csv", "survey_id,respondent_id,question_id,answer\ns,R1,Q1,Tr\xe8s bien\n",
                encoding="latin-1")
    err = refused(SurveyReader(), latin, SurveyReader().detect(latin))
    assert (err.location.file, err.location.row) == ("survey2.csv", 1)


def test_wide_survey_with_plain_question_columns(tmp_path):
    path = csv(tmp_path, "wide.csv", "Survey,Respondent,Group,directorate,Q1,Q2: I feel valued,Comments\n"
                                     "s26,R1,directorate,CS,Agree,strongly disagree,great\n"
                                     "s26,R2,rest_of_council,HR,,Neither agree nor disagree,\n")
    assert SurveyReader().detect(path).part == "wide"
    records, issues = read(SurveyReader(), path)
    got = sorted((r["respondent_id"], r["question_id"], r["question_text"], r["answer"])
                 for r in records["survey_response"])
    assert got == [("R1", "Q1", None, "agree"), ("R1", "Q2", "I feel valued", "strongly_disagree"),
                   ("R2", "Q2", "I feel valued", "neither")]
    assert [(i.field, i.reason) for i in issues] == [("Comments", "unknown column (ignored)")]
