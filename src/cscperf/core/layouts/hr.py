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

# Case-management extracts: the structure behind team and worker breakdowns and the live lists. No
# DfE return carries teams, allocations or every visit, so these come from the case management
# system as CSVs in this documented layout.
CASEWORK_LAYOUTS: dict[str, CsvLayout] = {
    "teams": CsvLayout("teams", "casework_teams.csv", "team", ("team_id", "team_name", "service", "manager_worker_id"),
                       {"team_id": ("Team ID", "Team Code"), "team_name": ("Team Name", "Team"),
                        "manager_worker_id": ("Team Manager", "Manager ID")}),
    "workers": CsvLayout("workers", "casework_workers.csv", "worker",
                         ("worker_id", "worker_name", "role", "qualified", "agency", "fte", "start_date", "end_date"),
                         {"worker_id": ("Worker ID", "Employee ID", "Staff ID"), "worker_name": ("Worker Name", "Name"),
                          "qualified": ("Qualified Social Worker",), "agency": ("Agency Worker",)}),
    "worker_teams": CsvLayout("worker_teams", "casework_worker_teams.csv", "worker_team",
                              ("worker_id", "team_id", "start_date", "end_date"),
                              {"worker_id": ("Worker ID", "Employee ID"), "team_id": ("Team ID", "Team"),
                               "start_date": ("Start Date", "From"), "end_date": ("End Date", "To")}),
    "allocations": CsvLayout("allocations", "casework_allocations.csv", "allocation",
                             ("child_id", "worker_id", "team_id", "start_date", "end_date"),
                             {"child_id": ("Child ID", "Child Unique ID"), "worker_id": ("Allocated Worker", "Worker ID"),
                              "team_id": ("Allocated Team", "Team ID"), "start_date": ("Allocated From", "Start Date"),
                              "end_date": ("Allocated To", "End Date")}),
    "visits": CsvLayout("visits", "casework_visits.csv", "visit",
                        ("visit_id", "child_id", "worker_id", "visit_date", "visit_type", "seen", "seen_alone"),
                        {"visit_id": ("Visit ID", "Visit Reference"), "child_id": ("Child ID", "Child Unique ID"),
                         "worker_id": ("Visiting Worker", "Worker ID"), "visit_date": ("Visit Date", "Date of Visit"),
                         "visit_type": ("Visit Type",), "seen": ("Child Seen",), "seen_alone": ("Child Seen Alone", "Seen Alone")}),
}
HR_LAYOUTS.update(CASEWORK_LAYOUTS)

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
