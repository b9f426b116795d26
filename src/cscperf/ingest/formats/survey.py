"""Staff survey responses: long (one row per respondent and question) or wide (one row per
respondent, one column per question headed ``<id> [<set>] <text>``). Answers on the five-point
scale are stored as codes (``Strongly agree`` -> ``strongly_agree``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cscperf.core.errors import InputError, Location
from cscperf.core.layouts.annex_a import header_key
from cscperf.core.layouts.hr import QUESTION_HEADER, SURVEY_LONG, SURVEY_WIDE_FIXED, CsvLayout
from cscperf.ingest.base import Batch, Detection, Issue, Record, records_of
from cscperf.ingest.columns import batches_of_records
from cscperf.ingest.csvfile import peek, read_all, read_columns
from cscperf.ingest.formats._csv_table import batches, convert, matches, read_rows, required_blank
from cscperf.ingest.formats._tabular import cell_text
from cscperf.store.schema import tables

SURVEY_WIDE = CsvLayout("wide", "", "survey_response", SURVEY_WIDE_FIXED, SURVEY_LONG.aliases)


def shape(header: list) -> str | None:
    if matches(SURVEY_LONG, header):
        return "long"
    if matches(SURVEY_WIDE, header):
        fixed = {header_key(n) for c in SURVEY_WIDE_FIXED for n in (c, *SURVEY_LONG.aliases.get(c, ()))}
        questions = [h for h in header if cell_text(h) and header_key(h) not in fixed
                     and QUESTION_HEADER.match(cell_text(h) or "")]
        return "wide" if questions else None
    return None


class SurveyReader:
    """Reader for staff survey response CSVs (format ``survey``; part ``long`` or ``wide``)."""

    format = "survey"

    def detect(self, path: Path) -> Detection | None:
        if path.suffix.lower() not in {".csv", ".txt"}:
            return None
        head = peek(path, 1)
        found = shape(head[0]) if head else None
        return Detection(self.format, part=found) if found else None

    def read(self, path: Path, detection: Detection) -> Iterator[Record | Issue]:
        yield from records_of(self.read_batches(path, detection))

    def read_batches(self, path: Path, detection: Detection) -> Iterator[Batch | Issue]:
        """Long files a column at a time; wide ones (a record per answered cell) row by row."""
        found = detection.part
        if found is None or found == "long":
            data = read_columns(path, path.name)
            found = found or shape(data.header)
            if found == "long":
                yield from batches(path, SURVEY_LONG, data)
                return
        if found == "wide":
            rows = read_all(path, path.name)
            yield from batches_of_records_and_issues(_wide(path, rows))
        else:
            raise InputError(Location(path.name, 1), "not a survey extract: no respondent and question columns")


def batches_of_records_and_issues(items: Iterator[Record | Issue]) -> Iterator[Batch | Issue]:
    records = []
    for item in items:
        if isinstance(item, Record):
            records.append(item)
        else:
            yield item
    yield from batches_of_records(records)


def _wide(path: Path, rows: list[list]) -> Iterator[Record | Issue]:
    answer_col = tables()["survey_response"].column("answer")
    questions: dict[int, tuple[str, str | None, str | None]] = {}
    for item in read_rows(path, SURVEY_WIDE, rows, fixed_only=True):
        if isinstance(item, Issue):
            yield item
            continue
        n, values, extra = item
        if not questions:
            for i, text in extra:
                m = QUESTION_HEADER.match(text)
                if m is None:
                    yield Issue("warning", path.name, None, text, None, "unknown column (ignored)")
                    continue
                questions[i] = (m.group("id"), (m.group("set") or "").strip() or None, m.group("text").strip() or None)
            if not questions:
                raise InputError(Location(path.name, None), "wide survey file without question columns")
        blank = required_blank(SURVEY_WIDE, values)
        if blank:
            yield Issue("rejected", path.name, n, blank, None, "required value is blank")
            continue
        row = rows[n]
        for i, (qid, qset, qtext) in questions.items():
            raw = row[i] if i < len(row) else None
            answer, problem = convert(raw, answer_col, Location(path.name, n, qid))
            if answer is None:
                continue  # not answered
            if problem:
                yield Issue("warning", path.name, n, qid, cell_text(raw), problem)
            yield Record("survey_response", {**values, "question_id": qid, "question_set": qset,
                                             "question_text": qtext, "answer": answer}, path.name, n)
