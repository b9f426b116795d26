"""cscperf's documented CSV layouts for HR extracts and staff-survey responses.

There is no national layout, so cscperf defines one (docs/formats/hr-and-survey.md): one CSV per
extract, a header row naming the canonical columns (spacing, case and punctuation ignored, a few
common HR spellings accepted), dates dd/mm/yyyy (ISO also read), flags Y/N, codes bare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CsvLayout:
    part: str  # Detection.part
    file_name: str  # what the writer calls the file
    table: str  # canonical table
    columns: tuple[str, ...]  # canonical columns, in the written order
    aliases: dict[str, tuple[str, ...]]  # column -> other accepted headers


HR_LAYOUTS: dict[str, CsvLayout] = {
    "posts": CsvLayout("posts", "hr_posts.csv", "post",
                       ("post_id", "team_id", "role", "fte", "social_worker_post"),
                       {"post_id": ("Post Number", "Position ID"), "team_id": ("Team",), "fte": ("Budgeted FTE",),
                        "social_worker_post": ("Social Worker Post", "SW Post")}),
    "staff": CsvLayout("staff", "hr_staff.csv", "staff_spell",
                       ("spell_id", "worker_id", "role", "team_id", "start_date", "end_date", "leave_reason",
                        "leaver_destination", "start_origin", "fte", "agency", "hourly_rate", "cost", "qualified",
                        "cases"),
                       {"spell_id": ("Assignment ID", "Spell"), "worker_id": ("Employee ID", "Staff ID", "Worker"),
                        "team_id": ("Team",), "start_date": ("Start Date", "Date Started"),
                        "end_date": ("End Date", "Leaving Date", "Date Left"), "leave_reason": ("Reason for Leaving",),
                        "hourly_rate": ("Hourly Rate", "Charge Rate"), "agency": ("Agency Worker",),
                        "qualified": ("Qualified Social Worker",), "cases": ("Caseload",)}),
    "agency": CsvLayout("agency", "hr_agency.csv", "agency_cost",
                        ("quarter_start", "team_id", "worker_id", "hours", "cost"),
                        {"quarter_start": ("Quarter Start", "Quarter"), "team_id": ("Team",),
                         "worker_id": ("Worker", "Agency Worker ID"), "hours": ("Hours Billed",),
                         "cost": ("Cost (GBP)", "Spend", "Amount")}),
    "absence": CsvLayout("absence", "hr_absence.csv", "absence_spell",
                         ("absence_id", "worker_id", "start_date", "end_date", "working_days_lost", "reason"),
                         {"absence_id": ("Absence Reference",), "worker_id": ("Employee ID", "Staff ID"),
                          "start_date": ("First Day Absent", "Start Date"), "end_date": ("Last Day Absent", "End Date"),
                          "working_days_lost": ("Days Lost", "Working Days Lost (FTE)"),
                          "reason": ("Absence Reason", "Sickness Reason")}),
}

SURVEY_LONG = CsvLayout("long", "survey_responses.csv", "survey_response",
                        ("survey_id", "respondent_id", "respondent_group", "directorate", "question_id",
                         "question_text", "question_set", "answer"),
                        {"survey_id": ("Survey",), "respondent_id": ("Respondent", "Response ID"),
                         "respondent_group": ("Group",), "question_id": ("Question", "Question Code"),
                         "answer": ("Response", "Answer Text")})
# Wide: these columns, then one column per question headed "<id> [<set>] <text>" (set and text optional).
SURVEY_WIDE_FIXED = ("survey_id", "respondent_id", "respondent_group", "directorate")
SURVEY_WIDE_NAME = "survey_responses_wide.csv"
QUESTION_HEADER = re.compile(r"^(?P<id>[A-Za-z]{0,3}\d+[A-Za-z0-9_.]*)\s*(?:\[(?P<set>[^\]]*)\])?\s*(?:[:\-]\s*)?(?P<text>.*)$")


def question_header(question_id: str, question_set: str | None, text: str | None) -> str:
    """The wide-format header for a question: ``Q01 [engagement] I am proud to work here``."""
    parts = [question_id] + ([f"[{question_set}]"] if question_set else []) + ([text] if text else [])
    return " ".join(parts)
