"""CIN census XML -> canonical rows (docs/formats/dfe-returns.md).

Streamed: one ``<Child>`` at a time through ``xmlsafe.iter_elements``, so time and memory are linear
in the file's size. Fields are read by name (element order is the writer's concern, not ours);
elements we do not know are reported as warnings, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from cscperf.core.ids import record_id
from cscperf.ingest.base import Batch, Detection, Issue, Record, records_of
from cscperf.ingest.columns import TableRows
from cscperf.ingest.fields import Fields, text_or_none
from cscperf.ingest.xmlsafe import iter_elements, line_of

FORMAT = "cin"
_REFDATE = re.compile(rb"<(?:\w+:)?ReferenceDate>\s*(\d{4}-\d{2}-\d{2})\s*<")
_YEAR = re.compile(rb"<(?:\w+:)?Year>\s*(\d{4})\s*<")
_SOURCE_DATETIME = re.compile(rb"<(?:\w+:)?DateTime>\s*(\d{4}-\d{2}-\d{2})")

# The 2024-25 specification's <Sex> (F, M, U) onto the canonical sex codes (2, 1, 0 not known).
SEX_LETTERS = {"F": "2", "M": "1", "U": "0"}

KNOWN = {
    "Child": {"ChildIdentifiers", "ChildCharacteristics", "CINdetails"},
    "ChildIdentifiers": {"LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate",
                         "GenderCurrent", "Sex", "PersonDeathDate"},
    "ChildCharacteristics": {"Ethnicity", "Disabilities"},
    "CINdetails": {"CINdetailsID", "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
                   "ReasonForClosure", "DateOfInitialCPC", "Assessments", "CINPlanDates", "Section47", "ReferralNFA",
                   "ChildProtectionPlans"},
    "Assessments": {"AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate",
                    "FactorsIdentifiedAtAssessment"},
    "CINPlanDates": {"CINPlanStartDate", "CINPlanEndDate"},
    "Section47": {"S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"},
    "ChildProtectionPlans": {"CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
                             "NumberOfPreviousCPP", "Reviews"},
}


def collection_year_label(year_ending: int) -> str:
    """2025 -> '2024_25' (the year ending 31 March 2025)."""
    return f"{year_ending - 1}_{year_ending % 100:02d}"


def year_ending_for(day: date) -> int:
    """The collection year (ending 31 March) a day falls in."""
    return day.year + 1 if day.month >= 4 else day.year


class CinCensusReader:
    format = FORMAT

    def detect(self, path: Path) -> Detection | None:
        """A CIN census by its content (whatever the file is called): CIN elements in its head."""
        with path.open("rb") as handle:
            head = handle.read(65536)
        if b"<" not in head or not (b"<LAchildID" in head or b"<CINdetails" in head or b"<Collection>CIN<" in head):
            return None
        year = None
        match = _REFDATE.search(head)
        if match:
            try:
                year = collection_year_label(year_ending_for(date.fromisoformat(match.group(1).decode())))
            except ValueError:
                year = None
        elif (ym := _YEAR.search(head)) is not None:
            year = collection_year_label(int(ym.group(1)))
        return Detection(FORMAT, year)

    def as_at(self, path: Path) -> date | None:
        """The extract's date: the header's Source DateTime if sent, else its ReferenceDate."""
        reference, made = header_dates(path)
        return made or reference

    def read(self, path: Path, detection: Detection, display: str | None = None) -> Iterator[Record | Issue]:
        yield from records_of(self.read_batches(path, detection, display))

    def read_batches(self, path: Path, detection: Detection, display: str | None = None) -> Iterator[Batch | Issue]:
        """The file's rows as one batch per table; issues in document order."""
        name = display or str(path)
        out = _Tables()
        issues: list[Issue] = []
        pending: list[Issue] = []
        fields = Fields(name, pending.append)
        for elem in iter_elements(path, ("Header", "Child"), name):
            if _local(elem.tag) == "Header":
                _header(elem, fields)
            else:
                _child(elem, name, fields, out, issues)
            if pending:
                issues += pending
                pending.clear()
        yield from issues
        yield from out.batches(name)


def header_dates(path: Path) -> tuple[date | None, date | None]:
    """(ReferenceDate, Source DateTime date) from the file's head, for the load's period and as-at."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    found = []
    for pattern in (_REFDATE, _SOURCE_DATETIME):
        match = pattern.search(head)
        try:
            found.append(date.fromisoformat(match.group(1).decode()) if match else None)
        except ValueError:
            found.append(None)
    return found[0], found[1]


COLUMNS = {
    "child": ("child_id", "source_table", "upn", "former_upn", "upn_unknown", "date_of_birth", "expected_birth_date",
              "sex", "date_of_death", "ethnicity", "disabilities"),
    "referral": ("referral_id", "child_id", "referral_date", "referral_source", "primary_need", "closure_date",
                 "closure_reason", "nfa"),
    "icpc": ("referral_id", "child_id", "icpc_id", "icpc_date"),
    "assessment": ("referral_id", "child_id", "assessment_id", "start_date", "internal_review_date", "authorised_date",
                   "factors"),
    "cin_plan": ("referral_id", "child_id", "cin_plan_id", "start_date", "end_date"),
    "s47_enquiry": ("referral_id", "child_id", "s47_id", "start_date", "icpc_target_date", "icpc_date",
                    "icpc_not_required"),
    "cp_plan": ("referral_id", "child_id", "cp_plan_id", "start_date", "end_date", "initial_category",
                "latest_category", "previous_plans"),
    "cp_review": ("cp_plan_id", "child_id", "review_date"),
}


class _Tables:
    """One ``TableRows`` per table the census fills."""

    def __init__(self) -> None:
        self.rows = {table: TableRows(table, columns) for table, columns in COLUMNS.items()}

    def batches(self, name: str) -> Iterator[Batch]:
        for rows in self.rows.values():
            batch = rows.batch(name)
            if batch is not None:
                yield batch


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[1] if tag[0] == "{" else tag


class _View:
    """An element's children by name (first of each, as the specification has one) and in order:
    built once per element, so reading its fields is a dict lookup, not a scan of its children."""

    __slots__ = ("elem", "first", "_order")

    def __init__(self, elem: etree._Element):
        self.elem = elem
        self._order: list[tuple[str, etree._Element]] | None = None
        first: dict[str, etree._Element] = {}
        for c in elem:
            tag = c.tag
            if type(tag) is not str:
                continue
            if tag[0] == "{":
                tag = tag.rsplit("}", 1)[1]
            if tag not in first:
                first[tag] = c
        self.first = first

    @property
    def order(self) -> list[tuple[str, etree._Element]]:
        """Every child element with its name, in document order (built only when asked for)."""
        if self._order is None:
            self._order = [(t if t[0] != "{" else t.rsplit("}", 1)[1], c) for c in self.elem
                           if type(t := c.tag) is str]
        return self._order

    def text(self, tag: str) -> str | None:
        c = self.first.get(tag)
        if c is None:
            return None
        text = c.text
        if text is None:
            return None
        return text.strip() or None

    def line(self, tag: str) -> int | None:
        c = self.first.get(tag)
        return c.sourceline if c is not None else line_of(self.elem)

    def date(self, fields: Fields, tag: str) -> date | None:
        c = self.first.get(tag)
        if c is None:
            return None
        text = c.text
        text = text.strip() or None if text is not None else None
        return fields.date(text, c.sourceline, tag) if text is not None else None

    def code(self, fields: Fields, tag: str, code_list: str) -> str | None:
        c = self.first.get(tag)
        if c is None:
            return None
        text = c.text
        text = text.strip() or None if text is not None else None
        return fields.code(text, c.sourceline, tag, code_list) if text is not None else None

    def unknown(self, container: str, name: str, issues: list[Issue]) -> None:
        known = KNOWN[container]
        if known.issuperset(self.first):  # every name known (repeats of a known name are fine)
            return
        for tag, child in self.order:
            if tag not in known:
                issues.append(Issue("warning", name, child.sourceline, f"{container}/{tag}", text_or_none(child.text),
                                    "unknown element ignored"))


def _header(elem: etree._Element, fields: Fields) -> None:
    """The header carries no rows; its ReferenceDate must still be a real date."""
    for tag, child in _View(elem).order:
        if tag == "CollectionDetails":
            _View(child).date(fields, "ReferenceDate")


def _child(elem: etree._Element, name: str, fields: Fields, out: _Tables, issues: list[Issue]) -> None:
    row = line_of(elem)
    view = _View(elem)
    view.unknown("Child", name, issues)
    ids_elem = view.first.get("ChildIdentifiers")
    chars_elem = view.first.get("ChildCharacteristics")
    ids = _View(ids_elem) if ids_elem is not None else None
    child_id = ids.text("LAchildID") if ids is not None else None
    episodes = [c for t, c in view.order if t == "CINdetails"]
    if child_id is None:
        count = 1 + len(episodes)
        issues.append(Issue("rejected", name, row, "LAchildID", None, f"child without LAchildID: its {count} record(s) not loaded"))
        return
    upn = former = upn_unknown = dob = expected = sex = death = ethnicity = disabilities = None
    if ids is not None:
        ids.unknown("ChildIdentifiers", name, issues)
        upn = ids.text("UPN")
        former = ids.text("FormerUPN")
        upn_unknown = ids.code(fields, "UPNunknown", "upn_unknown")
        dob = ids.date(fields, "PersonBirthDate")
        expected = ids.date(fields, "ExpectedPersonBirthDate")
        sex_tag = "GenderCurrent" if ids.text("GenderCurrent") is not None else "Sex"
        raw_sex = ids.text(sex_tag)
        if sex_tag == "Sex" and raw_sex in SEX_LETTERS:  # 2024-25 spec's <Sex>: F, M, U
            raw_sex = SEX_LETTERS[raw_sex]
        sex = fields.code(raw_sex, ids.line(sex_tag), sex_tag, "sex")
        death = ids.date(fields, "PersonDeathDate")
    if chars_elem is not None:
        chars = _View(chars_elem)
        chars.unknown("ChildCharacteristics", name, issues)
        ethnicity = chars.code(fields, "Ethnicity", "ethnicity")
        codes = []
        for tag, block in chars.order:
            if tag == "Disabilities":
                codes += [text_or_none(d.text) for dt, d in _View(block).order if dt == "Disability"]
        disabilities = ";".join(c for c in codes if c) or None
    out.rows["child"].add((child_id, "Child", upn, former, upn_unknown, dob, expected, sex, death, ethnicity, disabilities, row))
    used: dict[str, int] = {}
    for episode in episodes:
        _episode(episode, child_id, name, fields, used, out, issues)


def _episode(ep_elem: etree._Element, child_id: str, name: str, fields: Fields, used: dict[str, int], out: _Tables,
             issues: list[Issue]) -> None:
    row = line_of(ep_elem)
    ep = _View(ep_elem)
    ep.unknown("CINdetails", name, issues)
    referral_date = ep.date(fields, "CINreferralDate")
    sent_id = ep.text("CINdetailsID")
    if sent_id is None and referral_date is None:
        issues.append(Issue("rejected", name, row, "CINreferralDate", None,
                            "CIN episode without CINreferralDate: it and its assessments, plans and enquiries not loaded"))
        return
    # Ids come from the child and the date (cscperf.core.ids), not CINdetailsID, so the same
    # episode in two years' returns and in Annex A is recognised as one record.
    referral_id = None
    if referral_date is not None:
        base = record_id(child_id, None, referral_date)
        used[base] = used.get(base, 0) + 1
        referral_id = record_id(child_id, None, referral_date, used[base])
    if referral_date is None:
        issues.append(Issue("rejected", name, row, "CINreferralDate", None, "CIN episode without CINreferralDate not loaded"))
    else:
        source = ep.code(fields, "ReferralSource", "referral_source")
        need = ep.code(fields, "PrimaryNeedCode", "primary_need")
        closed = ep.date(fields, "CINclosureDate")
        reason = ep.code(fields, "ReasonForClosure", "closure_reason")
        nfa = fields.flag(ep.text("ReferralNFA"), ep.line("ReferralNFA"), "ReferralNFA")
        out.rows["referral"].add((referral_id, child_id, referral_date, source, need, closed, reason, nfa, row))
    icpc_date = ep.date(fields, "DateOfInitialCPC")
    if icpc_date is not None:
        out.rows["icpc"].add((referral_id, child_id, record_id(child_id, "icpc", icpc_date), icpc_date, ep.line("DateOfInitialCPC")))
    counters = {"Assessments": 0, "CINPlanDates": 0, "Section47": 0, "ChildProtectionPlans": 0}
    for tag, sub_elem in ep.order:
        if tag not in counters:
            continue
        counters[tag] += 1
        n = counters[tag]
        sub = _View(sub_elem)
        sub.unknown(tag, name, issues)
        line = line_of(sub_elem)
        if tag == "Assessments":
            start = sub.date(fields, "AssessmentActualStartDate")
            factors = [text_or_none(f.text) for ft, block in sub.order if ft == "FactorsIdentifiedAtAssessment"
                       for at, f in _View(block).order if at == "AssessmentFactors"]
            values = (referral_id, child_id, _sub_id(child_id, "assessment", start, referral_id, n), start,
                      sub.date(fields, "AssessmentInternalReviewDate"), sub.date(fields, "AssessmentAuthorisationDate"),
                      ";".join(f for f in factors if f) or None, line)
            _required(out, "assessment", values, start, "AssessmentActualStartDate", name, line, issues)
        elif tag == "CINPlanDates":
            start = sub.date(fields, "CINPlanStartDate")
            values = (referral_id, child_id, _sub_id(child_id, "cin", start, referral_id, n), start,
                      sub.date(fields, "CINPlanEndDate"), line)
            _required(out, "cin_plan", values, start, "CINPlanStartDate", name, line, issues)
        elif tag == "Section47":
            start = sub.date(fields, "S47ActualStartDate")
            values = (referral_id, child_id, _sub_id(child_id, "s47", start, referral_id, n), start,
                      sub.date(fields, "InitialCPCtarget"), sub.date(fields, "DateOfInitialCPC"),
                      fields.flag(sub.text("ICPCnotRequired"), sub.line("ICPCnotRequired"), "ICPCnotRequired"), line)
            _required(out, "s47_enquiry", values, start, "S47ActualStartDate", name, line, issues)
        else:
            start = sub.date(fields, "CPPstartDate")
            plan_id = _sub_id(child_id, "cp", start, referral_id, n)
            values = (referral_id, child_id, plan_id, start, sub.date(fields, "CPPendDate"),
                      sub.code(fields, "InitialCategoryOfAbuse", "abuse_category"),
                      sub.code(fields, "LatestCategoryOfAbuse", "abuse_category"),
                      fields.integer(sub.text("NumberOfPreviousCPP"), sub.line("NumberOfPreviousCPP"), "NumberOfPreviousCPP"),
                      line)
            _required(out, "cp_plan", values, start, "CPPstartDate", name, line, issues)
            for rt, reviews in sub.order:
                if rt != "Reviews":
                    continue
                for dt, review in _View(reviews).order:
                    if dt != "CPPreviewDate":
                        issues.append(Issue("warning", name, review.sourceline, f"Reviews/{dt}", text_or_none(review.text),
                                            "unknown element ignored"))
                        continue
                    day = fields.date(text_or_none(review.text), review.sourceline, "CPPreviewDate")
                    if day is None:
                        issues.append(Issue("rejected", name, review.sourceline, "CPPreviewDate", None, "empty CPPreviewDate not loaded"))
                    else:
                        out.rows["cp_review"].add((plan_id, child_id, day, review.sourceline))


def _sub_id(child_id: str, kind: str, start, referral_id: str | None, n: int) -> str:
    """The record's id from its start date; without one (the row is then rejected) a placeholder."""
    if start is not None:
        return record_id(child_id, kind, start)
    return f"{referral_id or child_id}/{kind}/missing-{n}"


def _required(out: _Tables, table: str, values: tuple, start, field: str, name: str, line: int | None,
              issues: list[Issue]) -> None:
    if start is None:
        issues.append(Issue("rejected", name, line, field, None, f"{field} is missing, so this {table} row cannot be stored"))
    else:
        out.rows[table].add(values)
