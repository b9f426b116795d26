"""Staff survey responses as a survey tool exports them: answers as their labels
(``Strongly agree``), long (one row per respondent and question) or wide (a column per question)."""

from __future__ import annotations

from pathlib import Path

from cscperf.core.layouts.hr import SURVEY_LONG, SURVEY_WIDE_FIXED, SURVEY_WIDE_NAME, question_header
from cscperf.returns._csv import write_csv
from cscperf.returns._tables import Tables, rows
from cscperf.store.schema import code_lists


def write(tables: Tables, out_dir: Path, *, wide: bool = False) -> list[Path]:
    """Write survey_responses.csv (or survey_responses_wide.csv); returns the files written."""
    labels = code_lists()["likert"].values
    data = sorted(rows(tables, "survey_response"),
                  key=lambda r: (r["survey_id"], r["respondent_id"], r["question_id"]))
    for r in data:
        r["answer"] = labels.get(r["answer"], r["answer"]) if r["answer"] else None
    if not wide:
        path = Path(out_dir) / SURVEY_LONG.file_name
        return [write_csv(path, list(SURVEY_LONG.columns), ([r[c] for c in SURVEY_LONG.columns] for r in data))]
    questions: dict[str, str] = {}
    people: dict[tuple, dict] = {}
    for r in data:
        questions.setdefault(r["question_id"], question_header(r["question_id"], r["question_set"], r["question_text"]))
        person = people.setdefault((r["survey_id"], r["respondent_id"]), {c: r[c] for c in SURVEY_WIDE_FIXED})
        person[r["question_id"]] = r["answer"]
    order = sorted(questions)
    header = list(SURVEY_WIDE_FIXED) + [questions[q] for q in order]
    body = ([p[c] for c in SURVEY_WIDE_FIXED] + [p.get(q) for q in order] for p in people.values())
    return [write_csv(Path(out_dir) / SURVEY_WIDE_NAME, header, body)]
